import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, pointInCommunity } from './api';
import { launchBrowser } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the big screen', () => {
  it('draws the map, the KPIs and the live feed, talks only to its own origin, and does not leak', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const origins = new Set<string>();
    page.on('request', (r) => {
      origins.add(new URL(r.url()).origin);
    });

    // Fast rotation (test only), so a few seconds turn the panels many times.
    await page.goto(`${baseUrl}/screen?rotate=200`);
    // The wall display's own account (指挥大屏): read-only, long session.
    await page.getByTestId('screen-login-username').fill('screen');
    await page.getByTestId('screen-login-password').fill('Demo@2026');
    await page.getByTestId('screen-login-submit').click();
    expect(new URL(page.url()).pathname).toBe('/screen');

    // The grid layer is drawn: MapLibre reports the grid polygons it rendered.
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid=screen-map]')?.getAttribute('data-rendered-grids')) > 0,
    );
    await page.getByTestId('screen-legend').waitFor();
    await page.waitForFunction(() =>
      /^\d+$/.test(
        document.querySelector('[data-testid=screen-kpi-open] .screen-kpi-value')?.textContent ?? '',
      ),
    );
    for (const k of ['today', 'overdue', 'supervised'])
      expect(await page.getByTestId(`screen-kpi-${k}`).locator('.screen-kpi-value').textContent()).toMatch(
        /^\d+$/,
      );
    expect(await page.getByTestId('screen-kpi-onTime').locator('.screen-kpi-value').textContent()).toMatch(
      /^(\d+\.\d%|—)$/,
    );
    await page.waitForSelector('[data-testid=screen-live].on');

    // A case reported now reaches the feed within 2 s, pushed over the event stream.
    const clerk = await apiLogin(baseUrl, 'clerk');
    const at = await pointInCommunity(clerk, '保利新华社区');
    const report = (i: number) =>
      clerk.post<{ id: string; code: string }>('/api/cases', {
        description: `大屏实时测试 ${i}：路灯不亮`,
        categoryCode: 'C0103',
        channel: 'walk_in',
        location: { lat: at.lat + (i % 7) * 1e-4, lng: at.lng + (i % 5) * 1e-4 },
        idempotencyKey: `screen-live-${Date.now()}-${i}`,
      });
    const t0 = Date.now();
    const created = await report(0);
    await page.waitForSelector(`[data-testid=screen-feed] li[data-code="${created.code}"]`, {
      timeout: 2000,
    });
    expect(Date.now() - t0).toBeLessThan(2000);

    // Leak check: heap after a burst of events and many rotations, against the heap before.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };
    await page.waitForTimeout(1500);
    const before = await heap();
    const slideOf = () => page.getByTestId('screen-rotator-left').getAttribute('data-slide');
    const seen = new Set<string | null>();
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 15 }, (_, i) => report(100 + round * 15 + i)));
      for (let k = 0; k < 8; k++) {
        seen.add(await slideOf());
        await page.waitForTimeout(350);
      }
    }
    await page.waitForTimeout(1500);
    const after = await heap();
    const feedLines = await page.locator('[data-testid=screen-feed] li').count();
    console.log(
      `screen heap: ${(before / 1e6).toFixed(1)} MB before, ${(after / 1e6).toFixed(1)} MB after 60 events and ~50 rotations; feed ${feedLines} lines`,
    );
    expect(seen.size).toBe(3);
    expect(feedLines).toBeLessThanOrEqual(50);
    expect(after - before).toBeLessThan(Math.max(6e6, before * 0.25));

    expect([...origins]).toEqual([baseUrl]);
    await context.close();
  });
});
