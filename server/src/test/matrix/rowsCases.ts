import { randomUUID } from 'node:crypto';
import { errorCodes } from '@civicgrid/core';
import { defaultAssessmentRules } from '@civicgrid/core/assessment/rules';
import { type CaseAction, transitions } from '@civicgrid/core/cases/stateMachine';
import { reportsOwnCases } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type RoleUser, type Row } from './model.js';
import { at, today, upload } from './requests.js';

const n = (c: Cell) => c.w.next();
const own = (c: Cell) => c.where === 'in';
const month = () => today().slice(0, 7);

/**
 * Who sees a case (cases/policy.ts canSeeCase), for the cases World.caseFor makes: the
 * department it went to, its reporter, or a holder of case:read whose jurisdiction holds it.
 */
const seesCase = (c: Cell) =>
  c.role.departmentId !== null || reportsOwnCases(c.role)
    ? c.where === 'in'
    : c.role.permissions.has('case:read') && inScope(c.role, c.loc);

/** A case the role may not see, for the lists. */
const hiddenCase = hiddenAt((o) => o.w.caseFor(o, 'reported'), seesCase);

/**
 * The workflow's guards (cases/policy.ts) for the cases World.caseFor makes inside: one at
 * A, handled by its community — whose dispatchers are the unit-bound roles above the grid
 * (and global accounts) — or, for a department handler, one dispatched to its department.
 */
const guards = {
  none: () => true,
  handlingLevel: (r: RoleUser) => r.global || (r.path !== null && r.level !== 'grid'),
  assignee: (r: RoleUser) => r.departmentId !== null,
  handlingLevelOrAssignee: (r: RoleUser) => guards.handlingLevel(r) || guards.assignee(r),
};

/**
 * One row per case action tried: the route is open to any signed-in user and the workflow
 * policy checks, in order, that the case is seen (404), the action's permission (403), the
 * state (409) and the action's guard (403: not your step, CASE_NOT_YOURS).
 */
function action(
  name: CaseAction,
  state: 'reported' | 'accepted' | 'dispatched',
  guard: keyof typeof guards,
  payload: () => Record<string, unknown>,
): Row {
  return {
    route: 'POST /api/cases/{id}/actions/{action}',
    variant: name,
    access: 'authenticated',
    allow: holds(transitions[name].permission),
    scope: 'path',
    scopeFirst: true,
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cases/{id}/actions/{action}', { id: await c.w.caseFor(c, state, c.fresh), action: name }),
      payload: payload(),
    }),
    expect: (c, o) => (o === 200 && !guards[guard](c.role) ? 403 : o),
  };
}

/** An area in the query (orgUnitId) outside the jurisdiction is a field error. */
const area = (path: string, query = '') => ({
  scope: 'input' as const,
  build: (c: Cell) => ({ url: `${path}?orgUnitId=${c.loc.grid.id}${query}` }),
});

/** Cases, photos, categories and calendar, metrics, dashboard, assessment, reports, big screen. */
export const caseRows: Row[] = [
  // ——— configuration read by everyone who works with cases
  { route: 'GET /api/case-categories', access: 'authenticated', ok: 200 },
  {
    route: 'POST /api/case-categories',
    access: 'case:configure',
    ok: 201,
    build: (c) => ({ payload: { code: `MX${n(c)}`, name: `矩阵新分类${n(c)}`, handlerKind: 'community' } }),
  },
  {
    route: 'PATCH /api/case-categories/{code}',
    access: 'case:configure',
    build: (c) => ({
      url: at('/api/case-categories/{code}', { code: c.w.caseCategory }),
      payload: { name: '矩阵分类' },
    }),
  },
  {
    route: 'GET /api/calendar/{year}',
    access: 'authenticated',
    ok: 200,
    build: () => ({ url: at('/api/calendar/{year}', { year: Number(today().slice(0, 4)) }) }),
  },
  {
    route: 'PUT /api/calendar/{year}',
    access: 'case:configure',
    build: () => ({ url: at('/api/calendar/{year}', { year: 2099 }), payload: { days: [] } }),
  },

  // ——— photos: one's own, or those of a record one may see
  {
    route: 'POST /api/files',
    access: 'authenticated',
    ok: 201,
    build: (c) => upload(c.w.png, 'photo.png', 'image/png'),
  },
  ...(['{id}', '{id}/thumb'] as const).map(
    (tail): Row => ({
      route: `GET /api/files/${tail}`,
      access: 'authenticated',
      scope: 'path',
      visible: own,
      ok: 200,
      build: async (c) => ({
        url: at(`/api/files/${tail}`, { id: await c.w.file(own(c) ? c.role.userId : c.w.setupUserId) }),
      }),
    }),
  ),

  // ——— cases
  {
    // Anyone may report anywhere (a point outside every grid goes to the district's pool).
    route: 'POST /api/cases',
    access: 'case:report',
    ok: 201,
    build: (c) => ({
      payload: {
        description: '井盖缺失，存在安全隐患',
        categoryCode: 'C0103',
        channel: reportsOwnCases(c.role) ? 'resident_app' : 'hotline_12345',
        location: c.loc.centre,
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/cases',
    access: 'case:read',
    ok: 200,
    build: () => ({ url: '/api/cases?pageSize=200' }),
    hides: hiddenCase,
  },
  { route: 'GET /api/cases/counts', access: 'case:read', ok: 200 },
  { route: 'GET /api/cases/map', access: 'case:read', ok: 200, hides: hiddenCase },
  { route: 'GET /api/cases/export.xlsx', access: 'case:read', ok: 200 },
  {
    route: 'GET /api/cases/duplicates',
    access: 'case:report',
    ok: 200,
    build: (c) => ({
      url: `/api/cases/duplicates?lat=${c.loc.centre.lat}&lng=${c.loc.centre.lng}&categoryCode=C0103`,
    }),
  },
  ...(['{id}', '{id}/events'] as const).map(
    (tail): Row => ({
      route: `GET /api/cases/${tail}`,
      access: 'authenticated',
      scope: 'path',
      // The trail names staff and holds their notes: one who sees a case only as its reporter
      // (a resident) reads the public timeline of /api/my/cases instead.
      visible:
        tail === '{id}/events'
          ? (c) => seesCase(c) && !(reportsOwnCases(c.role) && c.role.departmentId === null)
          : seesCase,
      ok: 200,
      build: async (c) => ({ url: at(`/api/cases/${tail}`, { id: await c.w.caseFor(c, 'reported') }) }),
    }),
  ),
  {
    // The reporter's full phone: pii:reveal, on a case the role may see (404 otherwise).
    route: 'POST /api/cases/{id}/reporter/reveal',
    access: 'pii:reveal',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cases/{id}/reporter/reveal', { id: await c.w.caseFor(c, 'reported') }),
    }),
  },
  {
    route: 'GET /api/cases/{id}/assignees',
    access: 'case:dispatch',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({ url: at('/api/cases/{id}/assignees', { id: await c.w.caseFor(c, 'accepted') }) }),
  },
  {
    // 智能派单: the dispatcher's suggestion on a case he may see (the model may not exist: still 200).
    route: 'GET /api/cases/{id}/routing-suggestion',
    access: 'case:dispatch',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cases/{id}/routing-suggestion', { id: await c.w.caseFor(c, 'reported') }),
    }),
  },
  { route: 'GET /api/routing/model', access: 'case:configure', ok: 200 },
  {
    // The reply is 200 with each case's own result: a case outside answers NOT_FOUND inside it.
    route: 'POST /api/cases/batch-dispatch',
    access: 'case:dispatch',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      payload: {
        caseIds: [await c.w.caseFor(c, 'accepted', c.fresh)],
        assignee: { kind: 'department', id: c.w.ownDept },
      },
    }),
    observe: (res) => {
      if (res.statusCode !== 200) return res.statusCode;
      const failed = (res.json() as { failed: { code: keyof typeof errorCodes }[] }).failed[0];
      return failed ? (errorCodes[failed.code]?.status ?? 500) : 200;
    },
  },
  action('note', 'reported', 'none', () => ({ note: '矩阵备注' })),
  action('accept', 'reported', 'handlingLevel', () => ({})),
  action('claim', 'dispatched', 'assignee', () => ({})),
  action('escalate', 'reported', 'handlingLevelOrAssignee', () => ({ reason: '需街道协调处置' })),
  action('cancel', 'reported', 'handlingLevel', () => ({ reason: '重复上报' })),
  // The matrix's cases are street lamps (C0103): moved to a broken manhole cover.
  action('recategorise', 'reported', 'handlingLevel', () => ({ categoryCode: 'C0101' })),
  action('supervise', 'reported', 'none', () => ({
    order: '请于两日内处理完毕',
    deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  })),

  // ——— metrics, dashboard and the big screen
  { route: 'GET /api/metrics/cases', access: 'metrics:read', ok: 200 },
  { route: 'GET /api/dashboard', access: 'metrics:read', ...area('/api/dashboard') },
  { route: 'GET /api/dashboard/todos', access: 'case:read', ok: 200 },
  { route: 'GET /api/screen/grids', access: 'metrics:read', ok: 200 },
  { route: 'GET /api/screen/cases', access: 'metrics:read', ok: 200, hides: hiddenCase },
  { route: 'GET /api/screen/feed', access: 'metrics:read', ok: 200 },

  // ——— the administrators' homes, each read with its own duty's permission
  { route: 'GET /api/overview/system', access: 'system:configure', ok: 200 },
  { route: 'GET /api/overview/security', access: 'user:read', ok: 200 },
  { route: 'GET /api/overview/audit', access: 'audit:read', ok: 200 },

  // ——— assessment and reports
  {
    route: 'GET /api/assessment/scorecards',
    access: 'assessment:read',
    ...area('/api/assessment/scorecards', `&start=${today()}`),
  },
  {
    route: 'GET /api/assessment/scorecards/export.xlsx',
    access: 'assessment:read',
    ...area('/api/assessment/scorecards/export.xlsx', `&start=${today()}`),
  },
  { route: 'GET /api/assessment/rules', access: 'assessment:read', ...area('/api/assessment/rules') },
  {
    route: 'PUT /api/assessment/rules',
    access: 'assessment:configure',
    scope: 'input',
    build: (c) => ({ payload: { districtId: c.loc.district.id, rules: defaultAssessmentRules } }),
  },
  {
    route: 'GET /api/assessment/department-evaluations',
    access: 'assessment:read',
    build: () => ({ url: `/api/assessment/department-evaluations?period=month&start=${today()}` }),
  },
  {
    route: 'PUT /api/assessment/department-evaluations',
    access: 'assessment:configure',
    build: (c) => ({
      payload: { departmentId: c.w.ownDept, period: 'month', start: today(), kind: 'self', score: 90 },
    }),
  },
  {
    route: 'GET /api/reports/weekly-review',
    access: 'assessment:read',
    scope: 'input',
    build: (c) => ({
      url: `/api/reports/weekly-review?orgUnitId=${c.loc.community.id}&week=${today()}&format=xlsx`,
    }),
  },
  {
    route: 'GET /api/reports/monthly-bulletin',
    access: 'assessment:read',
    scope: 'input',
    build: (c) => ({
      url: `/api/reports/monthly-bulletin?orgUnitId=${c.loc.community.id}&month=${month()}&format=xlsx`,
    }),
  },
];
