import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Rules {
  districtId: number;
  rules: { worker: { casesFound: { points: number } }; department: { propertyPenalty?: number } };
}

/** E2E_SHOTS=<dir> keeps screenshots of the pages for a person to look at. */
const shots = process.env.E2E_SHOTS;
async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

describe('assessment in the console', () => {
  it('ranks the grid workers, opens one, rolls up to streets and exports; an admin edits the rules and a department score', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await loginAs(page, baseUrl, 'district');
    await page.getByRole('menuitem', { name: '考核计分' }).click();
    await page.waitForURL(/\/assessment\/scorecards/);
    // The scorecard's own table (the home's ranking may still be on screen for a moment):
    // wait for its rank column, and poll as long as the page's other waits.
    await page.getByRole('columnheader', { name: '名次' }).waitFor();
    const firstRank = page.locator('.ant-table-row').first().locator('td').nth(1);
    await expect.poll(() => firstRank.textContent(), { timeout: 30_000 }).toBe('1');

    // The demo grid worker, found by name: six weeks of patrols make their patrol days count
    // over the quarter (the month may have begun a day or two ago).
    await page.goto(`${baseUrl}/assessment/scorecards?period=quarter`);
    await page.getByRole('columnheader', { name: '名次' }).waitFor();
    await page.getByPlaceholder('按姓名或区域查找').fill('保利新华社区第1网格');
    await page.getByPlaceholder('按姓名或区域查找').press('Enter');
    await expect
      .poll(() => page.locator('.ant-table-row').first().textContent(), { timeout: 30_000 })
      .toContain('保利新华社区第1网格');
    await page.locator('.ant-table-row-expand-icon').first().click();
    const patrolDays = page
      .locator('.ant-descriptions-item-label', { hasText: '巡查天数' })
      .locator('xpath=following-sibling::td[1]');
    await expect
      .poll(async () => Number((await patrolDays.textContent())?.split(' ')[0]), { timeout: 30_000 })
      .toBeGreaterThan(0);

    await page.getByText('街道', { exact: true }).first().click();
    await page.waitForURL(/level=street/);
    // Areas are scored by their workers' mean.
    await page.getByRole('columnheader', { name: '人均得分' }).waitFor();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThanOrEqual(8);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByText('导出 Excel').click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);

    // Scoring rules: 发现上报 worth 3 points, saved after confirmation.
    await page.getByRole('menuitem', { name: '计分规则' }).click();
    const points = page.locator('tr', { hasText: '发现上报' }).locator('input').first();
    await points.fill('3');
    // 红管家: points off per missed 15 min / 30 min / 24 h mark.
    await page.getByTestId('rules-property-penalty').fill('1.5');
    await shot(page, 'assessment-rules');
    await page
      .getByRole('button', { name: /保\s*存/ })
      .first()
      .click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByText('计分规则已保存').waitFor();
    const district = await apiLogin(baseUrl, 'district');
    const saved = await district.get<Rules>('/api/assessment/rules');
    expect(saved.rules.worker.casesFound.points).toBe(3);
    expect(saved.rules.department.propertyPenalty).toBe(1.5);
    saved.rules.worker.casesFound.points = 1;
    saved.rules.department.propertyPenalty = 1;
    await district.put('/api/assessment/rules', { districtId: saved.districtId, rules: saved.rules });

    // Department evaluation: 城管's self-assessment, saved when the field is left.
    await page.getByRole('menuitem', { name: '部门评议' }).click();
    const self = page.getByLabel('城管自评');
    await self.fill('88');
    await self.press('Enter');
    await page.getByText('评分已保存').waitFor();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const list = await district.get<{ items: { departmentName: string; self: { score: number } | null }[] }>(
      `/api/assessment/department-evaluations?period=month&start=${today}`,
    );
    expect(list.items.find((i) => i.departmentName === '城管')?.self?.score).toBe(88);

    // The demo's property company on the department scorecard: its missed clock marks are a line.
    await page.goto(`${baseUrl}/assessment/scorecards?level=department&period=quarter`);
    await page.getByRole('columnheader', { name: '红管家超时' }).waitFor();
    const company = page.locator('.ant-table-row', { hasText: '包头市华诚物业管理有限公司' });
    await company.locator('.ant-table-row-expand-icon').click();
    await page.locator('.ant-descriptions-item-label', { hasText: '红管家超时' }).first().waitFor();
    await shot(page, 'assessment-departments');
    await context.close();
  });

  it('switches the newer pages to English and back', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await loginAs(page, baseUrl, 'district');
    await page.goto(`${baseUrl}/assessment/scorecards`);
    await page.getByText('考核计分').first().waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'Scorecards' }).waitFor();
    await page.getByText('Grid worker', { exact: true }).first().waitFor();
    await page.getByRole('columnheader', { name: 'Score' }).waitFor();
    // The case list, the residents and the home page's to-dos follow the same switch.
    await page.goto(`${baseUrl}/cases`);
    await page.getByText('Report a case').first().waitFor();
    await page.goto(`${baseUrl}/`);
    await page.getByText('My to-dos').first().waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByText('我的待办').first().waitFor();
    await context.close();
  });
});
