import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, pointInCommunity } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('智能派单: one click takes the suggested category', () => {
  it('the dispatcher sees the suggestion on the case page and 采用建议 recategorises the case', async () => {
    const clerk = await apiLogin(baseUrl, 'clerk');
    const at = await pointInCommunity(clerk, '保利新华社区');
    // Filed under street lamps, but the words are about a missing manhole cover.
    const created = await clerk.post<{ id: string; code: string }>('/api/cases', {
      description: `小区门口井盖丢失，路面有个大坑，晚上很危险 ${randomUUID().slice(0, 6)}`,
      categoryCode: 'C0103',
      channel: 'walk_in',
      location: at,
      idempotencyKey: randomUUID(),
    });
    const community = await apiLogin(baseUrl, 'community');
    // The model trains shortly after the demo starts; the suggestion is then ranked live.
    let top: { categoryCode: string; categoryName: string } | undefined;
    await expect
      .poll(
        async () => {
          const s = await community.get<{
            status: string;
            candidates: { categoryCode: string; categoryName: string }[];
          }>(`/api/cases/${created.id}/routing-suggestion`);
          top = s.status === 'suggested' ? s.candidates[0] : undefined;
          return top !== undefined;
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBe(true);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await loginAs(page, baseUrl, 'community');
    await page.goto(`${baseUrl}/cases/${created.id}`);
    await page.getByTestId('routing-candidates').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/case-suggestion.png`, fullPage: true });
    const adopt = page.getByTestId('routing-adopt');
    if (top?.categoryCode === 'C0103') {
      // The model agrees with the category filed: nothing to adopt.
      expect(await adopt.count()).toBe(0);
    } else {
      await adopt.click();
      await expect
        .poll(
          async () =>
            (await community.get<{ categoryCode: string }>(`/api/cases/${created.id}`)).categoryCode,
        )
        .toBe(top?.categoryCode);
      await page
        .getByText(top?.categoryName ?? '', { exact: true })
        .first()
        .waitFor();
      await expect.poll(() => adopt.count()).toBe(0);
      if (shots) await page.screenshot({ path: `${shots}/case-adopted.png`, fullPage: true });
      const events = await community.get<{ items: { action: string }[] }>(`/api/cases/${created.id}/events`);
      expect(events.items.map((e) => e.action)).toContain('recategorise');
    }
    await context.close();
  });
});
