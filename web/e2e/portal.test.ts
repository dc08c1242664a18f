import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, pointInCommunity } from './api';
import { launchBrowser } from './browser';
import { codeFor } from './resident';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#a74' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

const stepOf = (page: Page) => page.getByTestId('r-timeline').locator('li').last();

describe('the resident portal on a phone', () => {
  it('signs in with a code, reports with a photo and a pin, sees it dispatched, rates it and it closes', async () => {
    const staff = await apiLogin(baseUrl, 'community');
    const at = await pointInCommunity(staff, '保利新华社区');
    const ctx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      // A resident's phone of its own address (the e2e server trusts loopback as its proxy).
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.11' },
      geolocation: { latitude: at.lat, longitude: at.lng },
      permissions: ['geolocation'],
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    // A number of its own per run: the limits allow one code a minute per number.
    const phone = `139${String(Date.now()).slice(-8)}`;

    await page.goto(`${baseUrl}/r`);
    await page.getByTestId('r-phone').fill(phone);
    await page.getByTestId('r-get-code').click();
    await page.getByTestId('r-code').fill(await codeFor(phone));
    // Signing in without agreeing to the privacy notice is refused on the spot.
    await page.getByTestId('r-sign-in').click();
    await page.getByTestId('r-error').waitFor();
    await page.getByTestId('r-agree').check();
    await page.getByTestId('r-sign-in').click();
    await page.getByText('您还没有反映过问题').waitFor();

    // Report: a plain-words category, what is wrong, a photo, the current position as the pin.
    await page.getByTestId('r-new-report').click();
    await page.getByRole('button', { name: '路灯不亮' }).click();
    const marker = `e2e-${Date.now()}`;
    await page.getByTestId('r-description').fill(`${marker} 小区北门路灯不亮`);
    await page.getByTestId('r-photo').setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('.photos img').waitFor();
    await page.getByTestId('r-locate').click();
    await page.getByTestId('r-point').waitFor();
    await page.getByTestId('r-submit').click();
    await page.getByTestId('r-timeline').waitFor();
    await expect.poll(() => stepOf(page).textContent()).toContain('已收到');
    const id = new URL(page.url()).pathname.split('/').at(-1) as string;

    // The case is the resident's, with the photo shrunk on the phone and the pin where they stood.
    const detail = await staff.get<{
      channel: string;
      location: { lat: number; lng: number };
      attachments: { width: number; height: number }[];
    }>(`/api/cases/${id}`);
    expect(detail.channel).toBe('resident_app');
    expect(detail.location.lat).toBeCloseTo(at.lat, 4);
    expect(
      Math.max(detail.attachments[0]?.width ?? 0, detail.attachments[0]?.height ?? 0),
    ).toBeLessThanOrEqual(1600);

    // Staff act through the API: accepted, dispatched to 城管; the resident sees who has it.
    await staff.post(`/api/cases/${id}/actions/accept`, {});
    const choices = await staff.get<{ departments: { id: number; name: string }[] }>(
      `/api/cases/${id}/assignees`,
    );
    const chengguan = choices.departments.find((d) => d.name === '城管');
    await staff.post(`/api/cases/${id}/actions/dispatch`, {
      assignee: { kind: 'department', id: chengguan?.id },
      instructions: '内部指示：先查线路',
    });
    await page.reload();
    await expect.poll(() => stepOf(page).textContent()).toContain('已派给 城管');
    expect(await page.getByTestId('r-timeline').textContent()).not.toContain('内部指示');

    const dept = await apiLogin(baseUrl, 'dept');
    await dept.post(`/api/cases/${id}/actions/claim`, {});
    await dept.post(`/api/cases/${id}/actions/resolve`, { result: '已更换灯具，恢复照明' });
    await staff.post(`/api/cases/${id}/actions/verify`, { passed: true });

    // The resident rates it; their rating closes the case.
    await page.reload();
    await page.getByTestId('r-rate').waitFor();
    expect(await page.getByTestId('r-timeline').textContent()).toContain('已更换灯具，恢复照明');
    await page.getByRole('button', { name: '满意', exact: true }).click();
    await page.getByTestId('r-rate-send').click();
    await page.getByTestId('r-rating').waitFor();
    await expect.poll(() => stepOf(page).textContent()).toContain('已办结');
    await expect
      .poll(async () => (await staff.get<{ status: string; rating: string }>(`/api/cases/${id}`)).status)
      .toBe('closed');
    expect((await staff.get<{ rating: string }>(`/api/cases/${id}`)).rating).toBe('satisfied');
    // 没修好 is offered for the next 7 days.
    await page.getByTestId('r-not-fixed').waitFor();

    // My matters lists it as done.
    await page.goto(`${baseUrl}/r`);
    await expect.poll(() => page.getByTestId('r-case-step').first().textContent()).toBe('已办结');
    await ctx.close();
  });

  it('says 无效 for a certificate code that does not exist', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl}/r/verify/ZM20261202000001-XXXXXXXX`);
    await expect.poll(() => page.getByTestId('r-verdict').textContent()).toBe('无效');
    await ctx.close();
  });
});
