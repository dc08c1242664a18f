import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, pointInCommunity } from './api';
import { chooseOption, launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** A 4×4 red PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWM4Y2wMRwzEcQD7ExMhwLzAsQAAAABJRU5ErkJggg==',
  'base64',
);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function as(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await loginAs(page, baseUrl, user);
  return page;
}

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.getByTestId(`case-action-${action}`).click();
  await fill?.();
  await page.getByTestId('case-action-submit').click();
  await page.locator('.ant-modal').waitFor({ state: 'hidden' });
}

const status = (page: Page) => page.getByTestId('case-status');

describe('case workflow in the console', () => {
  it('dispatch → claim → resolve with a photo → verify → follow-up, then the metrics count it', async () => {
    const clerk = await apiLogin(baseUrl, 'clerk');
    const at = await pointInCommunity(clerk, '保利新华社区');
    const description = `端到端测试：小区东门路灯不亮 ${randomUUID().slice(0, 6)}`;
    const created = await clerk.post<{ id: string; code: string; status: string }>('/api/cases', {
      description,
      categoryCode: 'C0103',
      channel: 'walk_in',
      location: at,
      reporter: { name: '李女士', phone: '13700001111' },
      idempotencyKey: randomUUID(),
    });
    expect(created.status).toBe('reported');

    // The community workstation accepts and dispatches to 城管.
    const community = await as('community');
    await community.goto(`${baseUrl}/cases?view=toAccept`);
    await community.getByText(created.code).click();
    await expect.poll(() => status(community).textContent()).toBe('待受理');
    await act(community, 'accept');
    await expect.poll(() => status(community).textContent()).toBe('待派遣');
    await act(community, 'dispatch', async () => {
      await community.locator('.ant-modal').getByText('职能部门', { exact: true }).click();
      await chooseOption(community, community.getByTestId('dispatch-target'), '城管');
    });
    await expect.poll(() => status(community).textContent()).toBe('待签收');

    // The 城管 handler finds it to claim, claims it and resolves it with a photo.
    const dept = await as('dept');
    await dept.goto(`${baseUrl}/cases?view=toClaim`);
    await dept.getByText(created.code).click();
    await act(dept, 'claim');
    await expect.poll(() => status(dept).textContent()).toBe('处置中');
    await act(dept, 'resolve', async () => {
      await dept.getByTestId('field-result').fill('已更换灯具，恢复照明');
      await dept
        .getByTestId('field-attachmentIds')
        .locator('input[type=file]')
        .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: png });
      await dept.locator('.ant-modal .ant-upload-list-item-done').waitFor();
    });
    await expect.poll(() => status(dept).textContent()).toBe('待核查');
    await expect(dept.locator('.ant-image img').count()).resolves.toBeGreaterThan(0);

    // The dispatcher verifies on its own screen and records the follow-up.
    await community.reload();
    await expect.poll(() => status(community).textContent()).toBe('待核查');
    await act(community, 'verify', async () => {
      await community.locator('.ant-modal').getByText('通过', { exact: true }).click();
    });
    await expect.poll(() => status(community).textContent()).toBe('待回访');
    await act(community, 'followUp', async () => {
      await community.locator('.ant-modal').getByText('满意', { exact: true }).click();
    });
    await expect.poll(() => status(community).textContent()).toBe('已结案');
    const timeline = await community.getByTestId('case-event').allTextContents();
    expect(timeline.map((t) => t.slice(0, 2))).toEqual([
      '上报',
      '受理',
      '派遣',
      '签收',
      '办结',
      '核查',
      '回访',
    ]);

    // The metrics page counts it: a closed, rated case.
    const metrics = await community.evaluate(async () => (await fetch('/api/metrics/cases')).json());
    expect(metrics.byStatus.closed).toBeGreaterThan(0);
    await community.getByTestId('side-menu').getByText('统计分析').click();
    await community.getByTestId('metric-total').waitFor();
    const total = Number(
      (
        await community.getByTestId('metric-total').locator('.ant-statistic-content-value').textContent()
      )?.replace(/,/g, ''),
    );
    expect(total).toBeGreaterThan(0);
    await expect
      .poll(() =>
        community.getByTestId('metric-satisfactionRate').locator('.ant-statistic-content').textContent(),
      )
      .toMatch(/%$/);
  });

  it('reports a walk-in case from the console form, placed on the map', async () => {
    const page = await as('clerk');
    await page.goto(`${baseUrl}/cases/new`);
    await page.getByTestId('report-category').click();
    await page.keyboard.type('路灯');
    await page.locator('.ant-select-tree').getByText('路灯不亮或损坏（C0103）').click();
    await page.getByTestId('report-description').fill('窗口来访：小区北门路灯不亮');
    // Wait for the grids to be drawn, then click the middle of the map.
    await page.locator('[data-testid=case-map][data-areas]:not([data-areas="0"])').waitFor();
    const box = await page.getByTestId('case-map').boundingBox();
    if (!box) throw new Error('no map');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByText(/已选位置/).waitFor();
    await page.getByTestId('report-submit').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect.poll(() => status(page).textContent()).toBe('待受理');
    await expect(page.getByText('保利新华社区').first().isVisible()).resolves.toBe(true);
  });
});
