import { idNumberCheckChar } from '@civicgrid/core';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser } from './browser';
import { codeFor } from './resident';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS ?? '';

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#579' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

describe('the service guide and online application on a phone', () => {
  it('finds 居住证明, applies with photos, staff accept and issue it, the resident is told, downloads the certificate and rates it', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      // A resident's phone of its own address (the e2e server trusts loopback as its proxy).
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.12' },
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    const phone = `137${String(Date.now()).slice(-8)}`;
    // An ID number of its own per run (valid check digit), so the real-name binding is new.
    const first17 = `15020319850601${String(Date.now()).slice(-3)}`;
    const id18 = first17 + idNumberCheckChar(first17);

    await page.goto(`${baseUrl}/r`);
    await page.getByTestId('r-phone').fill(phone);
    await page.getByTestId('r-get-code').click();
    await page.getByTestId('r-code').fill(await codeFor(phone));
    await page.getByTestId('r-agree').check();
    await page.getByTestId('r-sign-in').click();
    await page.getByTestId('r-tab-apps').click();
    await page.getByText('您还没有办件（网上申请、窗口或帮办的都会显示在这里）').waitFor();

    // 办事指南: search, open the guide, apply.
    await page.getByTestId('r-guide-link').click();
    await page.getByTestId('r-guide-search').fill('居住证明');
    await page.getByTestId('r-guide-list').getByText('居住证明', { exact: true }).click();
    await page.getByTestId('r-guide-materials').waitFor();
    expect(await page.getByTestId('r-guide').textContent()).toContain('在本社区实际居住的居民');
    if (shots) await page.screenshot({ path: `${shots}/guide.png`, fullPage: true });
    await page.getByTestId('r-apply').click();

    // Real name first, then the form and a photo per required material.
    await page.getByTestId('r-real-name').waitFor();
    await page.getByTestId('r-real-name').locator('input').nth(0).fill('赵桂兰');
    await page.getByTestId('r-real-name').locator('input').nth(1).fill(id18);
    await page.getByTestId('r-real-name').getByRole('button').click();
    await page.getByTestId('r-apply-form').waitFor();
    const community = page.getByTestId('r-community');
    const value = await community
      .locator('option', { hasText: '保利新华社区' })
      .first()
      .getAttribute('value');
    await community.selectOption(value as string);
    await page.getByLabel('证明用途').selectOption('子女入学');
    await page.getByTestId('r-form-since').fill('2019-03-01');
    for (const i of [0, 1, 2]) {
      await page
        .getByTestId(`r-material-${i}`)
        .setInputFiles({ name: `m${i}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      await expect.poll(() => page.locator('.r-material img').count()).toBe(i + 1);
    }
    if (shots) await page.screenshot({ path: `${shots}/apply.png`, fullPage: true });
    await page.getByTestId('r-apply-submit').click();
    await page.getByTestId('r-application').waitFor();
    expect(await page.getByTestId('r-application-now').textContent()).toBe('已提交，待社区受理');
    const appId = new URL(page.url()).pathname.split('/').at(-1) as string;

    // The window's pre-check takes it in (受理), then issues it (through the API).
    const clerk = await apiLogin(baseUrl, 'clerk');
    const seen = await clerk.get<{ channel: string; applicantName: string; status: string }>(
      `/api/applications/${appId}`,
    );
    expect(seen).toMatchObject({ channel: 'online', applicantName: '赵桂兰', status: 'submitted' });
    await clerk.post(`/api/applications/${appId}/actions/accept`, {});
    await clerk.post(`/api/applications/${appId}/actions/issue`, {});

    // He is told: the unread count, the notification opens the application.
    await page.goto(`${baseUrl}/r`);
    await expect.poll(() => page.getByTestId('r-unread').textContent()).toBe('2');
    await page.getByTestId('r-notifications-link').click();
    const first = page.getByTestId('r-notifications').locator('button').first();
    expect(await first.textContent()).toContain('您的申请已办结');
    if (shots) await page.screenshot({ path: `${shots}/notifications.png`, fullPage: true });
    await first.click();
    await page.getByTestId('r-application').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/r/applications/${appId}`);
    expect(await page.getByTestId('r-application-now').textContent()).toBe('已办结');
    expect(await page.getByTestId('r-timeline').textContent()).toContain('已受理');

    // The certificate downloads for him; rating it once.
    const pdf = await page.request.get(`${baseUrl}/api/my/applications/${appId}/certificate.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.getByTestId('r-certificate').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/application.png`, fullPage: true });
    await page.getByTestId('r-app-rate').getByRole('button', { name: '非常满意' }).click();
    await expect.poll(() => page.getByTestId('r-app-rating').textContent()).toContain('非常满意');
    const rating = await clerk.get<{ level: number; channel: string }>(`/api/applications/${appId}/rating`);
    expect(rating).toMatchObject({ level: 1, channel: 'online' });
    await ctx.close();
  });
});
