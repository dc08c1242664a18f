import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, findUnit } from './api';
import { chooseOption, launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';
/** E2E_SHOTS=<dir> keeps screenshots of the screens for a person to look at. */
const shots = process.env.E2E_SHOTS;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A drawer scrolls inside the window: its screens are taken as the window shows them. */
async function shot(page: Page, name: string, fullPage = true) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage });
}

type Tree = { id: number; name: string; children?: Tree[] };
const stamp = () => String(Date.now()).slice(-6);
const status = (page: Page) => page.getByTestId('deliberation-status').textContent();

/** The public page's comments on a deliberation, as anyone reads them without signing in. */
async function publicComments(id: string) {
  const r = await fetch(`${baseUrl}/api/public/deliberations/${id}/comments?pageSize=200`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { items: { body: string }[] }).items.map((c) => c.body);
}

describe('议事协商 in the console: 居民建议, comment moderation, 街道议事会', () => {
  it('the community turns a supported suggestion into a deliberation and hides an abusive comment on it', async () => {
    const mark = stamp();
    const staff = await apiLogin(baseUrl, 'community');
    const baoli = findUnit(await staff.get<Tree[]>('/api/org/tree'), '保利新华社区');
    expect(baoli).toBeTruthy();
    // A resident suggests it on the portal and supports it (附议).
    const resident = await apiLogin(baseUrl, 'resident');
    const title = `e2e建议${mark}加装楼道扶手`;
    const { id: suggestionId } = await resident.post<{ id: string }>('/api/deliberation-suggestions', {
      orgUnitId: baoli?.id,
      title,
      body: '老楼楼梯陡，老人上下楼不方便，建议在 1 至 6 号楼楼道加装扶手。',
      idempotencyKey: `e2e-suggestion-${mark}`,
    });
    expect(suggestionId).toBeTruthy();
    const supported = await resident.post<{ supportCount: number }>(
      `/api/deliberation-suggestions/${suggestionId}/support`,
    );
    expect(supported.supportCount).toBe(1);

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const c = await ctx.newPage();
    c.setDefaultTimeout(30_000);
    await loginAs(c, baseUrl, 'community');
    await c.goto(`${baseUrl}/participation/deliberations?tab=suggestions`);
    const table = c.getByTestId('suggestions-table');
    // The seeded suggestions, most supported first, with their counts.
    await table.locator('.ant-table-row').first().waitFor();
    await shot(c, 'console-suggestions');
    const search = c.getByTestId('suggestions-page').getByPlaceholder('搜索建议标题');
    await search.fill(title);
    await search.press('Enter');
    const row = table.locator('.ant-table-row', { hasText: title });
    await row.waitFor();
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(1);
    expect(await row.getByTestId('suggestion-support').textContent()).toBe('1');
    expect(await row.textContent()).toContain('待转议题');

    // 转为议题: the resident's words prefilled; an emptied topic is refused in Chinese.
    await row.getByTestId('suggestion-propose').click();
    const form = c.getByTestId('suggestion-propose-form');
    await expect.poll(() => form.locator('#title').inputValue()).toBe(title);
    await form.locator('#title').fill('');
    await c.getByTestId('suggestion-propose-submit').click();
    await form.getByText('请填写议题（2 至 100 个字）').waitFor();
    await shot(c, 'console-suggestion-propose-refused');
    await form.locator('#title').fill(`${title}（议题）`);
    await c.getByTestId('suggestion-propose-submit').click();
    // The new deliberation opens, with where it came from.
    const drawer = c.getByTestId('deliberation-drawer');
    await expect.poll(() => status(c)).toBe('已提议');
    expect(await drawer.getByTestId('deliberation-suggestion').textContent()).toBe(`${title}（1 人附议）`);
    await drawer.getByTestId('deliberation-comments').getByText('暂无居民评论').waitFor();
    await expect.poll(() => row.textContent()).toContain('已转议题');
    const list = await staff.get<{ items: { id: string; status: string; deliberationId: string }[] }>(
      `/api/deliberation-suggestions?q=${encodeURIComponent(title)}`,
    );
    const deliberationId = list.items[0]?.deliberationId as string;
    expect(list.items[0]?.status).toBe('proposed');
    await drawer.locator('.ant-drawer-close').click();

    // 居民群众全程监督: residents comment on its public page; one comment is abusive.
    const kind = `e2e评论${mark}：扶手要选防滑的`;
    const rude = `e2e评论${mark}：提这个建议的人脑子有问题`;
    for (const [k, body] of [kind, rude].entries())
      await resident.post(`/api/deliberations/${deliberationId}/comments`, {
        body,
        idempotencyKey: `e2e-comment-${mark}-${k}`,
      });
    expect((await publicComments(deliberationId)).sort()).toEqual([kind, rude].sort());

    // The community opens it from the suggestion (查看议题) and hides the abusive one.
    await row.getByTestId('suggestion-view').click();
    const comments = drawer.getByTestId('deliberation-comments');
    await expect.poll(() => comments.getByTestId('deliberation-comment').count()).toBe(2);
    const rudeRow = comments.locator('.ant-table-row', { hasText: rude });
    await rudeRow.getByTestId('comment-hide').click();
    // No reason chosen: refused, and nothing hidden.
    await c.getByTestId('comment-hide-submit').click();
    await c.getByTestId('comment-hide-form').getByText('请选择隐藏原因').waitFor();
    await chooseOption(c, c.getByTestId('comment-hide-reason'), '辱骂、人身攻击');
    await c.getByTestId('comment-hide-form').locator('#note').fill('人身攻击');
    await shot(c, 'console-comment-hide', false);
    await c.getByTestId('comment-hide-submit').click();
    await rudeRow.getByTestId('comment-hidden-tag').waitFor();
    expect(await rudeRow.getByTestId('comment-hidden-tag').textContent()).toBe('已隐藏：辱骂、人身攻击');
    expect(await rudeRow.getByTestId('deliberation-comment').getAttribute('data-hidden')).toBe('true');
    expect(await rudeRow.getByTestId('comment-hide').count()).toBe(0);
    await comments.locator('.ant-table-row', { hasText: kind }).getByTestId('comment-hide').waitFor();
    await comments.scrollIntoViewIfNeeded();
    await shot(c, 'console-comment-hidden', false);
    // Gone from the public page; the other stays.
    expect(await publicComments(deliberationId)).toEqual([kind]);
    await ctx.close();
  });

  it('the street opens its council, adds and removes members, and records a meeting by ticking the members present', async () => {
    const mark = stamp();
    const street = await apiLogin(baseUrl, 'street');
    const huanghe = findUnit(await street.get<Tree[]>('/api/org/tree'), '黄河西路街道');
    expect(huanghe).toBeTruthy();
    const title = `e2e街道议事${mark}：背街小巷停车治理`;
    const made = await street.post<{ id: string }>('/api/deliberations', {
      title,
      proposal: '背街小巷乱停车堵塞消防通道，建议划定临时停车位并错时开放单位停车场。',
      orgUnitId: huanghe?.id,
    });

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const s = await ctx.newPage();
    s.setDefaultTimeout(30_000);
    await loginAs(s, baseUrl, 'street');
    // From the side menu, as the street finds it.
    await s.getByTestId('side-menu').getByText('街道议事会', { exact: true }).click();
    await s.waitForURL((u) => u.pathname === '/participation/councils');
    const table = s.getByTestId('councils-table');
    await table.getByText('黄河西路街道议事会').waitFor();
    expect(await table.locator('.ant-table-row').first().textContent()).toContain('15');
    await shot(s, 'console-councils');

    // A second council for the street is refused, the reason beside the street.
    await s.getByTestId('councils-create').click();
    const create = s.getByTestId('council-create-form');
    await chooseOption(s, s.getByTestId('council-street'), '黄河西路街道');
    await expect.poll(() => create.locator('#name').inputValue()).toBe('黄河西路街道议事会');
    await create.locator('#termStart').fill('2027-01-01');
    await create.locator('#termStart').press('Enter');
    await create.locator('#termEnd').fill('2029-12-31');
    await create.locator('#termEnd').press('Enter');
    await s.getByTestId('council-create-submit').click();
    await create.getByText('该街道已有议事会').waitFor();
    await shot(s, 'console-council-duplicate');
    await s
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();

    // The council's members by category.
    await table.getByText('黄河西路街道议事会').click();
    const drawer = s.getByTestId('council-drawer');
    const members = drawer.getByTestId('council-members');
    await members.getByText('王建华').waitFor();
    await expect.poll(() => drawer.getByTestId('council-member-count').textContent()).toBe('15');
    const categories = () => members.getByTestId('council-category').allTextContents();
    expect(await categories()).toEqual([
      '人大代表（2）',
      '政协委员（2）',
      '居民代表（5）',
      '单位代表（3）',
      '社会组织代表（2）',
      '其他（1）',
    ]);
    // Each category's cell spans its members' rows.
    expect(await members.locator('td', { hasText: '居民代表（5）' }).getAttribute('rowspan')).toBe('5');

    // 添加成员: a bad phone refused in Chinese; then seated, the phone shown masked.
    const newcomer = `新成员${mark}`;
    await drawer.getByTestId('council-add-member').click();
    const add = s.getByTestId('council-member-form');
    await add.locator('#name').fill(newcomer);
    await chooseOption(s, s.getByTestId('council-member-category'), '社会组织代表');
    await add.locator('#affiliation').fill('青年志愿者协会');
    await add.locator('#phone').fill('1390000');
    await s.getByTestId('council-member-submit').click();
    await add.getByText('请输入 11 位手机号').waitFor();
    await add.locator('#phone').fill('13900001234');
    await s.getByTestId('council-member-submit').click();
    const seated = members.locator('.ant-table-row', { hasText: newcomer });
    await seated.waitFor();
    expect(await seated.textContent()).toContain('*******1234');
    await expect.poll(() => drawer.getByTestId('council-member-count').textContent()).toBe('16');
    await expect.poll(categories).toContain('社会组织代表（3）');
    // Another added and removed again (with a confirmation).
    const leaver = `临时成员${mark}`;
    await drawer.getByTestId('council-add-member').click();
    await s.getByTestId('council-member-form').locator('#name').fill(leaver);
    await chooseOption(s, s.getByTestId('council-member-category'), '其他');
    await s.getByTestId('council-member-submit').click();
    const leaving = members.locator('.ant-table-row', { hasText: leaver });
    await leaving.waitFor();
    await expect.poll(() => drawer.getByTestId('council-member-count').textContent()).toBe('17');
    await leaving.getByTestId('council-remove').click();
    await s.getByTestId('council-remove-confirm').click();
    await expect.poll(() => drawer.getByTestId('council-member-count').textContent()).toBe('16');
    expect(await drawer.getByText(leaver).count()).toBe(0);
    await expect.poll(categories).toContain('其他（1）');
    await drawer.locator('.ant-descriptions').scrollIntoViewIfNeeded();
    await shot(s, 'console-council-drawer', false);
    await drawer.locator('.ant-drawer-close').click();

    // The street-level deliberation's meeting: the council's members as checkboxes.
    await s.goto(`${baseUrl}/participation/deliberations?q=${encodeURIComponent(title)}`);
    await s.getByTestId('deliberations-table').getByText(title).click();
    const d = s.getByTestId('deliberation-drawer');
    await expect.poll(() => status(s)).toBe('已提议');
    const attendees = d.getByTestId('council-attendees');
    await expect.poll(() => attendees.locator('input[type=checkbox]').count()).toBe(16);
    expect(await d.getByTestId('deliberation-representatives').inputValue()).toBe('16');
    // Nobody ticked: refused before it is sent.
    await d.getByTestId('deliberation-convene').click();
    await d.getByText('请勾选到会成员').waitFor();
    const present = [
      newcomer,
      '王建华',
      '刘淑芬',
      '赵志刚',
      '李桂兰',
      '张德明',
      '陈玉梅',
      '周国强',
      '郑海军',
      '韩雪',
      '马文彬',
    ];
    for (const name of present) await attendees.getByText(name, { exact: true }).click();
    await expect
      .poll(() => d.getByTestId('council-ticked').textContent())
      .toBe('已勾选 11 / 16 人，须到会 11 人');
    expect(await d.getByTestId('deliberation-attendees').inputValue()).toBe('11');
    await shot(s, 'console-council-convene', false);
    await d.getByTestId('deliberation-convene').click();
    await expect.poll(() => status(s)).toBe('已开会');
    await d.getByText('达到法定人数').waitFor();
    expect(await d.getByTestId('deliberation-meeting').textContent()).toContain('到会 11 / 16 人');
    await expect.poll(() => d.getByTestId('deliberation-attendance').locator('.ant-tag').count()).toBe(11);
    // The vote is the step offered next.
    await d.getByTestId('deliberation-form-vote').waitFor();
    await d.getByTestId('deliberation-attendance').scrollIntoViewIfNeeded();
    await shot(s, 'console-council-convened', false);

    // The server kept who attended, member by member.
    const detail = await street.get<{ attendance: { name: string }[] }>(`/api/deliberations/${made.id}`);
    expect(detail.attendance.map((a) => a.name).sort()).toEqual([...present].sort());
    await ctx.close();
  });
});
