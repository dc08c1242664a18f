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

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
}

describe('党组织架构', () => {
  it('the community reads its tree, adds and removes a member, marks a 党员中心户, and sees the branch on the grid page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const s = await ctx.newPage();
    s.setDefaultTimeout(30_000);
    await loginAs(s, baseUrl, 'community');
    await s.goto(`${baseUrl}/participation/party`);
    const tree = s.getByTestId('party-tree');
    await tree.getByText('保利新华社区党委').waitFor();
    await tree.getByText('第1网格党支部').waitFor();
    await expect.poll(() => tree.getByText('党员中心户').count()).toBeGreaterThanOrEqual(2);
    // The community's own organization is the root: its members are cadres by name.
    await s.getByTestId('party-detail').getByText('社区党组织', { exact: true }).waitFor();
    await shot(s, 'party-tree');

    // The first grid's branch: its secretary and members from the resident files, phones masked.
    await tree.getByText('第1网格党支部').click();
    const detail = s.getByTestId('party-detail');
    await detail.getByText('网格党支部', { exact: true }).waitFor();
    const members = s.getByTestId('party-members');
    await expect.poll(() => members.locator('tbody tr.ant-table-row').count()).toBeGreaterThanOrEqual(3);
    await members.getByText('书记').first().waitFor();
    const phone = await members.locator('tbody tr.ant-table-row').first().locator('td').nth(2).textContent();
    expect(phone).toMatch(/^1\d{2}\*{4}\d{4}$|^—$/);

    // A member not on file, by name; then removed after confirming.
    await s.getByTestId('party-add-member').click();
    await s.getByLabel('姓名（未在册党员）').fill('刘新来');
    await s.getByTestId('party-member-submit').click();
    await members.getByText('刘新来').waitFor();
    await members.getByText('未在册', { exact: true }).waitFor();
    // 修改党员: made a committee member; made secretary, the branch's secretary refuses it by the field.
    const edit = async () => {
      await members.locator('tr', { hasText: '刘新来' }).getByTestId('party-member-edit').click();
      return s.getByTestId('party-member-form');
    };
    let form = await edit();
    await chooseOption(s, form.getByTestId('party-member-role'), '委员');
    await s.getByTestId('party-member-submit').click();
    await members.locator('tr', { hasText: '刘新来' }).getByText('委员', { exact: true }).waitFor();
    form = await edit();
    await chooseOption(s, form.getByTestId('party-member-role'), '书记');
    await s.getByTestId('party-member-submit').click();
    await form.getByText('该党组织已有书记').waitFor();
    await shot(s, 'party-member-edit');
    await s
      .locator('.ant-modal', { hasText: '修改党员' })
      .getByRole('button', { name: /取\s*消|Cancel/ })
      .click();
    await expect.poll(() => s.getByTestId('party-member-form').count()).toBe(0);
    await members.locator('tr', { hasText: '刘新来' }).getByRole('button', { name: '移除' }).click();
    await s.locator('.ant-popconfirm').getByText('将“刘新来”移出本党组织').waitFor();
    await s
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => members.getByText('刘新来').count()).toBe(0);

    // A building group: mark another member's household as a 党员中心户.
    const group = tree.locator('.ant-tree-title', { hasText: '党小组' }).first();
    await group.click();
    await detail.getByText('楼栋党小组', { exact: true }).waitFor();
    const households = s.getByTestId('party-households');
    await expect.poll(() => households.locator('tbody tr.ant-table-row').count()).toBe(1);
    await s.getByTestId('party-mark-household').click();
    const modal = s.locator('.ant-modal', { hasText: '设为党员中心户' });
    await modal.getByTestId('party-household-member').click();
    await s.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    const services = modal.locator('.ant-form-item', { hasText: '服务邻里内容' }).locator('.ant-select');
    await services.click();
    await s.keyboard.type('邻里守望');
    await s.keyboard.press('Enter');
    await s.keyboard.press('Escape');
    await modal.getByLabel('联系户数').fill('10');
    await s.getByTestId('party-household-submit').click();
    await expect.poll(() => households.locator('tbody tr.ant-table-row').count()).toBe(2);
    await households.getByText('邻里守望').waitFor();
    await shot(s, 'party-group');

    // The grid's page: its party branch under the unit's details.
    await s.goto(`${baseUrl}/org`);
    await s.getByTestId('org-tree').getByText('保利新华社区第1网格').click();
    const card = s.getByTestId('grid-party-branch');
    await card.getByText('第1网格党支部').waitFor();
    await card.getByText('党员中心户', { exact: true }).waitFor();
    await shot(s, 'party-grid');
    await ctx.close();
  });
});
