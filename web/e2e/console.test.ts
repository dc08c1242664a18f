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

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(30_000);
  return page;
}

describe('console', () => {
  it('rejects a wrong password with a message in Chinese', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('Wrong@2026x');
    await page.getByTestId('login-submit').click();
    await expect(page.getByText('用户名或密码错误').first().waitFor()).resolves.toBeUndefined();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it('lets the admin browse the district, draw a grid by GeoJSON upload, and log out', async () => {
    const page = await newPage();
    await loginAs(page, baseUrl, 'admin');
    await page.getByTestId('side-menu').getByText('组织机构与网格').click();
    const tree = page.getByTestId('org-tree');
    await tree.getByText('昆都仑区', { exact: true }).waitFor();
    await tree.getByText('少先路街道', { exact: true }).waitFor();

    // A community's grids appear on the map.
    await tree.getByText('少先二十一号街坊社区', { exact: true }).click();
    await page.locator('.ant-card-head-title', { hasText: '少先二十一号街坊社区' }).waitFor();
    await page.getByTestId('grid-map').locator('canvas').waitFor();
    const gridCount = page
      .locator('.ant-descriptions-item', { hasText: '网格' })
      .locator('.ant-descriptions-item-content');
    await expect.poll(async () => Number(await gridCount.textContent())).toBeGreaterThan(0);
    const before = Number(await gridCount.textContent());

    // Add a grid below it with a polygon uploaded as GeoJSON.
    await page.getByTestId('unit-add-child').click();
    await page.getByTestId('unit-name').fill('端到端测试网格');
    const polygon = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [109.81, 40.66],
            [109.812, 40.66],
            [109.812, 40.662],
            [109.81, 40.662],
            [109.81, 40.66],
          ],
        ],
      },
    };
    await page.locator('.ant-modal input[type=file]').setInputFiles({
      name: 'grid.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(polygon)),
    });
    await page.getByText('已设定范围（4 个顶点）').waitFor();
    await page.getByTestId('unit-save').click();
    // The new grid is selected, and the server holds it with the next code under the community.
    await page.locator('.ant-card-head-title', { hasText: '端到端测试网格' }).waitFor();
    const created = await page.evaluate(async () => {
      type Node = { id: number; name: string; code: string; level: string; children?: Node[] };
      const roots: Node[] = await (await fetch('/api/org/tree')).json();
      const all: Node[] = [];
      const walk = (n: Node) => {
        all.push(n);
        n.children?.forEach(walk);
      };
      roots.forEach(walk);
      const community = all.find((n) => n.name === '少先二十一号街坊社区');
      return { community, grids: community?.children ?? [] };
    });
    expect(created.grids.length).toBe(before + 1);
    const grid = created.grids.find((g) => g.name === '端到端测试网格');
    expect(grid?.level).toBe('grid');
    expect(grid?.code).toMatch(new RegExp(`^${created.community?.code}\\d{3}$`));

    // A hover menu: a click that lands while it is still opening is tried once more.
    const logout = async () => {
      await page.getByTestId('user-menu').click();
      const item = page.getByRole('menuitem', { name: '退出登录' });
      await item.waitFor({ state: 'visible' });
      await item.click();
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 10_000 });
    };
    await logout().catch(logout);
    const status = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(status).toBe(401);
    await page.close();
  });

  it('shows the security admin the users with masked phones and no audit menu', async () => {
    const page = await newPage();
    await loginAs(page, baseUrl, 'security');
    await page.getByTestId('side-menu').getByText('用户管理').click();
    await page.getByPlaceholder('用户名或姓名').fill('gridworker');
    await page.getByPlaceholder('用户名或姓名').press('Enter');
    await page.getByRole('cell', { name: 'gridworker', exact: true }).waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
    const body = await page.locator('table').innerText();
    expect(body).toMatch(/1\d{2}\*{4}\d{4}/);
    // Eleven digits from 13–19 standing alone: a UUID holding such a run is not a phone.
    expect(body).not.toMatch(/(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/);
    expect(await page.getByTestId('side-menu').getByText('审计日志').count()).toBe(0);
    await page.close();
  });
});
