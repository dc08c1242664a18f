import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** E2E_SHOTS=<dir> keeps screenshots of the pages for a person to look at. */
const shots = process.env.E2E_SHOTS;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  // 黄河西路街道's centre: the demo's quarter of disputes, grievances and its closed emergency.
  await loginAs(page, baseUrl, 'street');
});
afterAll(async () => {
  await browser?.close();
});

const api = <T>(path: string): Promise<T> =>
  page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
const statistic = async (key: string) =>
  ((await page.getByTestId(key).locator('.ant-statistic-content').textContent()) ?? '').trim();
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

interface Stats {
  disputes: { total: number; successRate: number | null; performanceRate: number | null; overdue: number };
  grievances: { total: number; overdue: number; answer: { onTimeRate: number | null } };
  incidents: { total: number; ackMedianMinutes: number | null };
}

describe('综治统计 in the console', () => {
  it('shows the figures the API counts for the street and the last 90 days, and exports them', async () => {
    await page.goto(`${baseUrl}/governance/stats`);
    await page.getByTestId('gov-stat-disputes').waitFor();
    const to = new Date(Date.now() + 8 * 3_600_000);
    const from = new Date(to.getTime() - 89 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const s = await api<Stats>(`/api/governance/stats?from=${day(from)}&to=${day(to)}`);
    // The demo street has a quarter of disputes and grievances: a page of zeros would fail here.
    expect(s.disputes.total).toBeGreaterThan(5);
    expect(s.grievances.total).toBeGreaterThan(0);
    await expect.poll(() => statistic('gov-stat-disputes')).toBe(s.disputes.total.toLocaleString('en-US'));
    expect(await statistic('gov-stat-successRate')).toBe(pct(s.disputes.successRate));
    expect(await statistic('gov-stat-performanceRate')).toBe(pct(s.disputes.performanceRate));
    expect(await statistic('gov-stat-disputesOverdue')).toBe(String(s.disputes.overdue));
    expect(await statistic('gov-stat-grievances')).toBe(s.grievances.total.toLocaleString('en-US'));
    expect(await statistic('gov-stat-grievancesOverdue')).toBe(String(s.grievances.overdue));
    expect(await statistic('gov-stat-answerOnTime')).toBe(pct(s.grievances.answer.onTimeRate));
    expect(await statistic('gov-stat-incidents')).toBe(String(s.incidents.total));
    // The three statutory steps of a grievance, one row each.
    await expect.poll(() => page.getByTestId('gov-stats-steps').locator('tr.ant-table-row').count()).toBe(3);
    // Charts are drawn (ECharts renders into a canvas).
    await expect.poll(() => page.locator('[data-testid=gov-stats-page] canvas').count()).toBeGreaterThan(3);
    if (shots) await page.screenshot({ path: `${shots}/governance-stats.png`, fullPage: true });

    const download = page.waitForEvent('download');
    await page.getByTestId('gov-stats-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const { readFileSync } = await import('node:fs');
    expect(
      readFileSync(await file.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('the home page carries the dashboard’s governance block', async () => {
    const d = await api<{ governance?: { disputes: number; grievances: number } }>('/api/dashboard');
    expect(d.governance).toBeDefined();
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('home-governance').waitFor();
    await expect
      .poll(() => statistic('home-governance-disputes'))
      .toBe(String(d.governance?.disputes.toLocaleString('en-US')));
  });
});

describe('cameras on the big screen', () => {
  it('the wall display turns the camera layer on and off', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = await context.newPage();
    wall.setDefaultTimeout(30_000);
    await wall.goto(`${baseUrl}/screen`);
    await wall.getByTestId('screen-login-username').fill('screen');
    await wall.getByTestId('screen-login-password').fill('Demo@2026');
    await wall.getByTestId('screen-login-submit').click();
    const rendered = () =>
      wall.evaluate(() =>
        Number(
          document.querySelector('[data-testid=screen-map]')?.getAttribute('data-rendered-cameras') ?? -1,
        ),
      );
    const toggle = wall.getByTestId('screen-cameras-toggle');
    await toggle.waitFor();
    const cameras = await wall.evaluate(
      async () => (await (await fetch('/api/cameras')).json()).items.length,
    );
    expect(cameras).toBeGreaterThan(0);
    expect(((await toggle.textContent()) ?? '').startsWith(String(cameras))).toBe(true);
    await expect.poll(rendered).toBe(0);
    await toggle.click();
    await wall.getByTestId('screen-legend-cameras').waitFor();
    await expect.poll(rendered).toBeGreaterThan(0);
    if (shots) await wall.screenshot({ path: `${shots}/screen-cameras.png` });
    await toggle.click();
    await expect.poll(rendered).toBe(0);
    await context.close();
  });
});
