import { randomUUID } from 'node:crypto';
import { type Cell, hiddenAt, holds, inScope, type Row } from './model.js';
import { at, now, today } from './requests.js';

const n = (c: Cell) => c.w.next();
const own = (c: Cell) => c.where === 'in';

/**
 * Who sees a care case (care/service.ts careScope): its assigned workers, and holders of
 * care:supervise whose jurisdiction holds it. The grid worker under test is the worker of
 * the cases at its own grid.
 */
const seesCareCase = (c: Cell) =>
  (c.role.permissions.has('care:supervise') && inScope(c.role, c.loc)) || c.w.worker(c.loc) === c.role.userId;

/** A patrol at a place, walked by the place's worker: its walker sees it, and readers of field work there. */
const seesPatrol = (c: Cell) =>
  c.w.worker(c.loc) === c.role.userId || (c.role.permissions.has('fieldwork:read') && inScope(c.role, c.loc));

/** Buildings, organizations and facilities; care (关爱帮扶); field work. */
export const fieldRows: Row[] = [
  // ——— buildings, organizations, facilities
  {
    route: 'GET /api/buildings',
    access: 'place:read',
    ok: 200,
    // The largest page: a record it may not see would be on it.
    build: () => ({ url: '/api/buildings?pageSize=200' }),
    hides: hiddenAt((o) => o.w.building(o.loc)),
  },
  { route: 'GET /api/buildings/export.xlsx', access: 'place:read', ok: 200 },
  {
    route: 'POST /api/buildings',
    access: 'place:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        name: `新楼${n(c)}`,
        address: '测试路9号',
        floors: 5,
        gridId: c.loc.grid.id,
        ...c.loc.centre,
      },
    }),
  },
  {
    route: 'GET /api/buildings/{id}',
    access: 'place:read',
    scope: 'path',
    build: async (c) => ({ url: at('/api/buildings/{id}', { id: await c.w.building(c.loc) }) }),
  },
  {
    route: 'PATCH /api/buildings/{id}',
    access: 'place:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/buildings/{id}', { id: await c.w.building(c.loc) }),
      payload: { floors: 7 },
    }),
  },
  {
    route: 'POST /api/buildings/{id}/units',
    access: 'place:write',
    scope: 'path',
    ok: 201,
    build: async (c) => ({
      url: at('/api/buildings/{id}/units', { id: await c.w.building(c.loc) }),
      payload: { unitNo: 2, floor: 3, room: String(n(c) % 100) },
    }),
  },
  {
    route: 'PATCH /api/housing-units/{id}',
    access: 'place:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/housing-units/{id}', { id: await c.w.housingUnit(c.loc) }),
      payload: { use: 'rented' },
    }),
  },
  {
    route: 'GET /api/organizations',
    access: 'place:read',
    ok: 200,
    // The largest page: a record it may not see would be on it.
    build: () => ({ url: '/api/organizations?pageSize=200' }),
    hides: hiddenAt((o) => o.w.organization(o.loc)),
  },
  { route: 'GET /api/organizations/export.xlsx', access: 'place:read', ok: 200 },
  {
    route: 'POST /api/organizations',
    access: 'place:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        name: `新单位${n(c)}`,
        creditCode: c.w.creditCode(),
        kind: 'enterprise',
        address: '测试路2号',
        gridId: c.loc.grid.id,
      },
    }),
  },
  {
    route: 'GET /api/organizations/{id}',
    access: 'place:read',
    scope: 'path',
    build: async (c) => ({ url: at('/api/organizations/{id}', { id: await c.w.organization(c.loc) }) }),
  },
  {
    route: 'PATCH /api/organizations/{id}',
    access: 'place:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/organizations/{id}', { id: await c.w.organization(c.loc) }),
      payload: { employees: 12 },
    }),
  },
  {
    route: 'GET /api/facilities',
    access: 'place:read',
    ok: 200,
    // The largest page: a record it may not see would be on it.
    build: () => ({ url: '/api/facilities?pageSize=200' }),
    hides: hiddenAt((o) => o.w.facility(o.loc)),
  },
  {
    route: 'POST /api/facilities',
    access: 'place:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: { typeCode: '0101', name: `井盖${n(c)}`, gridId: c.loc.grid.id, ...c.loc.centre },
    }),
  },
  {
    route: 'PATCH /api/facilities/{id}',
    access: 'place:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/facilities/{id}', { id: await c.w.facility(c.loc) }),
      payload: { state: 'damaged' },
    }),
  },
  { route: 'GET /api/places/map', access: 'place:read', ok: 200 },

  // ——— care (关爱帮扶)
  {
    // Read by those who keep care cases and by the admin who configures the categories.
    route: 'GET /api/care/categories',
    access: 'authenticated',
    allow: holds('care:read', 'care:configure'),
    ok: 200,
  },
  {
    route: 'POST /api/care/categories',
    access: 'care:configure',
    ok: 201,
    build: (c) => ({
      payload: {
        code: `matrix${n(c)}`,
        name: `矩阵类别${n(c)}`,
        visitDays: { high: 7, medium: 30, low: 90 },
        retentionDays: 365,
      },
    }),
  },
  {
    route: 'PUT /api/care/categories/{code}',
    access: 'care:configure',
    build: (c) => ({
      url: at('/api/care/categories/{code}', { code: c.w.careCategory }),
      payload: { name: '矩阵类别', visitDays: { high: 7, medium: 30, low: 90 }, retentionDays: 365 },
    }),
  },
  {
    route: 'GET /api/care/cases',
    access: 'care:read',
    ok: 200,
    // The largest page: a record it may not see would be on it.
    build: () => ({ url: '/api/care/cases?pageSize=200' }),
    hides: hiddenAt((o) => o.w.careCase(o.loc), seesCareCase),
  },
  { route: 'GET /api/care/todo', access: 'care:read', ok: 200 },
  {
    // Assigned to the place's worker (at A: the grid worker under test, who then sees it).
    route: 'POST /api/care/cases',
    access: 'care:write',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: {
        residentId: await c.w.resident(c.loc, true),
        categoryCode: c.w.careCategory,
        riskLevel: 'medium',
        workerIds: [c.w.worker(c.loc)],
      },
    }),
  },
  {
    route: 'GET /api/care/cases/{id}',
    access: 'care:read',
    scope: 'path',
    visible: seesCareCase,
    build: async (c) => ({ url: at('/api/care/cases/{id}', { id: await c.w.careCase(c.loc) }) }),
  },
  {
    route: 'PATCH /api/care/cases/{id}',
    access: 'care:write',
    scope: 'path',
    visible: seesCareCase,
    build: async (c) => ({
      url: at('/api/care/cases/{id}', { id: await c.w.careCase(c.loc) }),
      payload: { plan: '每月走访一次' },
    }),
  },
  {
    route: 'POST /api/care/cases/{id}/close',
    access: 'care:write',
    scope: 'path',
    visible: seesCareCase,
    build: async (c) => ({
      url: at('/api/care/cases/{id}/close', { id: await c.w.careCase(c.loc, c.fresh) }),
      payload: { reason: '帮扶结束' },
    }),
  },
  {
    route: 'POST /api/care/cases/{id}/visits',
    access: 'care:write',
    scope: 'path',
    visible: seesCareCase,
    ok: 201,
    build: async (c) => ({
      url: at('/api/care/cases/{id}/visits', { id: await c.w.careCase(c.loc) }),
      payload: { visitedAt: now(), place: '家中', notes: '走访正常' },
    }),
  },
  {
    // The grid is in the query, but the route answers 404 for one outside (not a field error).
    route: 'GET /api/care/workers',
    access: 'care:write',
    scope: 'path',
    build: (c) => ({ url: `/api/care/workers?gridId=${c.loc.grid.id}` }),
  },

  // ——— field work: patrols are their walker's; a reader of field work sees those in its jurisdiction
  {
    route: 'POST /api/patrols',
    access: 'fieldwork:record',
    scope: 'input',
    build: (c) => ({ payload: { id: randomUUID(), startedAt: now(), gridId: c.loc.grid.id } }),
  },
  {
    route: 'POST /api/patrols/{id}/points',
    access: 'fieldwork:record',
    scope: 'path',
    visible: own,
    build: async (c) => ({
      url: at('/api/patrols/{id}/points', {
        id: await c.w.patrol(own(c) ? c.role.userId : c.w.setupUserId, c.loc, c.fresh),
      }),
      payload: { points: [{ seq: 1, at: now(), ...c.loc.centre }] },
    }),
  },
  {
    route: 'POST /api/patrols/{id}/end',
    access: 'fieldwork:record',
    scope: 'path',
    visible: own,
    build: async (c) => ({
      url: at('/api/patrols/{id}/end', {
        id: await c.w.patrol(own(c) ? c.role.userId : c.w.setupUserId, c.loc, c.fresh),
      }),
      payload: { endedAt: now() },
    }),
  },
  // One's own patrols, and those in one's jurisdiction with fieldwork:read.
  {
    route: 'GET /api/patrols',
    access: 'authenticated',
    ok: 200,
    hides: hiddenAt((o) => o.w.patrol(o.w.worker(o.loc), o.loc), seesPatrol),
  },
  {
    route: 'GET /api/patrols/{id}/track',
    access: 'authenticated',
    scope: 'path',
    visible: seesPatrol,
    build: async (c) => ({
      url: at('/api/patrols/{id}/track', { id: await c.w.patrol(c.w.worker(c.loc), c.loc) }),
    }),
  },
  {
    route: 'GET /api/patrols/coverage',
    access: 'fieldwork:read',
    scope: 'path',
    build: (c) => ({ url: `/api/patrols/coverage?gridId=${c.loc.grid.id}&day=${today()}` }),
  },
  {
    route: 'GET /api/worklogs/mine/{day}',
    access: 'fieldwork:record',
    build: () => ({ url: at('/api/worklogs/mine/{day}', { day: today() }) }),
  },
  {
    route: 'PUT /api/worklogs/mine/{day}',
    access: 'fieldwork:record',
    build: () => ({ url: at('/api/worklogs/mine/{day}', { day: today() }), payload: { notes: '巡查正常' } }),
  },
  {
    route: 'GET /api/worklogs',
    access: 'fieldwork:read',
    build: () => ({ url: `/api/worklogs?from=${today()}&to=${today()}` }),
  },
];
