import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
let photo: Buffer;
beforeAll(async () => {
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#6a9' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The toasts sit over a drawer's close button at this width, and one under the pointer does not
 * go away (antd pauses it on hover): a close waits for them to leave first.
 */
async function noToasts(page: Page) {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 20_000 }).toBe(0);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
}

describe('社会组织 and 公益创投', () => {
  it('the street reads the registry and an organization’s incubation, ticks a milestone with a photo, records spending and approves an application', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const s = await ctx.newPage();
    s.setDefaultTimeout(30_000);
    await loginAs(s, baseUrl, 'street');
    await s.goto(`${baseUrl}/participation/social-orgs`);
    const table = s.getByTestId('social-orgs-table');
    await table.getByText('“家长里短”调解工作室').waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(10);
    await shot(s, 'social-orgs');

    // The mediation studio: filed with the street, incubated to 出壳, its project under way.
    await table.getByText('“家长里短”调解工作室').click();
    const drawer = s.getByTestId('social-org-drawer');
    await drawer.getByText('社区社会组织（备案）').waitFor();
    await expect.poll(() => drawer.getByTestId('social-org-incubations').getByText('出壳').count()).toBe(1);
    expect(await drawer.getByTestId('social-org-phone').textContent()).toMatch(/^1\d{2}\*{4}\d{4}$/);
    await shot(s, 'social-org-drawer');

    await drawer.getByTestId('social-org-projects').getByText('“家长里短”邻里调解进楼栋').click();
    const project = s.getByTestId('social-project-drawer');
    await project.getByTestId('social-project-status').getByText('实施中').waitFor();
    await project.getByText('逾期').waitFor();
    await project.getByTestId('social-milestone-tick').first().click();
    await s
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: 'cases.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => s.getByTestId('social-milestone-photo').textContent()).toContain('1');
    await s.getByTestId('social-milestone-submit').click();
    await expect
      .poll(() => project.getByTestId('social-project-milestones').getByText('已完成').count())
      .toBe(3);

    // Spending past the budget is refused with what is left; within it, it counts.
    await project.getByPlaceholder('支出事项').fill('案例汇编印刷费');
    await project.getByPlaceholder('金额（元）').fill('30000');
    await project.getByTestId('social-spending-submit').click();
    await project.getByText('支出超出预算，剩余可用 26300.00 元').waitFor();
    await project.getByPlaceholder('金额（元）').fill('1800');
    await project.getByTestId('social-spending-submit').click();
    await expect.poll(() => project.getByTestId('social-project-spent').textContent()).toContain('25,500');
    await shot(s, 'social-project-drawer');
    await noToasts(s);
    await project.locator('.ant-drawer-close').click();
    await project.waitFor({ state: 'hidden' });
    await drawer.locator('.ant-drawer-close').first().click();

    // 立项: the application for 四点半课堂, approved for less than asked.
    await s.getByRole('tab', { name: '公益创投项目' }).click();
    const projects = s.getByTestId('social-projects-table');
    await projects.getByText('“四点半课堂”课后托管').click();
    const applied = s.getByTestId('social-project-drawer');
    await applied.getByTestId('social-project-status').getByText('申报').waitFor();
    await applied
      .locator('input[data-testid="social-project-budget"], [data-testid="social-project-budget"] input')
      .first()
      .fill('75000');
    await applied.getByTestId('social-project-approve').click();
    await applied.getByTestId('social-project-status').getByText('已立项').waitFor();
    await applied.getByText('75,000 元').first().waitFor();
    await shot(s, 'social-projects');
    await ctx.close();
  });

  it('the community edits its studio’s people, and registers an organization: a wrong credit code is named on its field', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const c = await ctx.newPage();
    c.setDefaultTimeout(30_000);
    await loginAs(c, baseUrl, 'community');
    await c.goto(`${baseUrl}/participation/social-orgs`);
    await c.getByTestId('social-orgs-table').getByText('“家长里短”调解工作室').click();
    // 修改: the studio's volunteers grew.
    const drawer = c.getByTestId('social-org-drawer');
    await drawer.getByTestId('social-org-edit').click();
    await c.locator('.ant-modal #volunteerCount').fill('30');
    await c.getByTestId('social-org-edit-submit').click();
    await drawer.getByText('专职 2 人 · 志愿者 30 人').waitFor();
    await noToasts(c);
    await drawer.locator('.ant-drawer-close').click();
    await c.getByTestId('social-org-register').click();
    const form = c.getByTestId('social-org-register-form');
    const name = `e2e夕阳红合唱团${String(Date.now()).slice(-5)}`;
    await form.locator('#name').fill(name);
    await form.locator('#creditCode').fill('52150203MJ0000001X');
    await form.locator('#registrationAuthority').fill('包头市昆都仑区民政局');
    await form.locator('#registeredOn').fill('2025-03-01');
    await form.locator('#registeredOn').press('Enter');
    await expect.poll(() => form.locator('#registeredOn').inputValue()).toBe('2025-03-01');
    await form.locator('#fields').click();
    await c.locator('.ant-select-item-option').getByText('文体', { exact: true }).click();
    await form.locator('#fields').press('Escape');
    await form.locator('.ant-select-selection-item').getByText('文体', { exact: true }).waitFor();
    await form.locator('#services').fill('老年合唱排练与社区演出');
    await form.locator('#legalRepresentative').fill('赵桂芳');
    await form.locator('#contactName').fill('赵桂芳');
    await form.locator('#contactPhone').fill('13904725678');
    // The check digit is the server's rule: the form sends, and the 400 comes back on its field.
    // Any field error the form shows first is named in the failure.
    const posted = c.waitForResponse(
      (r) => r.url().endsWith('/api/social-orgs') && r.request().method() === 'POST',
    );
    posted.catch(() => undefined);
    await c.getByTestId('social-org-register-submit').click();
    const errors = form.locator('.ant-form-item-explain-error');
    await Promise.race([posted, errors.first().waitFor()]);
    await errors.first().waitFor();
    expect(await errors.allTextContents()).toEqual(['统一社会信用代码校验位不正确']);
    expect((await posted).status()).toBe(400);
    await shot(c, 'social-org-register');
    await ctx.close();
  });
});
