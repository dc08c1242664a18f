import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

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

describe('places and care in the console', () => {
  it('opens a building from the list and sees its units and the people living there, with the map drawn', async () => {
    const page = await as('gridworker');
    await page.goto(`${baseUrl}/places`);
    await page.getByTestId('places-map').locator('canvas').waitFor();
    await page.locator('tr.ant-table-row', { hasText: '1号楼' }).first().click();
    const drawer = page.getByTestId('building-drawer');
    await drawer.waitFor();
    await drawer.getByText('地址编码').waitFor();
    // Units are listed with their residents (户主 marks the head of each household).
    await drawer.getByText('户主').first().waitFor();
    expect(await drawer.locator('tr.ant-table-row').count()).toBeGreaterThan(5);
    expect(page.url()).toMatch(/building=\d+/);
  });

  it('records a visit for an overdue care case from the to-do list, which then leaves the to-do', async () => {
    const page = await as('gridworker');
    await page.goto(`${baseUrl}/care`);
    const todo = page.getByTestId('care-todo');
    await todo.getByText('逾期').first().waitFor();
    const name = (await todo.locator('.ant-list-item strong').first().textContent())?.trim() ?? '';
    expect(name).not.toBe('');
    await todo.locator('.ant-list-item').first().click();
    const drawer = page.getByTestId('care-drawer');
    await drawer.getByText('每次查阅均记入审计日志').waitFor();
    await page.getByTestId('care-visit-notes').fill('入户走访，了解服药情况，家属配合良好');
    await page.getByTestId('care-visit-save').click();
    await page.getByText('走访已记录').waitFor();
    await drawer.getByText('入户走访，了解服药情况').waitFor();
    await page.keyboard.press('Escape');
    // Visited: that person leaves the to-do list.
    await todo.locator('.ant-list-item strong', { hasText: name }).waitFor({ state: 'detached' });

    // The one-person file shows the household, the dwelling and the care case.
    await page.goto(`${baseUrl}/residents`);
    await page.getByTestId('resident-search').locator('input').fill(name);
    await page.getByTestId('resident-search').locator('input').press('Enter');
    await page.locator('tr.ant-table-row', { hasText: name }).first().click();
    const household = page.getByTestId('resident-household');
    await household.getByText(/住址：包头市/).waitFor();
    await household.getByText('户主').first().waitFor();
    await page.getByText('关爱帮扶（仅负责人员与督导可见').waitFor();
  });
});
