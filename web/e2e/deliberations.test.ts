import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
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

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

const status = (page: Page) => page.getByTestId('deliberation-status').textContent();

/** Picks the step's form (when several are allowed), fills it and waits for the new state. */
async function takeStep(page: Page, label: string, fill: () => Promise<void>, button: string) {
  const choice = page.getByTestId('deliberation-steps').getByText(label, { exact: true });
  if (await choice.count()) await choice.first().click();
  await fill();
  await page.getByTestId(button).click();
}

describe('议事协商: 五步民主议事', () => {
  it('the community proposes, records the meeting and the vote (refused below quorum), implements; the street reviews; it is published on the results page', async () => {
    const title = `e2e议事${String(Date.now()).slice(-6)}`;
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const c = await ctx.newPage();
    c.setDefaultTimeout(30_000);
    await loginAs(c, baseUrl, 'community');
    await c.goto(`${baseUrl}/participation/deliberations`);
    await c.getByTestId('deliberations-table').waitFor();
    await shot(c, 'deliberations');

    // 党支部提出建议.
    await c.getByTestId('deliberations-propose').click();
    const form = c.getByTestId('deliberation-propose-form');
    await form.locator('#title').fill(title);
    await form.locator('#proposal').fill('在小区北门增设一处快递柜，方便老人取件，费用由快递企业承担。');
    await c.getByTestId('deliberation-propose-submit').click();
    const drawer = c.getByTestId('deliberation-drawer');
    await drawer.getByText(title).first().waitFor();
    await expect.poll(() => status(c)).toBe('已提议');

    // 居民代表开会: 20 of 45 present is short of the quorum (30); the vote is refused with the reason.
    await takeStep(
      c,
      '记录会议',
      async () => {
        await c.getByTestId('deliberation-representatives').fill('45');
        await c.getByTestId('deliberation-attendees').fill('20');
      },
      'deliberation-convene',
    );
    await expect.poll(() => status(c)).toBe('已开会');
    await drawer.getByText('不足法定人数（须 30 人）').waitFor();
    await takeStep(
      c,
      '记录表决',
      async () => {
        await c.getByTestId('deliberation-vote-for').fill('15');
      },
      'deliberation-vote',
    );
    await c.getByText('到会代表 20 人，不足法定人数 30 人，不能表决').first().waitFor();
    expect(await status(c)).toBe('已开会');

    // The meeting held again with 36 present decides: 30 for.
    await takeStep(
      c,
      '记录会议',
      async () => {
        await c.getByTestId('deliberation-representatives').fill('45');
        await c.getByTestId('deliberation-attendees').fill('36');
      },
      'deliberation-convene',
    );
    await drawer.getByText('达到法定人数').waitFor();
    await takeStep(
      c,
      '记录表决',
      async () => {
        await c.getByTestId('deliberation-vote-for').fill('30');
        await c.getByTestId('deliberation-vote-against').fill('4');
        await c.getByTestId('deliberation-vote-abstain').fill('2');
      },
      'deliberation-vote',
    );
    await expect.poll(() => status(c)).toBe('已通过');
    expect(await c.getByTestId('deliberation-vote').textContent()).toContain('赞成 30 票');

    // 居委会抓落实.
    await takeStep(
      c,
      '报告落实',
      async () => {
        await c.getByTestId('deliberation-implement-note').fill('快递柜已安装并投入使用');
      },
      'deliberation-implement',
    );
    await expect.poll(() => status(c)).toBe('已落实');

    // 职能部门审查指导: the street reviews it (no department was named).
    const street = await apiLogin(baseUrl, 'street');
    const list = await street.get<{ items: { id: string; title: string }[] }>(
      `/api/deliberations?q=${encodeURIComponent(title)}`,
    );
    const id = list.items.find((d) => d.title === title)?.id as string;
    expect(id).toBeTruthy();
    await street.post(`/api/deliberations/${id}/actions/review`, { passed: true, note: '符合规划，同意' });

    // 居民群众全程监督: published after confirming.
    await c.reload();
    await c.getByTestId('deliberations-table').getByText(title).first().click();
    await expect.poll(() => status(c)).toBe('已审查');
    await c.getByTestId('deliberation-publish').click();
    await c.getByTestId('deliberation-confirm-publish').click();
    await expect.poll(() => status(c)).toBe('已公开');
    await expect
      .poll(() => c.getByTestId('deliberation-trail').locator('.ant-timeline-item').count())
      .toBe(7);
    await shot(c, 'deliberation-drawer');

    // The portal's results page, open without signing in, lists the outcome.
    const phoneCtx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const r = await phoneCtx.newPage();
    r.setDefaultTimeout(30_000);
    await r.goto(`${baseUrl}/r`);
    await r.getByTestId('r-results-open').click();
    await r.getByTestId('r-results-outcomes').getByText(title).waitFor();
    expect(Number(await r.getByTestId('r-figure-published').locator('b').textContent())).toBeGreaterThan(0);
    await shot(r, 'r-results');
    await Promise.all([ctx.close(), phoneCtx.close()]);
  });
});
