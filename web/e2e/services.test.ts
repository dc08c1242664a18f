import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../server/src/test/pdfText';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
const shots = process.env.E2E_SHOTS_DIR;
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid ID number (GB 11643 check character) no resident of the demo has: born 1958-03-0x. */
function idNumber(): string {
  const first17 = `150203195803${String(10 + Math.floor(Math.random() * 18)).padStart(2, '0')}${String(
    Math.floor(Math.random() * 1000),
  ).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * (weights[i] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}

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
  page.setDefaultTimeout(20_000);
  await loginAs(page, baseUrl, user);
  return page;
}

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.getByTestId(`application-action-${action}`).click();
  await fill?.();
  await page.getByTestId('application-action-ok').click();
  await page.locator('.ant-modal').waitFor({ state: 'hidden' });
}

const state = (page: Page, text: string) => page.getByTestId('application-state').filter({ hasText: text });

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** Picks an option of an open Select list by its text. */
async function pick(page: Page, text: string) {
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

describe('the service window in the console', () => {
  it('takes an application in with the ID typed as a card reader does, the back office approves, the window issues and hands it out', async () => {
    const clerk = await as('clerk');
    await clerk.goto(`${baseUrl}/intake`);
    const id = idNumber();
    // A card reader types the 18 characters in a burst, then Enter: the lookup fires, nothing is submitted.
    await clerk.getByTestId('intake-id').pressSequentially(id, { delay: 2 });
    await clerk.getByTestId('intake-id').press('Enter');
    await clerk.getByText('实有人口中未登记此人').waitFor();
    await expect.poll(() => clerk.getByTestId('intake-result').count()).toBe(0);
    await clerk.getByTestId('intake-name').fill('乔桂英');
    await clerk.getByTestId('intake-phone').fill('13904725678');
    await clerk.getByTestId('intake-service').click();
    await clerk.keyboard.type('家庭经济困难证明');
    await clerk
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '家庭经济困难证明' })
      .click();
    const materials = clerk.getByTestId('intake-material');
    await materials.first().waitFor();
    for (let i = 0; i < (await materials.count()); i++) await materials.nth(i).click();
    await clerk.getByTestId('intake-submit').click();
    const result = clerk.getByTestId('intake-result');
    await result.getByText('已受理').waitFor();
    expect(await clerk.getByTestId('intake-receipt').getAttribute('href')).toMatch(/\/receipt\.pdf$/);
    await clerk.getByTestId('intake-view').click();
    await state(clerk, '办理中').waitFor();
    const code = ((await clerk.getByTestId('application-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^BJ\d+/);
    const url = clerk.url();
    // The window may not decide: approving is the back office's.
    await expect.poll(() => clerk.getByTestId('application-action-approve').count()).toBe(0);

    const office = await as('community');
    await office.goto(`${baseUrl}/applications`);
    await office.locator('tr.ant-table-row', { hasText: code }).getByRole('link').click();
    // The list's rows carry state tags too: wait for the detail page, which shows exactly one.
    await office.waitForURL((u) => u.pathname !== '/applications' && u.pathname.startsWith('/applications/'));
    await expect.poll(() => office.getByTestId('application-state').count(), { timeout: 30_000 }).toBe(1);
    await state(office, '办理中').waitFor();
    await act(office, 'approve', () =>
      office.getByTestId('application-result').fill('经核实，该户家庭人均收入低于本市低保标准 1.5 倍'),
    );
    await state(office, '待出件').waitFor();
    await office.getByText('经核实，该户家庭人均收入').first().waitFor();

    await clerk.goto(url);
    await act(clerk, 'issue');
    await state(clerk, '待领取').waitFor();
    // The item ends in a certificate: the page links its PDF.
    const certificate = clerk.getByTestId('application-certificate');
    await certificate.waitFor();
    const pdf = await clerk.request.get(`${baseUrl}${await certificate.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    // What the paper says: the check code its QR code carries, the one the platform issued.
    const printed = pdfText(await pdf.body());
    const checkCode = /核验码：(ZM\d{14}-[0-9a-f]+)/.exec(printed)?.[1] ?? '';
    const appId = new URL(url).pathname.split('/').pop() as string;
    const issued = await (await clerk.request.get(`${baseUrl}/api/applications/${appId}/certificate`)).json();
    expect(checkCode).toBe(issued.code);
    expect(issued.verifyPath).toBe(`/r/verify/${checkCode}`);
    // Scanned by anyone, signed in or not: 有效, the item, and the holder masked.
    const resident = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await resident.newPage();
    await phone.goto(`${baseUrl}${issued.verifyPath}`);
    await phone.getByTestId('r-verdict').filter({ hasText: '有效' }).waitFor();
    const verified = phone.getByTestId('r-verify');
    await verified.getByText('家庭经济困难证明').waitFor();
    await verified.getByText('乔**', { exact: true }).waitFor();
    expect(await verified.textContent()).not.toContain('乔桂英');
    await shot(phone, 'verify-valid');
    // One character of the signature changed: 无效, and nothing about anyone.
    const last = checkCode.at(-1) === '0' ? '1' : '0';
    await phone.goto(`${baseUrl}/r/verify/${encodeURIComponent(checkCode.slice(0, -1) + last)}`);
    await phone.getByTestId('r-verdict').filter({ hasText: '无效' }).waitFor();
    expect(await phone.getByTestId('r-verify').textContent()).not.toContain('乔');
    await shot(phone, 'verify-forged');
    await resident.close();
    await act(clerk, 'collect');
    await state(clerk, '已办结').waitFor();
    const trail = clerk.getByTestId('application-event');
    await expect.poll(() => trail.count()).toBe(4);
    await clerk.context().close();
    await office.context().close();
  });

  it('takes a matter in by proxy (帮办代办): the resident on file, the agent who carries it, the consent', async () => {
    const clerk = await as('clerk');
    await clerk.goto(`${baseUrl}/intake`);
    const id = idNumber();
    await clerk.getByTestId('intake-id').pressSequentially(id, { delay: 2 });
    await clerk.getByTestId('intake-id').press('Enter');
    await clerk.getByTestId('intake-channel').getByText('帮办代办').click();
    // Not on file yet: a proxy matter is carried for a resident the platform knows.
    await clerk.getByTestId('intake-proxy-resident').waitFor();
    await clerk.getByTestId('intake-register').click();
    await clerk.getByTestId('newcomer-name').fill('郝秀兰');
    await clerk.getByTestId('newcomer-dwelling').click();
    const dwelling = clerk.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await dwelling.waitFor();
    await dwelling.click();
    await clerk.getByTestId('newcomer-relation').click();
    await pick(clerk, '其他亲属');
    await clerk.getByTestId('newcomer-submit').click();
    await clerk.getByTestId('intake-registered').waitFor();
    // The agents who may carry it: the grid's worker, or a proxy point's agent serving the grid.
    await clerk.getByTestId('intake-proxy-agent').click();
    const agent = clerk.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await agent.waitFor();
    const agentLabel = ((await agent.textContent()) ?? '').trim();
    const agentName = agentLabel.split('（')[0] as string;
    expect(agentName.length).toBeGreaterThan(1);
    await agent.click();
    // A signed form needs its scan: the window says so before sending.
    await clerk.getByTestId('intake-service').click();
    await clerk.keyboard.type('家庭经济困难证明');
    await pick(clerk, '家庭经济困难证明');
    const materials = clerk.getByTestId('intake-material');
    await materials.first().waitFor();
    for (let i = 0; i < (await materials.count()); i++) await materials.nth(i).click();
    await clerk.getByTestId('intake-submit').click();
    await clerk.getByText('请上传居民签字的委托书').waitFor();
    await expect.poll(() => clerk.getByTestId('intake-result').count()).toBe(0);
    await clerk.getByTestId('intake-proxy-method').getByText('口头同意').click();
    await clerk.getByTestId('intake-proxy-note').fill('居民行动不便，当面口头同意由网格员代办');
    await shot(clerk, 'intake-proxy');
    await clerk.getByTestId('intake-submit').click();
    await clerk.getByTestId('intake-result').getByText('已受理').waitFor();
    await clerk.getByTestId('intake-view').click();
    await clerk.waitForURL((u) => u.pathname.startsWith('/applications/'));
    await clerk.getByTestId('application-detail').getByText('帮办代办').first().waitFor();
    // The trail names the agent who carries it and how the resident agreed.
    const step = clerk.getByTestId('application-event').filter({ hasText: `代办员 ${agentName}` });
    await step.waitFor();
    expect(await step.textContent()).toContain('口头同意');
    await shot(clerk, 'application-proxy');
    await clerk.context().close();
  });
});
