import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** Where the screens of the run are kept to be looked at (E2E_SHOTS=/some/dir). */
const shots = process.env.E2E_SHOTS;

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 1800, height: 2400, channels: 3, background: '#dde' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

type Person = { id: string; name: string };
type Item = {
  code: string;
  name: string;
  level: string;
  materials: { name: string }[];
  formFields: { required: boolean }[];
};
type Mine = { items: { id: string; code: string; serviceName: string; applicantName: string }[] };

describe('帮办代办 from the field app', () => {
  it('the grid worker takes a matter in for a resident of his grid; the window sees it with the agent in its trail', async () => {
    const api = await apiLogin(baseUrl, 'gridworker');
    // A resident of his grid, and an item his community handles that asks no form answers.
    const people = await api.get<{ items: Person[] }>('/api/residents?pageSize=50');
    const person = people.items.find((p) => people.items.filter((q) => q.name === p.name).length === 1);
    const items = (await api.get<{ items: Item[] }>('/api/services')).items;
    const item = items.find((i) => i.level === 'community' && !i.formFields.some((f) => f.required));
    expect(person).toBeDefined();
    expect(item).toBeDefined();
    if (!person || !item) return;
    const before = (await api.get<Mine>('/api/proxy-applications?pageSize=200')).items.length;

    const ctx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${baseUrl}/m/`);
    await page.getByTestId('m-username').fill('gridworker');
    await page.getByTestId('m-password').fill('Demo@2026');
    await page.getByTestId('m-login').click();
    await page.getByTestId('m-tasks').waitFor();
    await page.getByTestId('m-tab-more').click();
    await page.getByTestId('m-proxy-open').click();
    await page.getByTestId('m-proxy-list').waitFor();
    await page.getByTestId('m-proxy-new').click();

    await page.getByTestId('m-proxy-search').fill(person.name);
    await page.getByTestId('m-proxy-search-go').click();
    await page.getByTestId('m-proxy-person').filter({ hasText: person.name }).first().click();
    await page.getByTestId('m-proxy-resident').filter({ hasText: person.name }).waitFor();
    await page.getByTestId('m-proxy-item-select').selectOption(item.code);
    const ticks = page.getByTestId('m-proxy-material');
    await expect.poll(() => ticks.count()).toBe(item.materials.length);
    for (let i = 0; i < item.materials.length; i++) await ticks.nth(i).check();
    await page.getByTestId('m-proxy-consent-signedForm').click();
    await page
      .getByTestId('m-proxy-consent-photo')
      .setInputFiles({ name: 'consent.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('.thumb img').first().waitFor();
    await shot(page, 'm-proxy-form');
    await page.getByTestId('m-proxy-submit').click();

    // Back on the list: once sent, the server's copy shows with its state.
    await page.getByTestId('m-proxy-list').waitFor();
    await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor();
    const mineNow = () => api.get<Mine>('/api/proxy-applications?pageSize=200');
    await expect.poll(async () => (await mineNow()).items.length, { timeout: 60_000 }).toBe(before + 1);
    const mine = await mineNow();
    const taken = mine.items[0];
    expect(taken).toMatchObject({ serviceName: item.name, applicantName: person.name });
    if (!taken) return;
    // Opened again, the list shows it with its state.
    await page.locator('header button.back').click();
    await page.getByTestId('m-proxy-open').click();
    await page
      .getByTestId('m-proxy-item')
      .filter({ hasText: taken.code })
      .getByTestId('m-proxy-state')
      .waitFor();
    await shot(page, 'm-proxy-list');
    await ctx.close();

    // The community's window (clerk) sees it, taken in by proxy, the agent named in its trail.
    const desk = await browser.newPage();
    desk.setDefaultTimeout(30_000);
    await loginAs(desk, baseUrl, 'clerk');
    await desk.goto(`${baseUrl}/applications/${taken.id}`);
    await desk.getByTestId('application-code').filter({ hasText: taken.code }).waitFor({ timeout: 90_000 });
    const step = desk.getByTestId('application-event').filter({ hasText: '帮办代办' });
    await step.waitFor();
    expect(await step.textContent()).toContain('代办员');
    await shot(desk, 'console-proxy-application');
    await desk.close();
  });
});
