import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('通知公告', () => {
  it('a community publishes a notice, its resident reads it at /r, staff see one reader', async () => {
    const staff = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const desk = await staff.newPage();
    desk.setDefaultTimeout(30_000);
    await loginAs(desk, baseUrl, 'community');
    await desk.goto(`${baseUrl}/notices`);
    await desk.getByTestId('notices-table').waitFor();
    // The demo district's notices are there (seed), with their read counts.
    await expect.poll(() => desk.getByTestId('notice-row-title').count()).toBeGreaterThan(0);
    if (shots) await desk.screenshot({ path: `${shots}/notices-desk.png` });

    const title = `e2e 停水通知 ${Date.now()}`;
    await desk.getByTestId('notice-create').click();
    await desk.getByTestId('notice-title').fill(title);
    await desk.getByTestId('notice-body').fill('明天 9:00—17:00 小区停水。\n\n请提前储水。');
    if (shots) await desk.screenshot({ path: `${shots}/notices-drawer.png` });
    await desk.getByTestId('notice-save').click();
    const row = desk.locator('tr', { hasText: title });
    await row.waitFor();
    await expect.poll(() => row.getByTestId('notice-reads').textContent()).toBe('0');

    // The demo resident lives in the community's first grid; he signs in with his password.
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
    await r.goto(`${baseUrl}/r`);
    await r.getByTestId('r-notices-unread').waitFor();
    await r.getByTestId('r-notices-link').click();
    const card = r.locator('li', { hasText: title });
    await card.getByTestId('r-notice-unread').waitFor();
    if (shots) await r.screenshot({ path: `${shots}/notices-r-list.png` });
    await card.click();
    await r.getByTestId('r-notice').getByText('请提前储水。').waitFor();
    if (shots) await r.screenshot({ path: `${shots}/notices-r-detail.png` });
    // Back in the list it is read; opening it again does not count twice.
    await r.goBack();
    await r.locator('li', { hasText: title }).waitFor();
    expect(await r.locator('li', { hasText: title }).getByTestId('r-notice-unread').count()).toBe(0);
    await r.locator('li', { hasText: title }).click();
    await r.getByTestId('r-notice').waitFor();

    await desk.reload();
    await expect
      .poll(() => desk.locator('tr', { hasText: title }).getByTestId('notice-reads').textContent())
      .toBe('1');

    // Withdrawn: gone from the resident's list.
    await desk.locator('tr', { hasText: title }).getByTestId('notice-withdraw').click();
    await desk.getByTestId('notice-withdraw-ok').click();
    await desk.locator('tr', { hasText: title }).getByText('已撤回').waitFor();
    await r.goto(`${baseUrl}/r/notices`);
    await r.getByTestId('r-notices').waitFor();
    expect(await r.locator('li', { hasText: title }).count()).toBe(0);

    // The public map: list view of the reports of opted-in categories (none yet is fine).
    await r.goto(`${baseUrl}/r/map`);
    await r.getByTestId('r-list-tab').waitFor();
    await r.locator('[data-testid="r-public-reports"], .r-empty').first().waitFor();
    if (shots) await r.screenshot({ path: `${shots}/map-r-list.png` });
    await phone.close();
    await staff.close();
  });
});
