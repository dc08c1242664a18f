import { notices } from '../../modules/notices/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, type Row } from './model.js';
import { at } from './requests.js';

/** A published notice to the community of `loc`, written by the cell's role user. */
async function noticeAt(c: Cell, loc: Loc): Promise<string> {
  const [row] = await c.w.db
    .insert(notices)
    .values({
      title: '矩阵通知',
      body: '矩阵通知正文',
      kind: 'notice',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      createdBy: c.role.userId,
      authorName: '矩阵',
    })
    .returning({ id: notices.id });
  return (row as { id: string }).id;
}

/** Staff manage the notices sent to an area of their jurisdiction. */
const manages = (c: Cell) =>
  c.role.permissions.has('notice:manage') &&
  (c.role.global || (c.role.path !== null && c.loc.community.path.startsWith(c.role.path)));

/**
 * A reader sees the notices of the community he lives in: an account bound to a community or
 * a grid (no real-name binding, no pick in the matrix); a street's, a district's or a
 * department's account lives in no community.
 */
const reads = (c: Cell) =>
  !c.role.global &&
  (c.role.level === 'community' || c.role.level === 'grid') &&
  c.role.path?.startsWith(c.loc.community.path) === true;

/** 通知公告 and the public map of reports. */
export const noticeRows: Row[] = [
  {
    route: 'GET /api/notices',
    access: 'notice:manage',
    ok: 200,
    hides: hiddenAt((o) => noticeAt(o, o.loc), manages),
  },
  {
    // The area is in the body: one outside the jurisdiction is a field error.
    route: 'POST /api/notices',
    access: 'notice:manage',
    scope: 'input',
    visible: manages,
    ok: 201,
    build: (c) => ({
      payload: { title: '矩阵新通知', body: '正文', kind: 'policy', orgUnitId: c.loc.community.id },
    }),
  },
  {
    route: 'GET /api/notices/{id}',
    access: 'notice:manage',
    scope: 'path',
    visible: manages,
    build: async (c) => ({ url: at('/api/notices/{id}', { id: await noticeAt(c, c.loc) }) }),
  },
  {
    route: 'PATCH /api/notices/{id}',
    access: 'notice:manage',
    scope: 'path',
    visible: manages,
    build: async (c) => ({
      url: at('/api/notices/{id}', { id: await noticeAt(c, c.loc) }),
      payload: { title: '矩阵通知（修改）' },
    }),
  },
  {
    route: 'POST /api/notices/{id}/actions/withdraw',
    access: 'notice:manage',
    scope: 'path',
    visible: manages,
    build: async (c) => ({
      url: at('/api/notices/{id}/actions/withdraw', { id: await noticeAt(c, c.loc) }),
      payload: {},
    }),
  },
  {
    route: 'POST /api/notices/{id}/actions/pin',
    access: 'notice:manage',
    scope: 'path',
    visible: manages,
    build: async (c) => ({
      url: at('/api/notices/{id}/actions/pin', { id: await noticeAt(c, c.loc) }),
      payload: { pinned: true },
    }),
  },
  { route: 'GET /api/my/notices', access: 'authenticated', ok: 200 },
  {
    route: 'GET /api/my/notices/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: reads,
    build: async (c) => ({ url: at('/api/my/notices/{id}', { id: await noticeAt(c, c.loc) }) }),
  },
  { route: 'GET /api/my/notice-communities', access: 'authenticated', ok: 200 },
  {
    // On a new account of the role: the pick would change where the role's own session reads.
    route: 'PUT /api/my/notice-community',
    access: 'authenticated',
    ok: 200,
    build: async (c) => {
      const u = await c.w.freshUser(c.role.code);
      return { as: (await c.w.login(u.username)).client, payload: { communityId: c.loc.community.id } };
    },
  },
  { route: 'GET /api/public/reports', access: 'public', ok: 200 },
];
