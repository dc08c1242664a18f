import { randomUUID } from 'node:crypto';
import { type Cell, hiddenAt, holds, type Row } from './model.js';
import { at, now, upload } from './requests.js';

const n = (c: Cell) => c.w.next();
const own = (c: Cell) => c.where === 'in';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The resident tag library, the spreadsheet imports, residents and their households. */
export const residentRows: Row[] = [
  // ——— the resident tag library: read by whoever works with residents or keeps the library
  {
    route: 'GET /api/resident-tags',
    access: 'authenticated',
    allow: holds('resident:read', 'resident:configure'),
    ok: 200,
  },
  {
    route: 'POST /api/resident-tags',
    access: 'resident:configure',
    ok: 201,
    build: (c) => ({ payload: { name: `标签${n(c)}` } }),
  },
  {
    route: 'PATCH /api/resident-tags/{id}',
    access: 'resident:configure',
    build: async (c) => ({
      url: at('/api/resident-tags/{id}', { id: await c.w.tag(c.fresh) }),
      payload: { sort: 5 },
    }),
  },

  // ——— imports (the rows of a file are checked by the job, not by the route)
  { route: 'GET /api/imports/templates/residents.xlsx', access: 'resident:write', ok: 200 },
  { route: 'GET /api/imports/templates/buildings.xlsx', access: 'place:write', ok: 200 },
  { route: 'GET /api/imports/templates/organizations.xlsx', access: 'place:write', ok: 200 },
  {
    route: 'POST /api/imports/residents',
    access: 'resident:write',
    ok: 202,
    build: (c) => upload(c.w.residentTemplate, 'residents.xlsx', xlsx),
  },
  {
    route: 'POST /api/imports/buildings',
    access: 'place:write',
    ok: 202,
    build: (c) => upload(c.w.buildingTemplate, 'buildings.xlsx', xlsx),
  },
  {
    route: 'POST /api/imports/organizations',
    access: 'place:write',
    ok: 202,
    build: (c) => upload(c.w.organizationTemplate, 'organizations.xlsx', xlsx),
  },
  {
    // An import is seen by whoever started it.
    route: 'GET /api/imports/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: own,
    build: async (c) => ({
      url: at('/api/imports/{id}', { id: await c.w.importJob(own(c) ? c.role.userId : c.w.setupUserId) }),
    }),
  },
  {
    route: 'GET /api/imports/{id}/errors.xlsx',
    access: 'authenticated',
    scope: 'path',
    visible: own,
    build: async (c) => ({
      url: at('/api/imports/{id}/errors.xlsx', {
        id: await c.w.importJob(own(c) ? c.role.userId : c.w.setupUserId),
      }),
    }),
  },

  // ——— residents (the resident's grid is its place)
  {
    route: 'GET /api/residents',
    access: 'resident:read',
    ok: 200,
    // The largest page: a record it may not see would be on it.
    build: () => ({ url: '/api/residents?pageSize=200' }),
    hides: hiddenAt((o) => o.w.resident(o.loc)),
  },
  { route: 'GET /api/residents/export.xlsx', access: 'resident:read', ok: 200 },
  {
    route: 'POST /api/residents',
    access: 'resident:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({ payload: { name: `新居民${n(c)}`, idNumber: c.w.idNumber(), gridId: c.loc.grid.id } }),
  },
  ...(['{id}', '{id}/cases', '{id}/household', '{id}/moves', '{id}/care'] as const).map(
    (tail): Row => ({
      route: `GET /api/residents/${tail}`,
      access: 'resident:read',
      scope: 'path',
      ok: 200,
      build: async (c) => ({ url: at(`/api/residents/${tail}`, { id: await c.w.resident(c.loc) }) }),
    }),
  ),
  {
    route: 'PATCH /api/residents/{id}',
    access: 'resident:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/residents/{id}', { id: await c.w.resident(c.loc, c.fresh) }),
      payload: { notes: '矩阵备注' },
    }),
  },
  {
    // To grid B: inside every jurisdiction that holds more than one grid.
    route: 'POST /api/residents/{id}/move',
    access: 'resident:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/residents/{id}/move', { id: await c.w.resident(c.loc, c.fresh) }),
      payload: { gridId: c.w.locs.B.grid.id },
    }),
    // A grid worker has no second grid to move anyone to: the target grid is a field error.
    expect: (c, o) => (c.role.level === 'grid' && o !== 403 ? 400 : o),
  },
  {
    route: 'POST /api/residents/{id}/reveal',
    access: 'pii:reveal',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/residents/{id}/reveal', { id: await c.w.resident(c.loc) }) }),
  },

  // ——— households and housing
  {
    route: 'POST /api/households',
    access: 'resident:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({ payload: { gridId: c.loc.grid.id } }),
  },
  {
    route: 'PUT /api/households/{id}/members',
    access: 'resident:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/households/{id}/members', { id: await c.w.household(c.loc) }),
      payload: { residentId: await c.w.resident(c.loc, c.fresh), relationToHead: '子女' },
    }),
  },
  {
    route: 'DELETE /api/households/{id}/members/{residentId}',
    access: 'resident:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/households/{id}/members/{residentId}', {
        id: await c.w.household(c.loc),
        residentId: await c.w.resident(c.loc),
      }),
    }),
  },
  {
    // The dwelling is checked before the person: one outside is a field error.
    route: 'PUT /api/residents/{id}/household',
    access: 'resident:write',
    scope: 'input',
    build: async (c) => ({
      url: at('/api/residents/{id}/household', { id: await c.w.resident(c.loc, c.fresh) }),
      payload: { housingUnitId: await c.w.housingUnit(c.loc), relationToHead: '子女' },
    }),
  },
  {
    route: 'GET /api/households',
    access: 'resident:read',
    scope: 'input',
    build: (c) => ({ url: `/api/households?gridId=${c.loc.grid.id}` }),
  },
  {
    route: 'GET /api/housing-units',
    access: 'resident:read',
    scope: 'input',
    build: (c) => ({ url: `/api/housing-units?gridId=${c.loc.grid.id}` }),
  },
  {
    route: 'GET /api/households/{id}/visits',
    access: 'resident:read',
    scope: 'path',
    build: async (c) => ({ url: at('/api/households/{id}/visits', { id: await c.w.household(c.loc) }) }),
  },
  {
    route: 'POST /api/household-visits',
    access: 'fieldwork:record',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: {
        id: randomUUID(),
        householdId: await c.w.household(c.loc),
        visitedAt: now(),
        notes: '入户走访',
      },
    }),
  },
];
