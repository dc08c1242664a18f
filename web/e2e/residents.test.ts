import { idNumberCheckChar } from '@civicgrid/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, findUnit } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function as(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await loginAs(page, baseUrl, user);
  return page;
}

describe('residents in the console', () => {
  it('imports 1,000 rows of which 10 are bad, shows the report, finds one person and reveals the ID number', async () => {
    // The grid codes of 保利新华社区, from the API.
    const community = await apiLogin(baseUrl, 'community');
    const tree = await community.get<Parameters<typeof findUnit>[0]>('/api/org/tree');
    const unit = findUnit(tree, '保利新华社区') as { id: number };
    const grids = await community.get<{ items: { code: string }[] }>(`/api/org/units/${unit.id}/grids`);
    const codes = grids.items.map((g) => g.code);
    const lines = ['姓名,身份证号,手机号,网格编码,居住类型,与户主关系,标签,备注'];
    const target = { name: '端到端测试人', id: '' };
    for (let i = 0; i < 1000; i++) {
      const first =
        `150203${1950 + (i % 50)}0${1 + (i % 9)}1${i % 10}${String(500 + (i % 500)).padStart(3, '0')}`.slice(
          0,
          17,
        );
      let id = `${first}${idNumberCheckChar(first)}`;
      const bad = i % 100 === 7;
      if (bad) id = `${first}${idNumberCheckChar(first) === '0' ? '1' : '0'}`;
      const name = i === 500 ? target.name : `测试${i}`;
      if (i === 500) target.id = id;
      lines.push(`${name},${id},,${codes[i % codes.length]},户籍人口,,,`);
    }
    const page = await as('community');
    await page.goto(`${baseUrl}/residents`);
    await page.getByTestId('resident-import').click();
    // The template is there to download.
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('下载导入模板').click(),
    ]);
    expect(template.suggestedFilename()).toContain('.xlsx');
    await page
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: 'residents.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByText('（已完成）').waitFor({ timeout: 60_000 });
    const summary = await page.getByTestId('import-progress').textContent();
    expect(summary).toContain('共 1000 行');
    expect(summary).toContain('错误 10');
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-errors').click(),
    ]);
    expect(report.suggestedFilename()).toContain('.xlsx');
    await page.locator('.ant-modal-close').click();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });

    await page.getByTestId('resident-search').locator('input').fill(target.name);
    await page.getByTestId('resident-search').locator('input').press('Enter');
    await page.getByRole('cell', { name: target.name }).click();
    await expect.poll(() => page.getByTestId('resident-id-number').textContent()).toMatch(/^150203\*{8}/);
    // The community may not reveal; the district command centre may, and it is audited.
    expect(await page.getByTestId('resident-reveal').count()).toBe(0);
    const district = await as('district');
    await district.goto(`${baseUrl}/residents`);
    await district.getByTestId('resident-search').locator('input').fill(target.id);
    await district.getByTestId('resident-search').locator('input').press('Enter');
    await district.getByRole('cell', { name: target.name }).click();
    await district.getByTestId('resident-reveal').click();
    await expect.poll(() => district.getByTestId('resident-id-number').textContent()).toBe(target.id);
  });
});
