import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser } from './browser';
import { phonePage, shot, signInResident } from './resident';

/*
 * 居民建议、附议 on the resident portal (issue 19 item 7): a resident posts a suggestion to his
 * community, a neighbour supports it once (a second tap withdraws), the resident supports one
 * of the demo's, and once the community turns his into a deliberation he follows it there.
 */

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens 居民建议 from the portal's home and picks 保利新华社区 (the demo's suggestions are there). */
async function openSuggestions(page: Page) {
  await page.getByTestId('r-suggestions-link').click();
  const community = page.getByTestId('r-suggestion-community');
  await expect.poll(() => community.locator('option').count()).toBeGreaterThan(1);
  const value = await community.locator('option', { hasText: '保利新华社区' }).first().getAttribute('value');
  await community.selectOption(value as string);
  await page.getByTestId('r-suggestion-list').waitFor();
}

const card = (page: Page, title: string) => page.getByTestId('r-suggestion').filter({ hasText: title });
const countOf = (page: Page, title: string) =>
  card(page, title).getByTestId('r-suggestion-count').textContent();

describe('居民建议 on the resident portal', () => {
  it('a resident posts a suggestion; a neighbour supports it once and a second tap withdraws; it becomes a deliberation', async () => {
    const title = `e2e建议${String(Date.now()).slice(-6)}：小区加装休息座椅`;
    const a = await phonePage(browser, '198.51.100.61');
    await signInResident(a);
    await shot(a, 'r-home');
    // A community nobody has suggested anything to yet says so.
    await a.getByTestId('r-suggestions-link').click();
    const picker = a.getByTestId('r-suggestion-community');
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThan(2);
    const quiet = await picker
      .locator('option:not(:has-text("保利新华")):not([value=""])')
      .first()
      .getAttribute('value');
    await picker.selectOption(quiet as string);
    await a.getByText('这个社区还没有建议，来提第一条吧').waitFor();
    await shot(a, 'r-suggestions-empty');
    await a.goBack();
    await openSuggestions(a);
    await shot(a, 'r-suggestions');

    // Too short: the form says so in Chinese, by the field, and sends nothing.
    await a.getByTestId('r-suggestion-new').click();
    await a.getByTestId('r-suggestion-title').fill('座椅');
    await a.getByTestId('r-suggestion-body').fill('太短');
    await a.getByTestId('r-suggestion-send').click();
    await expect
      .poll(() => a.getByTestId('r-suggestion-title-error').textContent())
      .toBe('建议标题至少 4 个字');
    await expect
      .poll(() => a.getByTestId('r-suggestion-body-error').textContent())
      .toBe('建议内容至少 10 个字');
    await shot(a, 'r-suggestion-form-errors');
    await a.getByTestId('r-suggestion-title').fill(title);
    await a
      .getByTestId('r-suggestion-body')
      .fill('中心花园只有两张长椅，老人散步走累了没处歇脚，建议沿步道加装几张座椅。');
    await a.getByTestId('r-suggestion-send').click();
    // Listed among his own, open for supports.
    await expect.poll(() => card(a, title).getByTestId('r-suggestion-status').textContent()).toBe('征集中');
    expect(await countOf(a, title)).toBe('0 人附议');
    await shot(a, 'r-suggestions-mine');

    // He supports one of the neighbours' suggestions: the count goes up by one; again, back down.
    await a.getByTestId('r-suggestion-tab-all').click();
    const demo = '健身器材维修';
    await card(a, demo).waitFor();
    const before = Number.parseInt((await countOf(a, demo)) ?? '', 10);
    await card(a, demo).getByTestId('r-suggestion-support').click();
    await expect.poll(() => countOf(a, demo)).toBe(`${before + 1} 人附议`);
    await expect
      .poll(() => card(a, demo).getByTestId('r-suggestion-support').getAttribute('aria-pressed'))
      .toBe('true');
    await shot(a, 'r-suggestion-supported');
    await card(a, demo).getByTestId('r-suggestion-support').click();
    await expect.poll(() => countOf(a, demo)).toBe(`${before} 人附议`);
    await expect.poll(() => card(a, demo).getByTestId('r-suggestion-support').textContent()).toBe('附议');

    // A neighbour, on his own phone, finds the new one and supports it: 1; a second tap: 0.
    const b = await phonePage(browser, '198.51.100.62');
    await signInResident(b);
    await openSuggestions(b);
    await b.getByTestId('r-suggestion-tab-mine').click();
    await b.getByText('您还没有提过建议').waitFor();
    await b.getByTestId('r-suggestion-tab-all').click();
    await card(b, title).waitFor();
    await card(b, title).getByTestId('r-suggestion-support').click();
    await expect.poll(() => countOf(b, title)).toBe('1 人附议');
    await expect
      .poll(() => card(b, title).getByTestId('r-suggestion-support').textContent())
      .toBe('取消附议');
    // What the server kept: one support, seen by the poster after a reload.
    await a.reload();
    await a.getByTestId('r-suggestion-list').waitFor();
    await expect.poll(() => countOf(a, title)).toBe('1 人附议');
    await card(b, title).getByTestId('r-suggestion-support').click();
    await expect.poll(() => countOf(b, title)).toBe('0 人附议');
    await card(b, title).getByTestId('r-suggestion-support').click();
    await expect.poll(() => countOf(b, title)).toBe('1 人附议');

    // The community turns it into a deliberation; the poster sees 已转为议题 and follows it.
    const community = await apiLogin(baseUrl, 'community');
    const list = await community.get<{ items: { id: string; title: string }[] }>(
      `/api/deliberation-suggestions?status=open&pageSize=200&q=${encodeURIComponent(title)}`,
    );
    const id = list.items.find((s) => s.title === title)?.id;
    expect(id).toBeDefined();
    await community.post(`/api/deliberation-suggestions/${id}/actions/propose`, {});
    await a.reload();
    await a.getByTestId('r-suggestion-tab-mine').click();
    await expect
      .poll(() => card(a, title).getByTestId('r-suggestion-status').textContent())
      .toBe('已转为议题');
    await shot(a, 'r-suggestions-proposed');
    await card(a, title).getByTestId('r-suggestion-deliberation').click();
    await a.getByTestId('r-deliberation').getByText(title).first().waitFor();
    await expect.poll(() => a.getByTestId('r-deliberation').textContent()).toContain('1 人附议');
    await a.context().close();
    await b.context().close();
  });
});
