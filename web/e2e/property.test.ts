import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
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
  page.setDefaultTimeout(30_000);
  await loginAs(page, baseUrl, user);
  return page;
}

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.getByTestId(`case-action-${action}`).click();
  await fill?.();
  await page.getByTestId('case-action-submit').click();
  await page.locator('.ant-modal').waitFor({ state: 'hidden' });
}

const status = (page: Page) => page.getByTestId('case-status').textContent();

type Company = {
  name: string;
  estates: { name: string; geometry: { coordinates: number[][][] } }[];
};

describe('红管家: a case in an estate goes to its property company', () => {
  it('the community sees its companies and their performance, dispatches to the suggested company; the 物管员 responds, replies and resolves', async () => {
    // The register and the performance, as the community workstation sees them.
    const page = await as('community');
    await page.goto(`${baseUrl}/participation/property`);
    await page.getByTestId('property-table').getByText('内蒙古保利物业服务有限公司包头分公司').waitFor();
    await page.getByTestId('property-table').getByText('保利新华城一期').waitFor();
    await page.screenshot({ path: '/tmp/property-companies.png' });
    await page.getByRole('tab', { name: '履职考核' }).click();
    const perf = page.getByTestId('property-performance');
    await perf.getByText('内蒙古保利物业服务有限公司包头分公司').first().waitFor();
    await page.screenshot({ path: '/tmp/property-performance.png' });
    await page.getByRole('tab', { name: '服务小区地图' }).click();
    await page.getByTestId('property-map').locator('canvas').first().waitFor();
    await page.getByTestId('property-estate-list').getByText('保利新华城一期').click();
    await page.getByTestId('property-estate-picked').waitFor();
    await page.screenshot({ path: '/tmp/property-map.png' });

    // A case reported inside 保利新华城一期.
    const clerk = await apiLogin(baseUrl, 'clerk');
    const community = await apiLogin(baseUrl, 'community');
    const list = await community.get<{ items: Company[] }>('/api/property-companies?pageSize=50');
    const baoli = list.items.find((c) => c.name === '内蒙古保利物业服务有限公司包头分公司');
    const ring = baoli?.estates.find((e) => e.name === '保利新华城一期')?.geometry.coordinates[0] ?? [];
    const lng = ((ring[0]?.[0] ?? 0) + (ring[2]?.[0] ?? 0)) / 2;
    const lat = ((ring[0]?.[1] ?? 0) + (ring[2]?.[1] ?? 0)) / 2;
    const created = await clerk.post<{ id: string; code: string }>('/api/cases', {
      description: `端到端测试：保利新华城一期单元门禁损坏 ${randomUUID().slice(0, 6)}`,
      categoryCode: 'S1306',
      channel: 'walk_in',
      location: { lat, lng },
      idempotencyKey: randomUUID(),
    });
    await community.post(`/api/cases/${created.id}/actions/accept`, {});

    // The dispatcher is offered the estate's company and dispatches to it in one click.
    await page.goto(`${baseUrl}/cases/${created.id}`);
    await expect.poll(() => status(page)).toBe('待派遣');
    await act(page, 'dispatch', async () => {
      await page.getByTestId('property-hint').getByText('保利新华城一期').waitFor();
      await page.getByTestId('property-apply').click();
      await page.getByTestId('dispatch-target').getByText('内蒙古保利物业服务有限公司包头分公司').waitFor();
      await page.screenshot({ path: '/tmp/property-dispatch.png' });
    });
    await expect.poll(() => status(page)).toBe('待签收');

    // The 物管员 sees it, responds (签收), replies (a note) and resolves it.
    const staff = await as('property');
    await staff.goto(`${baseUrl}/cases/${created.id}`);
    await expect.poll(() => status(staff)).toBe('待签收');
    await act(staff, 'claim');
    await expect.poll(() => status(staff)).toBe('处置中');
    await act(staff, 'note', async () => {
      await staff.getByTestId('field-note').fill('已到现场，正在更换门禁读卡器');
    });
    await act(staff, 'resolve', async () => {
      await staff.getByTestId('field-result').fill('已更换门禁读卡器，恢复正常');
    });
    await expect.poll(() => status(staff)).toBe('待核查');
    await staff.getByTestId('property-clock').getByText('按时完成').first().waitFor();
    await staff.screenshot({ path: '/tmp/property-staff-case.png' });

    // Another company's staff do not see it.
    const other = await apiLogin(baseUrl, 'property2');
    await expect(other.get(`/api/cases/${created.id}`)).rejects.toThrow('404');
  }, 180_000);
});
