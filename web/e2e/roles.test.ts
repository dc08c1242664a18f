import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../src/common/i18n/zh-CN';
import { consolePages, type PageAccess } from '../src/console/access';
import { launchBrowser, loginAs } from './browser';

/**
 * Every demo account opens every page its side menu offers (read from the rendered menu,
 * not from a list here) and fails on: an error in the console, a 4xx/5xx answer, or an
 * add / edit / delete button on a page whose write permission (the access map) it lacks.
 * Each page is judged once it has settled: no request in flight, no spinner.
 */
const baseUrl = process.env.E2E_BASE_URL ?? '';
const accounts = [
  'admin',
  'security',
  'auditor',
  'district',
  'street',
  'community',
  'gridworker',
  'dept',
  'clerk',
  'mediator',
  'resident',
];
/** What a button that adds, changes or removes something starts with. */
const writeWords = /^(新建|新增|添加|编辑|修改|删除|导入|登记|建立|录入|撤销|停用|重置密码|解锁|派遣|批量)/;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Records what goes wrong on a page, and what is in flight, once `on` is set. */
function watch(page: Page) {
  const w = { on: false, where: '', problems: [] as string[], inflight: 0 };
  const note = (what: string) => w.on && w.problems.push(`[${w.where}] ${what}`);
  page.on('console', (m) => {
    if (m.type() === 'error') note(`console: ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => note(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) note(`${r.status()} ${r.request().method()} ${r.url().replace(baseUrl, '')}`);
  });
  // What the page asks the server (the notifications stream, an eventsource, stays open for
  // good; a web worker's script never reports finished). Code still loading shows a spinner.
  const counted = (r: { resourceType(): string }) => ['fetch', 'xhr', 'document'].includes(r.resourceType());
  page.on('request', (r) => {
    if (counted(r)) w.inflight++;
  });
  const finished = (r: { resourceType(): string }) => {
    if (counted(r)) w.inflight--;
  };
  page.on('requestfinished', finished);
  page.on('requestfailed', finished);
  return w;
}

/** Settled: nothing in flight and nothing spinning, twice in a row. */
async function settled(page: Page, w: { inflight: number }) {
  let quiet = 0;
  await expect
    .poll(
      async () => {
        const busy =
          w.inflight > 0 || (await page.locator('.ant-spin-spinning, .ant-skeleton-active').count()) > 0;
        quiet = busy ? 0 : quiet + 1;
        return quiet >= 2;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe(true);
}

const label = (p: PageAccess) => {
  const [, key] = p.labelKey.split('.') as [string, keyof typeof zhCN.menu];
  return zhCN.menu[key];
};

/** Buttons on the page that add, change or remove, by their text (antd spaces two-character labels). */
async function writeButtons(page: Page): Promise<string[]> {
  const texts = await page.locator('.ant-layout-content button:visible').allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, '')).filter((t) => writeWords.test(t));
}

describe('every role, every menu item', () => {
  for (const username of accounts) {
    it(`${username}: each page of the menu works and offers only what the role may do`, async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(60_000);
      const w = watch(page);
      await loginAs(page, baseUrl, username);
      const me = (await page.evaluate(async () => (await fetch('/api/me')).json())) as {
        permissions: string[];
      };
      const can = (p: string) => me.permissions.includes(p);
      // From here on everything counts, the shell's own files (favicon) included.
      w.on = true;
      w.where = '/';
      await page.goto(`${baseUrl}/`);
      const menu = page.getByTestId('side-menu').locator('li.ant-menu-item');
      // No menu at all: say what the page reported on the way (a crash, a refused request).
      await menu
        .first()
        .waitFor()
        .catch((e: Error) => {
          throw new Error(`${e.message}\n${w.problems.join('\n')}`);
        });
      const labels = (await menu.allInnerTexts()).map((t) => t.trim());
      expect(labels.length).toBeGreaterThan(0);
      // The menu is the access map's pages the role may open, in its order.
      const expected = consolePages.filter((p) => p.read.every(can));
      expect(labels).toEqual(expected.map(label));
      const failures: string[] = [];
      for (const [i, name] of labels.entries()) {
        const target = expected[i] as PageAccess;
        w.where = name;
        await menu.nth(i).click();
        await page.waitForURL((u) => u.pathname === target.path);
        if (target.path !== '/')
          await page.getByTestId('page-header').getByRole('heading', { name }).waitFor();
        await settled(page, w).catch((e: Error) => {
          throw new Error(`${name}: ${e.message}\n${w.problems.join('\n')}`);
        });
        if (!(target.write && can(target.write))) {
          const shown = await writeButtons(page);
          if (shown.length)
            failures.push(
              `[${name}] shows ${shown.join('、')} without ${target.write ?? 'any write permission'}`,
            );
        }
        // A case opens with only what its detail may ask for.
        if (target.path === '/cases') {
          const first = page.locator('.ant-table-row').first();
          if (await first.count()) {
            w.where = `${name} › 事件详情`;
            await first.click();
            await page.getByTestId('case-status').waitFor();
            await settled(page, w);
          }
        }
      }
      expect([...w.problems, ...failures]).toEqual([]);
      await page.close();
    }, 600_000);
  }
});

describe('the field app is the grid worker’s', () => {
  async function phone(username: string) {
    const ctx = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      geolocation: { latitude: 40.6545, longitude: 109.83 },
      permissions: ['geolocation'],
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    const w = watch(page);
    await page.goto(`${baseUrl}/m/`);
    await page.getByTestId('m-username').fill(username);
    await page.getByTestId('m-password').fill('Demo@2026');
    w.on = true;
    w.where = `/m ${username}`;
    await page.getByTestId('m-login').click();
    return { ctx, page, w };
  }

  it('turns a resident away with a page that leads to the resident portal, and asks nothing else', async () => {
    const { ctx, page, w } = await phone('resident');
    await page.getByTestId('m-not-for-role').waitFor();
    expect(await page.getByTestId('m-portal-link').getAttribute('href')).toBe('/r');
    await settled(page, w);
    // The login itself, /api/me, and nothing the resident may not read.
    expect(w.problems).toEqual([]);
    await ctx.close();
  });

  it('gives the grid worker the case number after a report, and lists offline ones as 待发送 with their local number', async () => {
    const { ctx, page, w } = await phone('gridworker');
    await page.getByTestId('m-tasks').waitFor();
    const report = async (text: string) => {
      await page.getByTestId('m-report-category-search').fill('井盖');
      await page.getByText('井盖破损或缺失').click();
      await page.getByTestId('m-report-description').fill(text);
      await page.getByTestId('m-report-location').filter({ hasText: '109.83' }).waitFor();
      await page.getByTestId('m-report-submit').click();
      await page.getByTestId('m-report-receipt').waitFor();
    };
    const marker = `回执${Date.now()}`;
    await page.getByTestId('m-tab-report').click();
    await report(`${marker} 在线`);
    const code = (await page.getByTestId('m-report-code').textContent()) ?? '';
    expect(code).toMatch(/^SJ\d+/);
    await page.getByTestId('m-report-mine').click();
    await page.getByTestId('m-my-report').filter({ hasText: code }).waitFor();

    // Offline (the browser's own connection errors are expected then): the receipt and the
    // list give the local number, marked 待发送.
    w.on = false;
    await ctx.setOffline(true);
    // Back from the list, a fresh form.
    await page.getByRole('button', { name: '返回' }).click();
    await report(`${marker} 离线`);
    const local = (await page.getByTestId('m-report-local').textContent()) ?? '';
    expect(local).toMatch(/^[0-9A-F]{8}$/);
    await page.getByTestId('m-report-mine').click();
    await page
      .getByTestId('m-my-report-pending')
      .filter({ hasText: local })
      .filter({ hasText: '待发送' })
      .waitFor();
    // Back online, it is sent and leaves the pending part of the list.
    await ctx.setOffline(false);
    w.on = true;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('m-my-report-pending').count()).toBe(0);
    await settled(page, w);
    expect(w.problems).toEqual([]);
    await ctx.close();
  });
});
