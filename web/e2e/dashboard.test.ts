import type { Browser } from 'playwright-core';
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

describe('the dashboard', () => {
  it('shows a newly reported case within 2 s, pushed over the event stream', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await loginAs(page, baseUrl, 'district');
    const tile = page.getByTestId('dash-today').locator('.ant-statistic-content-value');
    await tile.waitFor();
    // Let the event stream connect before the case is reported.
    await page.locator('[data-testid=notification-bell][data-live=true]').waitFor();
    const before = Number((await tile.textContent())?.replace(/\D/g, ''));
    const clerk = await apiLogin(baseUrl, 'clerk');
    const tree = await clerk.get<Parameters<typeof findUnit>[0]>('/api/org/tree');
    expect(findUnit(tree, '保利新华社区')).toBeDefined();
    const t0 = Date.now();
    await clerk.post('/api/cases', {
      description: '看板实时测试：路灯不亮',
      categoryCode: 'C0103',
      channel: 'walk_in',
      address: '保利新华社区服务站',
      idempotencyKey: `dashboard-live-${Date.now()}`,
    });
    await page.waitForFunction(
      ({ n }) => {
        const el = document.querySelector('[data-testid=dash-today] .ant-statistic-content-value');
        return Number(el?.textContent?.replace(/\D/g, '')) === n + 1;
      },
      { n: before },
      { timeout: 2000 },
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    // The to-do counts open their list.
    const toAccept = page.getByTestId('todo-toAccept');
    await toAccept.waitFor();
    const n = Number(
      (await toAccept.locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''),
    );
    await toAccept.click();
    await page.waitForURL(/\/cases\?view=toAccept/);
    if (n > 0) await page.locator('.ant-table-row').first().waitFor();
    await context.close();
  });
});
