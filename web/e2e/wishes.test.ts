import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser, loginAs } from './browser';
import { codeFor } from './resident';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS;

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6a9' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** Opens a wish in the console's list by its title and waits for its drawer. */
async function openWish(page: Page, path: string, title: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('wishes-table').getByText(title).first().click();
  await page.getByTestId('wish-drawer').getByText(title).first().waitFor();
}

describe('微心愿: 群众点单、网格派单、党员接单、反馈评价', () => {
  it('a resident posts a wish on the portal, the grid worker publishes it, the volunteer claims and fulfils it, the resident rates it', async () => {
    const title = `e2e心愿${String(Date.now()).slice(-6)}`;
    // The resident, on a phone of his own address.
    const phoneCtx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.41' },
    });
    const r = await phoneCtx.newPage();
    r.setDefaultTimeout(30_000);
    const phone = `137${String(Date.now()).slice(-8)}`;
    await r.goto(`${baseUrl}/r`);
    await r.getByTestId('r-phone').fill(phone);
    await r.getByTestId('r-get-code').click();
    await r.getByTestId('r-code').fill(await codeFor(phone));
    await r.getByTestId('r-agree').check();
    await r.getByTestId('r-sign-in').click();
    await r.getByTestId('r-wishes-link').click();
    await r.getByTestId('r-wishes').waitFor();
    await r.getByTestId('r-wish-new').click();
    await r.getByTestId('r-wish-title').fill(title);
    await r.getByTestId('r-wish-description').fill('独居老人，想要一台收音机听广播');
    const community = r.getByTestId('r-wish-community');
    const value = await community
      .locator('option', { hasText: '保利新华社区' })
      .first()
      .getAttribute('value');
    await community.selectOption(value as string);
    const grid = r.getByTestId('r-wish-grid');
    await expect.poll(() => grid.locator('option').count()).toBeGreaterThan(1);
    await grid.selectOption({ index: 1 });
    await shot(r, 'r-wish-form');
    await r.getByTestId('r-wish-send').click();
    const mine = r.getByTestId('r-wish').filter({ hasText: title });
    await expect.poll(() => mine.getByTestId('r-wish-status').textContent()).toBe('待审核');
    await shot(r, 'r-wishes');

    // The grid worker of 保利新华社区第1网格 publishes it from the console (after confirming).
    const consoleCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const c = await consoleCtx.newPage();
    c.setDefaultTimeout(30_000);
    await loginAs(c, baseUrl, 'gridworker');
    await openWish(c, '/participation/wishes?status=submitted', title);
    await shot(c, 'console-wish-drawer');
    await c.getByTestId('wish-publish').click();
    await c.getByTestId('wish-confirm-publish').click();
    await expect.poll(() => c.getByTestId('wish-drawer').getByText('待认领').count()).toBeGreaterThan(0);
    await shot(c, 'console-wishes');

    // The volunteer (a party member who reported to the community) claims it and fulfils it with a photo.
    const volCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const v = await volCtx.newPage();
    v.setDefaultTimeout(30_000);
    await loginAs(v, baseUrl, 'volunteer');
    await openWish(v, '/participation/wish-wall', title);
    await v.getByTestId('wish-claim').click();
    await v.getByTestId('wish-confirm-claim').click();
    await v.getByTestId('wish-fulfil-note').waitFor();
    await v
      .getByTestId('wish-drawer')
      .locator('input[type=file]')
      .setInputFiles({ name: 'done.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => v.getByTestId('wish-fulfil-photo').textContent()).toContain('1');
    await v.getByTestId('wish-fulfil-note').fill('送去一台收音机，教会老人使用');
    await v.getByTestId('wish-fulfil').click();
    await expect.poll(() => v.getByTestId('wish-drawer').getByText('已实现').count()).toBeGreaterThan(0);
    await shot(v, 'console-wish-wall');

    // Back on the phone: the resident rates it.
    await r.reload();
    await expect.poll(() => mine.getByTestId('r-wish-status').textContent()).toBe('已实现');
    await mine.getByTestId('r-wish-star-4').click();
    await mine.getByTestId('r-wish-rate').click();
    await expect.poll(() => mine.getByTestId('r-wish-status').textContent()).toBe('已评价');

    // The trail holds each step; the public wall shows it with no one's name.
    const staff = await apiLogin(baseUrl, 'community');
    const list = await staff.get<{ items: { id: string; title: string }[] }>('/api/wishes?pageSize=200');
    const id = list.items.find((w) => w.title === title)?.id as string;
    const detail = await staff.get<{ events: { action: string }[]; rating: number; fileIds: string[] }>(
      `/api/wishes/${id}`,
    );
    expect(detail.events.map((e) => e.action)).toEqual(['post', 'publish', 'claim', 'fulfil', 'rate']);
    expect(detail.rating).toBe(4);
    expect(detail.fileIds).toHaveLength(1);
    const wall = await (await fetch(`${baseUrl}/api/public/wishes?pageSize=200`)).text();
    expect(wall).toContain(title);
    expect(wall).not.toContain(phone);
    await Promise.all([phoneCtx.close(), consoleCtx.close(), volCtx.close()]);
  });
});
