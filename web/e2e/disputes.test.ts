import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.getByTestId(`action-${action}`).click();
  await page.locator('.ant-modal:visible').waitFor();
  await fill?.();
  await page.getByTestId('action-ok').click();
  await page.locator('.ant-modal').waitFor({ state: 'hidden' });
}

const state = (page: Page, text: string) => page.getByTestId('dispute-state').filter({ hasText: text });
const inDays = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('mediating a dispute in the console', () => {
  it('the mediator registers a water leak between neighbours, holds a session, records the agreement, prints it, and the follow-up closes it', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await loginAs(page, baseUrl, 'mediator');
    await page.getByTestId('side-menu').getByText('矛盾纠纷').click();
    await page.getByTestId('disputes-register').click();

    await chooseOption(page, page.getByTestId('dispute-type'), '邻里');
    await page
      .getByTestId('dispute-description')
      .fill('楼上卫生间漏水渗到楼下天花板，双方就维修费用协商不成。');
    const names = page.getByTestId('party-name');
    await names.nth(0).fill('王建国');
    await names.nth(1).fill('李秀英');
    await page.getByTestId('dispute-submit').click();

    await page.waitForURL((u) => /\/governance\/disputes\/[0-9a-f-]{36}$/.test(u.pathname));
    await state(page, '待受理').waitFor();
    const code = ((await page.getByTestId('dispute-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^TJ\d{14}$/);

    await act(page, 'accept');
    await state(page, '已受理').waitFor();
    await act(page, 'assign', async () => {
      await page.getByTestId('assign-target').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '专职调解员' })
        .click();
    });
    await state(page, '已指派').waitFor();
    await act(page, 'session', async () => {
      await page.getByTestId('session-place').fill('黄河西路街道矛盾纠纷调处室');
      await page.getByTestId('session-notes').fill('双方到场，物业确认漏水点为楼上卫生间防水层。');
    });
    await state(page, '调解中').waitFor();
    await page.getByTestId('dispute-session').waitFor();

    await act(page, 'agree', async () => {
      await page
        .getByTestId('agree-term')
        .first()
        .fill('李秀英于七日内修复卫生间防水层并赔偿修缮费一千五百元');
      const date = page.getByTestId('agree-perform-by');
      await date.click();
      await page.keyboard.type(inDays(7));
      await page.keyboard.press('Enter');
    });
    await state(page, '已达成协议').waitFor();

    const link = page.getByTestId('agreement-pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const pdf = readFileSync((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toContain(code);

    await act(page, 'followUp', async () => {
      await page.getByTestId('follow-up-performed').getByText('已履行').click();
    });
    await state(page, '已结案').waitFor();
    await page.getByTestId('dispute-follow-up').waitFor();
    await expect.poll(() => page.getByTestId('dispute-actions').locator('button').count()).toBe(0);
    await context.close();
  });
});
