import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { chooseOption, launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** The demo devices' secrets derive from the demo password (server/src/seed/eldercare.ts). */
const secretOf = (imei: string) =>
  createHmac('sha256', 'Demo@2026').update(`wearable:${imei}`).digest('base64url').slice(0, 24);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function as(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await loginAs(page, baseUrl, user);
  return page;
}

type DeviceList = { items: { id: string; imei: string; elderName: string; gridName: string | null }[] };

describe('the eldercare page', () => {
  it('shows an SOS live in the alert queue, and replays a device’s day on the map', async () => {
    const page = await as('gridworker');
    await page.goto(`${baseUrl}/eldercare`);
    await page.getByTestId('eldercare-page').waitFor();
    await page.getByTestId('device-table').locator('tr.ant-table-row').first().waitFor();
    // The live stream is open before the device presses its button.
    await page.getByText('实时连接', { exact: true }).waitFor();

    const worker = await apiLogin(baseUrl, 'gridworker');
    const { items } = await worker.get<DeviceList>('/api/devices?pageSize=200');
    const device = items[0];
    if (!device) throw new Error('the demo has no device in the grid worker’s area');
    const res = await fetch(`${baseUrl}/api/devices/${device.imei}/telemetry`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${device.imei}:${secretOf(device.imei)}`).toString('base64')}`,
      },
      body: JSON.stringify({ ts: Date.now(), type: 'sos' }),
    });
    expect(res.status).toBe(202);

    // No reload: the alert arrives over the stream.
    const queue = page.getByTestId('alert-queue');
    const row = queue.locator('tr.ant-table-row', { hasText: device.elderName });
    await row.getByText('SOS 呼救').waitFor();
    await row.getByText(/^SJ\d+/).waitFor();

    // The day's track: the seeded walk since seven o'clock, replayed point by point.
    await page
      .getByTestId('device-table')
      .locator('tr.ant-table-row', { hasText: device.elderName })
      .first()
      .click();
    const time = page.getByTestId('track-time');
    await time.getByText(/^第 1 \/ \d+ 点/).waitFor();
    const total = Number(/\/ (\d+) 点/.exec((await time.textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(1);
    await page.getByTestId('track-play').click();
    await time.getByText(new RegExp(`^第 ${total} / ${total} 点`)).waitFor({ timeout: 60_000 });
    await page.getByTestId('vitals-chart').locator('canvas').waitFor();
    // For a person to look at: the replayed day, the chart and the queue with the SOS.
    await page.screenshot({ path: join(tmpdir(), 'civicgrid-eldercare-e2e.png'), fullPage: true });

    // Acknowledged, the alert leaves the queue of open alerts.
    await row.getByRole('button', { name: /确\s?认/ }).click();
    await row.waitFor({ state: 'detached' });
  });
});

describe('the elders’ files', () => {
  it('the community edits an elder’s file: care, mobility, a new contact; the numbers on file stay masked and kept', async () => {
    const page = await as('community');
    await page.goto(`${baseUrl}/eldercare/elders?livingAlone=true`);
    await page.getByTestId('elders-page').waitFor();
    const first = page.getByTestId('elders-table').locator('tr.ant-table-row').first();
    await first.waitFor();
    await first.click();
    const drawer = page.getByTestId('elder-drawer');
    await drawer.getByTestId('elder-edit').click();
    const form = drawer.getByTestId('elder-form');
    await form.waitFor();
    const before = await form.locator('[data-testid^="elder-contact-"]').count();
    await chooseOption(page, form.getByTestId('elder-mobility-select'), '使用轮椅');
    // A new contact without a number is refused on the form, before anything is sent.
    await form.getByTestId('elder-add-contact').click();
    const added = form.getByTestId(`elder-contact-${before}`);
    await added.getByPlaceholder('姓名').fill('王小红');
    await added.getByPlaceholder('关系').fill('孙女');
    await form.getByTestId('elder-save').click();
    await form.getByText('新联系人须填写手机号').waitFor();
    await added.getByPlaceholder('手机号').fill('13700005555');
    await page.screenshot({ path: join(tmpdir(), 'elder-edit.png') });
    const saved = page.waitForResponse((r) => r.url().includes('/profile') && r.request().method() === 'PUT');
    await form.getByTestId('elder-save').click();
    const reply = await saved.catch(async (e) => {
      await page.screenshot({ path: join(tmpdir(), 'elder-edit-after.png') });
      throw e;
    });
    expect(reply.status(), await reply.text()).toBe(200);
    await drawer.getByTestId('elder-mobility').getByText('使用轮椅').waitFor();
    const contacts = drawer.getByTestId('elder-contacts').locator('li');
    await contacts
      .nth(before)
      .getByText(/王小红（孙女 · 家属）\*{7}5555/)
      .waitFor();
    expect(await contacts.count()).toBe(before + 1);
    await page.screenshot({ path: join(tmpdir(), 'elder-saved.png') });
    expect(await drawer.textContent()).not.toContain('13700005555');
  });
});
