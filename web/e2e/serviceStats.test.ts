import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  // The street's service centre (黄河西路街道) over the demo's 90 days of applications.
  await loginAs(page, baseUrl, 'street');
});
afterAll(async () => {
  await browser?.close();
});

const api = <T>(path: string): Promise<T> =>
  page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
const statistic = async (key: string) =>
  ((await page.getByTestId(key).locator('.ant-statistic-content').textContent()) ?? '').trim();

describe('the service centre’s figures in the console', () => {
  it('shows the statistics page’s figures as the API counts them, and exports them', async () => {
    await page.goto(`${baseUrl}/service-stats`);
    await page.getByTestId('service-stat-total').waitFor();
    const to = new Date(Date.now() + 8 * 3_600_000);
    const from = new Date(to.getTime() - 29 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const m = await api<{ total: number; completed: number; onTimeRate: number | null; overdue: number }>(
      `/api/metrics/services?from=${day(from)}&to=${day(to)}`,
    );
    // The demo street takes in applications every working day: a page of zeros would fail here.
    expect(m.total).toBeGreaterThan(50);
    await expect.poll(() => statistic('service-stat-total')).toBe(m.total.toLocaleString('en-US'));
    expect(await statistic('service-stat-completed')).toBe(m.completed.toLocaleString('en-US'));
    expect(await statistic('service-stat-onTimeRate')).toBe(
      m.onTimeRate === null ? '—' : `${(m.onTimeRate * 100).toFixed(1)}%`,
    );
    expect(await statistic('service-stat-overdue')).toBe(String(m.overdue));
    // One row per item the street took in during the period.
    await page.getByTestId('service-stats-by-service').locator('tr.ant-table-row').first().waitFor();

    const download = page.waitForEvent('download');
    await page.getByTestId('service-stats-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = await file.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
  });

  it('filters the list to the overdue applications, each tagged as such', async () => {
    const overdue = await api<{ total: number }>('/api/applications?overdue=true&pageSize=1');
    expect(overdue.total).toBeGreaterThan(0);
    await page.goto(`${baseUrl}/applications`);
    await page.getByTestId('applications-table').locator('tr.ant-table-row').first().waitFor();
    await page.getByTestId('applications-overdue').click();
    await page.waitForURL((u) => u.searchParams.get('overdue') === 'true');
    const rows = page.getByTestId('applications-table').locator('tr.ant-table-row');
    // The filtered page: its total, then its rows, every one tagged overdue.
    await page.getByText(`共 ${overdue.total} 件`).waitFor();
    await expect.poll(() => rows.count()).toBe(Math.min(overdue.total, 20));
    expect(await rows.filter({ hasText: '已超期' }).count()).toBe(await rows.count());
  });
});
