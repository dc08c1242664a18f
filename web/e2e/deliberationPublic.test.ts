import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './browser';
import { phonePage, shot, signInResident } from './resident';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('议事公开 on the resident portal', () => {
  it('a signed-in resident opens a deliberation, sees its steps and comments on it', async () => {
    const page = await phonePage(browser, '198.51.100.23');
    await signInResident(page);
    await page.getByTestId('r-deliberations-link').click();
    await page.getByText('小区加装电动自行车充电桩').click();
    await page.getByTestId('r-deliberation-steps').waitFor();
    const marker = `e2e留言${String(Date.now()).slice(-6)}：支持`;
    await page.getByTestId('r-comment-text').fill(marker);
    await page.getByTestId('r-comment-send').click();
    await page.getByTestId('r-comment').getByText(marker).waitFor();
    await shot(page, 'r-deliberation');
    await page.context().close();
  });
});
