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
  photo = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#cde' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

type OrderList = { items: { id: string; no: string; residentId: string; elderName: string }[] };
type Order = { id: string; no: string; status: string; home: { lat: number; lng: number } | null };

describe('12349 工单', () => {
  it('the operator takes a call and dispatches; the provider accepts, arrives and finishes on /m; the operator follows up', async () => {
    const api = await apiLogin(baseUrl, 'operator');
    // An elder of 保利新华社区 (the demo orders are theirs), served by the `provider` account's provider.
    const seeded = await api.get<OrderList>('/api/eldercare/orders?pageSize=50');
    const elder = seeded.items.find(
      (o) => seeded.items.filter((x) => x.elderName === o.elderName).length >= 1,
    );
    expect(elder).toBeDefined();
    if (!elder) return;
    const providers = await api.get<{ items: { id: number; name: string }[] }>(
      `/api/providers?q=${encodeURIComponent('保利新华')}`,
    );
    const provider = providers.items[0];
    expect(provider?.name).toBe('保利新华居家养老服务站');
    if (!provider) return;

    // ——— the operator, in the console
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await desk.newPage();
    page.setDefaultTimeout(30_000);
    await loginAs(page, baseUrl, 'operator');
    await page.goto(`${baseUrl}/eldercare/orders`);
    await page.getByTestId('elder-orders').waitFor();
    await shot(page, 'elder-orders-list');
    await page.getByTestId('take-call').click();
    const form = page.getByTestId('take-call-form');
    await form.waitFor();
    await page.getByTestId('caller-name').fill('王女士');
    await page.getByTestId('elder-select').click();
    await page.keyboard.type(elder.elderName);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', {
      hasText: elder.elderName,
    });
    await option.first().click();
    await page.getByTestId('service-select').click();
    await page.keyboard.type('居室保洁');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '居室保洁' })
      .first()
      .click();
    await page.getByTestId('order-note').fill('e2e 上门打扫卫生');
    await shot(page, 'elder-orders-take-call');
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/eldercare/orders') && r.request().method() === 'POST',
    );
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const res = await created;
    expect(res.status()).toBe(201);
    const order = (await res.json()) as Order;
    await page.getByTestId('order-drawer').waitFor();
    await page.getByTestId(`dispatch-${provider.id}`).click();
    await expect.poll(async () => page.getByTestId('order-status').textContent()).toBe('已派单');
    await shot(page, 'elder-orders-dispatched');

    // ——— the provider's staff, on the phone at the elder's door
    const home = order.home ?? { lat: 40.65, lng: 109.84 };
    const phone = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      geolocation: { latitude: home.lat + 0.0003, longitude: home.lng },
      permissions: ['geolocation'],
    });
    const m = await phone.newPage();
    m.setDefaultTimeout(30_000);
    await m.goto(`${baseUrl}/m/`);
    await m.getByTestId('m-username').fill('provider');
    await m.getByTestId('m-password').fill('Demo@2026');
    await m.getByTestId('m-login').click();
    await m.getByTestId('m-provider-orders').waitFor();
    await shot(m, 'm-provider-orders');
    const mine = m
      .getByTestId('m-provider-order')
      .filter({ hasText: elder.elderName })
      .filter({ hasText: '待接单' });
    await mine.first().click();
    await m.getByTestId('m-order-accept').click();
    await expect.poll(() => m.getByTestId('m-order-status').textContent()).toBe('已接单');
    await m.getByTestId('m-order-arrive').click();
    await expect.poll(() => m.getByTestId('m-order-status').textContent()).toBe('服务中');
    await m.getByTestId('m-order-note').fill('已打扫客厅和厨房');
    await m
      .getByTestId('m-order-photo')
      .setInputFiles({ name: 'done.jpg', mimeType: 'image/jpeg', buffer: photo });
    await m.locator('.thumb img').first().waitFor();
    await shot(m, 'm-provider-finish');
    await m.getByTestId('m-order-finish').click();
    await expect.poll(() => m.getByTestId('m-order-status').textContent()).toBe('已完成');
    await phone.close();

    // ——— the operator calls back
    const after = await api.get<Order & { fileIds: string[]; subsidy: number | null }>(
      `/api/eldercare/orders/${order.id}`,
    );
    expect(after.status).toBe('finished');
    expect(after.fileIds).toHaveLength(1);
    await page.goto(`${baseUrl}/eldercare/orders?q=${order.no}`);
    await page.locator('.ant-table-row', { hasText: order.no }).click();
    await page.getByTestId('order-followup-note').fill('回访：老人对服务满意');
    await page.getByTestId('order-followup').click();
    await expect.poll(async () => page.getByTestId('order-status').textContent()).toBe('已回访');
    await shot(page, 'elder-orders-closed');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: '统计与账单' }).click();
    await page.getByTestId('order-stats').waitFor();
    await shot(page, 'elder-orders-stats');
    await page.goto(`${baseUrl}/eldercare/providers`);
    await page.getByTestId('providers').waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, 'elder-providers');
    await desk.close();
  }, 240_000);
});
