import { randomUUID } from 'node:crypto';
import { type TodoView, todoViewActions, todoViews } from '@civicgrid/core/api/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
const s: Record<'district' | 'community' | 'gridworker' | 'dept', Session> = {} as never;

const inGrid0 = { lat: 40.605, lng: 109.875 };

const act = async (by: Session, id: string, action: string, body: unknown = {}) => {
  const r = await by.post(`/api/cases/${id}/actions/${action}`, body);
  expect(r.statusCode, `${action} ${r.body}`).toBe(200);
};

async function report(by: Session, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await by.post('/api/cases', {
    description: '待办核对用事件',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: inGrid0,
    idempotencyKey: randomUUID(),
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

/** One case in every state at the first grid, handled by its community, the grid and a department. */
beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  invalidateNames();
  const dept = t.departments[0]?.id as number;
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'gridworker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'dept', roles: ['departmentHandler'], departmentId: dept });
  for (const u of ['district', 'community', 'gridworker', 'dept'] as const) s[u] = await login(ctx.app, u);
  const { community, gridworker } = s;
  const toDept = { assignee: { kind: 'department', id: dept } };
  const toGrid = { assignee: { kind: 'orgUnit', id: t.grids[0]?.id } };

  await report(community); // reported
  // Reported by the grid worker in a category they may self-resolve: still not theirs to accept.
  await report(gridworker, { categoryCode: 'E0102', channel: 'grid_patrol' });
  const escalated = await report(community);
  await act(community, escalated, 'escalate', { reason: '需街道协调' }); // reported, at the street
  await act(community, await report(community), 'accept'); // accepted
  const toDeptCase = await report(community);
  await act(community, toDeptCase, 'accept');
  await act(community, toDeptCase, 'dispatch', toDept); // dispatched to the department
  const toGridCase = await report(community);
  await act(community, toGridCase, 'accept');
  await act(community, toGridCase, 'dispatch', toGrid); // dispatched to the grid
  const deptWork = await report(community);
  await act(community, deptWork, 'accept');
  await act(community, deptWork, 'dispatch', toDept);
  await act(s.dept, deptWork, 'claim'); // in progress at the department
  const gridWork = await report(community);
  await act(community, gridWork, 'accept');
  await act(community, gridWork, 'dispatch', toGrid);
  await act(gridworker, gridWork, 'claim'); // in progress at the grid
  const rework = await report(community);
  await act(community, rework, 'accept');
  await act(community, rework, 'dispatch', toDept);
  await act(s.dept, rework, 'claim');
  await act(s.dept, rework, 'resolve', { result: '已处理' });
  await act(community, rework, 'verify', { passed: false }); // rework at the department
  const resolved = await report(community);
  await act(community, resolved, 'accept');
  await act(community, resolved, 'dispatch', toGrid);
  await act(gridworker, resolved, 'claim');
  await act(gridworker, resolved, 'resolve', { result: '已修复' }); // resolved
  const verified = await report(community);
  await act(community, verified, 'accept');
  await act(community, verified, 'dispatch', toGrid);
  await act(gridworker, verified, 'claim');
  await act(gridworker, verified, 'resolve', { result: '已修复' });
  await act(community, verified, 'verify', { passed: true }); // verified
  const closed = await report(community);
  await act(community, closed, 'accept');
  await act(community, closed, 'dispatch', toGrid);
  await act(gridworker, closed, 'claim');
  await act(gridworker, closed, 'resolve', { result: '已修复' });
  await act(community, closed, 'verify', { passed: true });
  await act(community, closed, 'followUp', { rating: 'satisfied' }); // closed
  await act(community, await report(community), 'reject', { reason: '不属于受理范围' }); // rejected
}, 120_000);
afterAll(() => ctx?.close());

type Tiles = Record<TodoView, number>;

async function todosOf(by: Session): Promise<{ total: number; tiles: Tiles }> {
  const r = await by.get('/api/dashboard/todos');
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json() as { total: number; tiles: { view: TodoView; count: number }[] };
  expect(body.tiles.map((x) => x.view)).toEqual(todoViews);
  return { total: body.total, tiles: Object.fromEntries(body.tiles.map((x) => [x.view, x.count])) as Tiles };
}

describe('我的待办', () => {
  it.each([
    ['district', { toAccept: 3, toDispatch: 1, toClaim: 0, inProgress: 0, toVerify: 1, toFollowUp: 1 }],
    ['community', { toAccept: 2, toDispatch: 1, toClaim: 0, inProgress: 0, toVerify: 1, toFollowUp: 1 }],
    // The grid worker may add progress or self-resolve on a reported case: not a to-do.
    ['gridworker', { toAccept: 0, toDispatch: 0, toClaim: 1, inProgress: 1, toVerify: 1, toFollowUp: 1 }],
    ['dept', { toAccept: 0, toDispatch: 0, toClaim: 1, inProgress: 2, toVerify: 0, toFollowUp: 0 }],
  ] as const)(
    '%s: the badge is the sum of its tiles, and each tile opens that many cases',
    async (who, want) => {
      const me = s[who];
      const { total, tiles } = await todosOf(me);
      expect(tiles).toEqual(want);
      expect(total).toBe(Object.values(tiles).reduce((a, b) => a + b, 0));
      const counts = (await me.get('/api/cases/counts')).json();
      for (const view of todoViews) {
        const list = (await me.get(`/api/cases?view=${view}&pageSize=100`)).json();
        expect(list.total, view).toBe(tiles[view]);
        expect(list.items, view).toHaveLength(tiles[view]);
        expect(counts[view], view).toBe(tiles[view]);
      }
    },
  );

  it.each(['district', 'community', 'gridworker', 'dept'] as const)(
    '%s: a case is in a to-do view exactly when its detail page offers that view’s action',
    async (who) => {
      const me = s[who];
      const all = (await me.get('/api/cases?pageSize=100')).json().items as { id: string }[];
      expect(all.length).toBeGreaterThan(0);
      const inView = new Map<TodoView, Set<string>>();
      for (const view of todoViews) {
        const items = (await me.get(`/api/cases?view=${view}&pageSize=100`)).json().items as { id: string }[];
        inView.set(view, new Set(items.map((c) => c.id)));
      }
      for (const c of all) {
        const allowed = (await me.get(`/api/cases/${c.id}`)).json().allowedActions as string[];
        for (const view of todoViews)
          expect(inView.get(view)?.has(c.id), `${who} ${view} ${allowed}`).toBe(
            allowed.includes(todoViewActions[view]),
          );
      }
    },
  );
});
