import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface PublicReports {
  items: { category: string; description: string | null; location: { lat: number; lng: number } }[];
}

describe('/r 身边的问题 (public map) on a 360×640 phone', () => {
  it('lists and maps the demo’s reports of the opened categories, with nothing about the reporters', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const login = await phone.request.post(`${baseUrl}/api/auth/login`, {
      data: { username: 'resident', password: 'Demo@2026' },
    });
    expect(login.status()).toBe(200);
    const r = await phone.newPage();
    r.setDefaultTimeout(30_000);
    const first = r.waitForResponse((res) => res.url().includes('/api/public/reports'));
    await r.goto(`${baseUrl}/r/map`);
    const reply = (await (await first).json()) as PublicReports;
    // The demo opens 路灯, 路面破损 and 垃圾箱 to the map: it is not empty.
    expect(reply.items.length).toBeGreaterThan(0);
    expect(new Set(reply.items.map((i) => i.category))).toEqual(
      new Set(
        reply.items
          .map((i) => i.category)
          .filter((c) => ['路灯不亮', '路面坑洼破损', '垃圾没清运'].includes(c)),
      ),
    );
    const cards = r.getByTestId('r-public-reports').locator('li');
    await expect.poll(() => cards.count()).toBe(reply.items.length);
    // Some residents let their words out, most did not.
    expect(reply.items.some((i) => i.description !== null)).toBe(true);
    expect(reply.items.some((i) => i.description === null)).toBe(true);
    // Nothing on the page overflows a 360 px phone.
    expect(await r.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (shots) await r.screenshot({ path: `${shots}/r-public-list.png` });

    // The map view: MapLibre (a chunk of its own) asks for the reports of what it shows.
    const inView = r.waitForResponse((res) => /\/api\/public\/reports\?.*bbox=/.test(res.url()));
    await r.getByTestId('r-map-tab').click();
    await r.getByTestId('r-public-map').locator('canvas').waitFor();
    const shown = (await (await inView).json()) as PublicReports;
    expect(shown.items.length).toBeGreaterThan(0);
    if (shots) await r.screenshot({ path: `${shots}/r-public-map.png` });
    await phone.close();
  });
});
