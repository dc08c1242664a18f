import { idNumberCheckChar } from '@civicgrid/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** E2E_SHOTS=<dir> keeps screenshots of the phone's screens for a person to look at. */
const shots = process.env.E2E_SHOTS;

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#4a7' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * A phone: 360 × 640, touch, and a GPS fix inside 保利新华社区第1网格's district; with
 * `serviceWorkers: 'block'` one whose requests all reach page.route (none is answered by the
 * field app's service worker).
 */
async function phone(
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    ...options,
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    geolocation: { latitude: 40.6545, longitude: 109.83 },
    permissions: ['geolocation'],
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${baseUrl}/m/`);
  await page.getByTestId('m-username').fill('gridworker');
  await page.getByTestId('m-password').fill('Demo@2026');
  await page.getByTestId('m-login').click();
  await page.getByTestId('m-tasks').waitFor();
  return { ctx, page };
}

async function report(page: Page, text: string, withPhoto: boolean) {
  await page.getByTestId('m-tab-report').click();
  if (withPhoto)
    await page
      .getByTestId('m-report-photo')
      .setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByTestId('m-report-category-search').fill('井盖');
  await page.getByText('井盖破损或缺失').click();
  await page.getByTestId('m-report-description').fill(text);
  await page.getByTestId('m-report-location').filter({ hasText: '109.83' }).waitFor();
  if (withPhoto) await page.locator('.thumb img').first().waitFor();
  await page.getByTestId('m-report-submit').click();
  // The receipt (local number, then the case number), then back to the task list.
  await page.getByTestId('m-report-receipt').waitFor();
  await page.getByTestId('m-tab-tasks').click();
  await page.getByTestId('m-tasks').waitFor();
}

type CaseList = { items: { id: string; description: string }[]; total: number };

/**
 * The field app's service worker installed — the shell and every chunk kept (public/m/sw.js
 * installs only with all of them) — and in control of the page: waited for on its state.
 */
async function workerInControl(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** The viewport as the phone shows it, under E2E_SHOTS when it is set. */
async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png` });
}

describe('the field app, offline first', () => {
  it('keeps four reports and a visit made partly offline, across a reload, and sends each exactly once', async () => {
    const marker = `离线测试${Date.now()}`;
    const api = await apiLogin(baseUrl, 'gridworker');
    const { ctx, page } = await phone();
    await report(page, `${marker} 第1件 井盖缺失`, true);
    // Online: it goes at once.
    for (let i = 0; i < 60; i++) {
      if ((await api.get<CaseList>(`/api/cases?q=${encodeURIComponent(marker)}`)).total === 1) break;
      await page.waitForTimeout(500);
    }
    await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor();

    await workerInControl(page);
    await ctx.setOffline(true);
    for (const n of [2, 3, 4]) await report(page, `${marker} 第${n}件 井盖松动`, n === 2);
    // A care visit from the (cached) task list.
    const visit = page.getByTestId('m-tasks').locator('li', { hasText: '走访' }).first();
    const who = ((await visit.locator('b').textContent()) ?? '').replace('走访 · ', '').trim();
    await visit.locator('button').click();
    await page.getByTestId('m-visit-notes').fill(`${marker} 入户走访，情况稳定`);
    await page.getByTestId('m-visit-save').click();
    await page.getByTestId('m-outbox-count').filter({ hasText: '待发送 4' }).waitFor();

    // Reload with no network: the service worker serves the shell, the outbox is still there.
    await page.reload();
    await page.getByTestId('m-outbox-count').filter({ hasText: '待发送 4' }).waitFor();
    expect((await api.get<CaseList>(`/api/cases?q=${encodeURIComponent(marker)}&pageSize=50`)).total).toBe(1);

    await ctx.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor({ timeout: 60_000 });
    const cases = await api.get<CaseList>(`/api/cases?q=${encodeURIComponent(marker)}&pageSize=50`);
    expect(cases.items.map((c) => c.description).sort()).toEqual(
      [1, 2, 3, 4].map((n) => `${marker} 第${n}件 井盖${n === 1 ? '缺失' : '松动'}`).sort(),
    );
    // The photos came with their cases.
    const first = cases.items.find((c) => c.description.includes('第1件')) as { id: string };
    const detail = await api.get<{ attachments: { width: number; height: number }[] }>(
      `/api/cases/${first.id}`,
    );
    expect(detail.attachments.length).toBe(1);
    // Shrunk on the phone: the 2400 × 1800 photo arrives at 1600 × 1200.
    expect(detail.attachments[0]).toMatchObject({ width: 1600, height: 1200 });
    const care = await api.get<{ items: { id: string; residentName: string }[] }>(
      '/api/care/cases?pageSize=50',
    );
    const target = care.items.find((c) => c.residentName === who) as { id: string };
    const visits = await api.get<{ visits: { notes: string }[] }>(`/api/care/cases/${target.id}`);
    expect(visits.visits.filter((v) => v.notes.includes(marker))).toHaveLength(1);
    await ctx.close();
  });

  it('opens 上报 offline on a phone that never opened it online: the worker keeps every screen’s chunk when it installs', async () => {
    const marker = `离线首开${Date.now()}`;
    const api = await apiLogin(baseUrl, 'gridworker');
    const { ctx, page } = await phone();
    // The build's list of the chunks the worker keeps: JSON, revalidated whenever it is read.
    const list = await ctx.request.get(`${baseUrl}/m/precache.json`);
    expect(list.headers()['content-type']).toMatch(/^application\/json/);
    expect(list.headers()['cache-control']).toBe('no-cache');
    const { files } = (await list.json()) as { files: string[] };
    const reportChunk = files.find((f) => /^\/assets\/Report-[\w-]+\.js$/.test(f)) as string;
    expect(reportChunk).toBeDefined();
    await workerInControl(page);
    // What 上报 and 入户走访 need besides their code: the category list and the grid's
    // households, kept as the app opened.
    const keptCount = (key: string) =>
      page.evaluate(
        (k) =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('civicgrid-field');
            open.onsuccess = () => {
              const get = open.result.transaction('cache').objectStore('cache').get(k);
              get.onsuccess = () => resolve((get.result as unknown[] | undefined)?.length ?? 0);
            };
          }),
        key,
      );
    await expect.poll(() => keptCount('categories')).toBeGreaterThan(0);
    await expect.poll(() => keptCount('households')).toBeGreaterThan(0);
    // 上报 was never opened online: its chunk never reached the page.
    const fetched = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
    );
    expect(fetched).not.toContain(reportChunk);
    // The login and the task list came with the page itself (scripts/inline-m.mjs): no script
    // file was fetched for them, so a first visit on a slow network waits one round trip.
    expect(fetched.filter((p) => p.endsWith('.js'))).toEqual([]);

    await ctx.setOffline(true);
    await page.reload();
    await page.getByTestId('m-tasks').waitFor();
    const served = page.waitForResponse((r) => new URL(r.url()).pathname === reportChunk);
    // Without the chunk the form never shows, and report() fails first: this wait is of no interest then.
    served.catch(() => undefined);
    await report(page, `${marker} 井盖缺失`, true);
    expect((await served).fromServiceWorker()).toBe(true);
    await page.getByTestId('m-outbox-count').filter({ hasText: '待发送 1' }).waitFor();
    // 入户走访, never opened online either: its screen and the grid's households are on the phone.
    await page.getByTestId('m-tab-more').click();
    await page.getByTestId('m-household-visit').click();
    await page.getByTestId('m-households').locator('li').first().waitFor();
    await shot(page, 'm-households-offline');
    await page.getByRole('button', { name: '返回' }).click();

    await ctx.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor({ timeout: 60_000 });
    const cases = await api.get<CaseList>(`/api/cases?q=${encodeURIComponent(marker)}`);
    expect(cases.items.map((c) => c.description)).toEqual([`${marker} 井盖缺失`]);
    await ctx.close();
  });

  it('shows a screen’s wait while its chunk comes, and 重试 when it does not', async () => {
    // No service worker: the first visit online, on a slow network that then drops.
    const { ctx, page } = await phone({ serviceWorkers: 'block' });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let fetches = 0;
    await page.route(/\/assets\/Report-[\w-]+\.js$/, async (route) => {
      fetches++;
      if (fetches > 1) return route.continue();
      await held;
      await route.abort('internetdisconnected');
    });
    const header = await page.locator('header').boundingBox();
    await page.getByTestId('m-tab-report').click();
    const waiting = page.getByTestId('m-screen-loading');
    await waiting.waitFor();
    // The spinner fades in once the wait is long enough to notice.
    await expect.poll(() => waiting.evaluate((e) => getComputedStyle(e).opacity)).toBe('1');
    expect(await page.locator('header').boundingBox()).toEqual(header);
    await shot(page, 'm-screen-loading');
    release();
    await page.getByTestId('m-screen-failed').waitFor();
    await shot(page, 'm-screen-failed');
    await page.getByTestId('m-screen-retry').click();
    await page.getByTestId('m-report-description').waitFor();
    await page.getByTestId('m-report-location').filter({ hasText: '109.83' }).waitFor();
    expect(fetches).toBe(2);
    expect(await page.locator('header').boundingBox()).toEqual(header);
    await shot(page, 'm-report');
    await ctx.close();
  });

  it('sends a case once, with its photo, when the connection drops in the middle of the upload', async () => {
    const marker = `断网测试${Date.now()}`;
    const api = await apiLogin(baseUrl, 'gridworker');
    const { ctx, page } = await phone();
    let cut = true;
    // The upload reaches the server, but its reply is lost on the way back.
    await page.route('**/api/files', async (route) => {
      if (!cut) return route.continue();
      cut = false;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await report(page, `${marker} 路面井盖破损`, true);
    await page.getByTestId('m-outbox-count').filter({ hasText: '待发送 1' }).waitFor();
    await page.getByTestId('m-outbox-count').click();
    await page.getByText('立即发送').click();
    await page.getByText('全部已发送').waitFor({ timeout: 60_000 });
    const cases = await api.get<CaseList>(`/api/cases?q=${encodeURIComponent(marker)}`);
    expect(cases.total).toBe(1);
    const detail = await api.get<{ attachments: unknown[] }>(`/api/cases/${cases.items[0]?.id}`);
    expect(detail.attachments).toHaveLength(1);
    await ctx.close();
  });

  it('records a patrol track on the phone that the community then sees on the console map', async () => {
    const { ctx, page } = await phone();
    await page.getByTestId('m-tab-patrol').click();
    await page.getByTestId('m-patrol-start').click();
    // Walk east: a new fix every 5.5 s (the app keeps one point per 5 s); wait for the app to
    // count each one, however slow the machine is.
    const counted = (n: number) =>
      page.waitForFunction(
        (min) => Number(/轨迹点 (\d+)/.exec(document.body.textContent ?? '')?.[1] ?? 0) >= min,
        n,
        { timeout: 30_000 },
      );
    await counted(1);
    for (let i = 1; i <= 3; i++) {
      await page.waitForTimeout(5500);
      await ctx.setGeolocation({ latitude: 40.6545, longitude: 109.83 + i * 0.0004 });
      await counted(i + 1);
    }
    await page.getByTestId('m-patrol-stop').click();
    await page.getByText('巡查结束').waitFor();
    // The outbox sends the last points and the end; wait until the server has them.
    const api = await apiLogin(baseUrl, 'community');
    type P = { items: { endedAt: string | null; points: number }[] };
    for (let i = 0; i < 60; i++) {
      const p = (await api.get<P>('/api/patrols')).items[0];
      if (p?.endedAt && p.points >= 4) break;
      await page.waitForTimeout(500);
    }
    await ctx.close();

    const console = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const desk = await console.newPage();
    desk.setDefaultTimeout(30_000);
    await loginAs(desk, baseUrl, 'community');
    await desk.goto(`${baseUrl}/patrols`);
    await desk.getByTestId('patrol-list').locator('tr.ant-table-row').first().click();
    const info = desk.getByTestId('patrol-selected');
    await info.waitFor();
    const points = Number(/轨迹点 (\d+)/.exec((await info.textContent()) ?? '')?.[1]);
    expect(points).toBeGreaterThanOrEqual(3);
    expect((await info.textContent()) ?? '').toMatch(/0\.\d\d 公里/);
    await desk.getByTestId('patrol-map').locator('canvas').waitFor();
    await desk.getByTestId('patrol-coverage').waitFor();
    await console.close();
  });

  it('adjusts the reported position on the map, which loads only when asked for', async () => {
    const { ctx, page } = await phone();
    await page.getByTestId('m-tab-report').click();
    await page.getByTestId('m-report-location').filter({ hasText: '109.83000' }).waitFor();
    await page.getByText('地图选点').click();
    const map = page.getByTestId('m-map');
    await map.locator('canvas').waitFor();
    const box = (await map.boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.click(box.x + 40, box.y + box.height - 40);
    // West and south of the centre: both coordinates went down.
    const text = (await page.getByTestId('m-report-location').textContent()) ?? '';
    const [lng, lat] = text.split(',').map((x) => Number.parseFloat(x));
    expect(lng).toBeLessThan(109.83);
    expect(lat).toBeLessThan(40.6545);
    await ctx.close();
  });

  it('registers a person on the phone (ID checked there), then puts them in a dwelling from “data to check”', async () => {
    const { ctx, page } = await phone();
    await page.getByTestId('m-tab-more').click();
    await page.getByText('居民登记').click();
    const name = `登记${Date.now() % 100000}`;
    const first = `15020319880808${String(Date.now() % 1000).padStart(3, '0')}`;
    const good = `${first}${idNumberCheckChar(first)}`;
    await page.locator('input').first().fill(name);
    // A wrong check digit is caught before anything is kept.
    await page.getByTestId('m-resident-id').fill(`${first}${idNumberCheckChar(first) === '0' ? '1' : '0'}`);
    await page.getByText('身份证号校验位不正确').waitFor();
    await page.getByTestId('m-resident-id').fill(good);
    await page.getByText('1988-08-08 · 男').or(page.getByText('1988-08-08 · 女')).waitFor();
    await page.getByRole('button', { name: '保存' }).click();
    const api = await apiLogin(baseUrl, 'gridworker');
    type R = { items: { id: string; name: string }[] };
    let person: { id: string } | undefined;
    for (let i = 0; i < 60 && !person; i++) {
      person = (await api.get<R>(`/api/residents?idNumber=${good}`)).items[0];
      if (!person) await page.waitForTimeout(500);
    }
    expect(person).toBeDefined();
    // Tasks now list the person under “核实住址”.
    await page.getByTestId('m-tab-tasks').click();
    await page.getByRole('button', { name: '刷新', exact: true }).click();
    await page.getByText(`核实住址 · ${name}`).click();
    await page.getByPlaceholder('楼号、单元或房号，如 2号楼 302').fill('2号楼');
    await page.locator('.picker button').first().click();
    await page.getByTestId('m-settle-unit').waitFor();
    // The first unit the picker offers may have a head already (the demo's households vary
    // with the seed's clock): as 其他 the person joins any household (as 户主 it was refused,
    // 该户已有户主, whenever that unit had one).
    await page.locator('.screen select').first().selectOption('其他');
    await page.getByRole('button', { name: '保存' }).click();
    let household: { household: { housing: { address: string } | null } | null } = { household: null };
    for (let i = 0; i < 60 && !household.household; i++) {
      household = await api.get(`/api/residents/${person?.id}/household`);
      if (!household.household) await page.waitForTimeout(500);
    }
    expect(household.household?.housing?.address).toContain('2号楼');
    await ctx.close();
  });
});
