import { totpAt } from '../../platform/auth/totp.js';
import { testPassword } from '../factories.js';
import { anonymous, both, type Cell, hiddenAt, holds, type Row } from './model.js';
import { at } from './requests.js';

const n = (c: Cell) => c.w.next();
/** Own records: the cell's resource is the role's own inside, someone else's outside. */
const own = (c: Cell) => c.where === 'in';
const anyRole = (c: Cell) => (c.role.code === anonymous ? 'resident' : c.role.code);

/** Platform, sign-in and one's own credentials, the org tree, accounts, roles, audit, notifications. */
export const adminRows: Row[] = [
  { route: 'GET /api/health', access: 'public' },
  { route: 'GET /api/health/ready', access: 'public' },
  { route: 'GET /api/config/public', access: 'public' },
  { route: 'GET /api/openapi.json', access: 'public' },
  {
    route: 'GET /api/public/disclosure',
    access: 'public',
  },
  { route: 'GET /api/public/disclosure/services', access: 'public' },
  {
    // Every role can sign in (a new account of the role, so the role's own session stays).
    route: 'POST /api/auth/login',
    access: 'public',
    ok: 200,
    build: async (c) => {
      const u = await c.w.freshUser(anyRole(c));
      return { payload: { username: u.username, password: testPassword } };
    },
  },
  { route: 'GET /api/me', access: 'authenticated', ok: 200 },
  // One's own credentials, on a second account of the role (World.self) in this order: TOTP
  // setup, confirm, disable, password, logout last. The display account may keep its own
  // credentials away from the wall (allowRestricted), but turning TOTP off is no such route.
  {
    route: 'POST /api/auth/totp/setup',
    access: 'authenticated',
    ok: 200,
    build: async (c) => ({ as: (await c.w.self(c.role.code)).client }),
  },
  {
    route: 'POST /api/auth/totp/confirm',
    access: 'authenticated',
    ok: 200,
    build: async (c) => {
      const self = await c.w.self(c.role.code);
      const setup = await self.client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
      self.secret = (setup.json() as { secret?: string }).secret ?? null;
      return { as: self.client, payload: { code: totpAt(self.secret ?? '', Date.now()) } };
    },
  },
  {
    route: 'POST /api/auth/totp/disable',
    access: 'authenticated',
    ok: 204,
    build: async (c) => {
      const self = await c.w.self(c.role.code);
      const me = (await self.client.inject({ url: '/api/me' })).json() as { totpEnabled?: boolean };
      if (!me.totpEnabled || !self.secret) self.secret = await c.w.enrolTotp(self.client);
      // The next step's code: a platform that refuses a replayed code still accepts it.
      return { as: self.client, payload: { code: totpAt(self.secret, Date.now() + 30_000) } };
    },
    // A role that requires TOTP cannot turn it off (auth service: FORBIDDEN).
    expect: (c, o) => (o === 204 && c.role.totpRequired ? 403 : o),
  },
  {
    // Other sessions end with a password change; this one goes on (to the logout row).
    route: 'POST /api/auth/password',
    access: 'authenticated',
    ok: 204,
    build: async (c) => ({
      as: (await c.w.self(c.role.code)).client,
      payload: { currentPassword: testPassword, newPassword: `Matrix@${n(c)}pw` },
    }),
  },
  {
    route: 'POST /api/auth/logout',
    access: 'authenticated',
    ok: 204,
    build: async (c) => ({ as: (await c.w.self(c.role.code)).client }),
  },
  {
    route: 'GET /api/auth/tokens',
    access: 'authenticated',
    ok: 200,
    hides: (c) => c.w.token(c.w.setupUserId),
  },
  {
    route: 'POST /api/auth/tokens',
    access: 'authenticated',
    ok: 201,
    build: () => ({ payload: { name: '矩阵' } }),
  },
  {
    route: 'DELETE /api/auth/tokens/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: own,
    ok: 204,
    build: async (c) => ({
      url: at('/api/auth/tokens/{id}', {
        id: await c.w.token(own(c) ? c.role.userId : c.w.setupUserId, c.fresh),
      }),
    }),
  },

  // ——— org tree and departments
  {
    route: 'GET /api/org/tree',
    access: 'org:read',
    ok: 200,
    hides: hiddenAt(async (o) => o.loc.grid.id),
  },
  { route: 'GET /api/org/areas', access: 'org:read', ok: 200 },
  {
    route: 'GET /api/org/units/{id}',
    access: 'org:read',
    scope: 'path',
    build: (c) => ({ url: at('/api/org/units/{id}', { id: c.loc.grid.id }) }),
  },
  {
    route: 'GET /api/org/units/{id}/grids',
    access: 'org:read',
    scope: 'path',
    build: (c) => ({ url: at('/api/org/units/{id}/grids', { id: c.loc.grid.id }) }),
  },
  {
    route: 'POST /api/org/units',
    access: 'org:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({ payload: { parentId: c.loc.community.id, name: `矩阵新网格${n(c)}` } }),
  },
  {
    route: 'PATCH /api/org/units/{id}',
    access: 'org:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/org/units/{id}', { id: await c.w.grid(c.loc, c.fresh) }),
      payload: { name: `改名网格${n(c)}` },
    }),
  },
  {
    // Moved below its own community: allowed, and changes nothing for the other cells.
    route: 'POST /api/org/units/{id}/move',
    access: 'org:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/org/units/{id}/move', { id: await c.w.grid(c.loc, c.fresh) }),
      payload: { parentId: c.loc.community.id },
    }),
  },
  {
    route: 'POST /api/org/units/{id}/retire',
    access: 'org:write',
    scope: 'path',
    build: async (c) => ({ url: at('/api/org/units/{id}/retire', { id: await c.w.grid(c.loc, c.fresh) }) }),
  },
  {
    route: 'PUT /api/org/units/{id}/team',
    access: 'org:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/org/units/{id}/team', { id: await c.w.grid(c.loc, c.fresh) }),
      payload: { members: c.w.team() },
    }),
  },
  // Every signed-in user reads the department list: dispatch forms need it (org/routes.ts).
  { route: 'GET /api/departments', access: 'authenticated', ok: 200 },
  {
    route: 'POST /api/departments',
    access: 'department:write',
    ok: 201,
    build: (c) => ({ payload: { code: `mx${n(c)}`, name: `矩阵新部门${n(c)}` } }),
  },
  {
    route: 'PATCH /api/departments/{id}',
    access: 'department:write',
    build: async (c) => ({
      url: at('/api/departments/{id}', { id: await c.w.department(c.fresh) }),
      payload: { name: `改名部门${n(c)}` },
    }),
  },

  // ——— accounts and roles (the account's unit is its place)
  { route: 'GET /api/users', access: 'user:read', ok: 200 },
  {
    route: 'GET /api/users/{id}',
    access: 'user:read',
    scope: 'path',
    build: async (c) => ({ url: at('/api/users/{id}', { id: await c.w.targetUser(c.loc) }) }),
  },
  {
    route: 'POST /api/users',
    access: 'user:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        username: `m.new${n(c)}`,
        displayName: '新账号',
        password: 'Matrix@2026new',
        orgUnitId: c.loc.grid.id,
        roles: ['gridWorker'],
      },
    }),
  },
  {
    route: 'PATCH /api/users/{id}',
    access: 'user:write',
    scope: 'path',
    build: async (c) => ({
      url: at('/api/users/{id}', { id: await c.w.targetUser(c.loc, c.fresh) }),
      payload: { displayName: `改名${n(c)}` },
    }),
  },
  {
    route: 'POST /api/users/{id}/reset-password',
    access: 'user:write',
    scope: 'path',
    ok: 204,
    build: async (c) => ({
      url: at('/api/users/{id}/reset-password', { id: await c.w.targetUser(c.loc, c.fresh) }),
      payload: { password: 'Matrix@2026reset' },
    }),
  },
  {
    route: 'POST /api/users/{id}/unlock',
    access: 'user:write',
    scope: 'path',
    ok: 204,
    build: async (c) => ({
      url: at('/api/users/{id}/unlock', { id: await c.w.targetUser(c.loc, c.fresh) }),
    }),
  },
  {
    // Issue 12 item 9: a staff phone is revealed only to a holder of both user:read and
    // pii:reveal (no built-in role), inside its jurisdiction.
    route: 'POST /api/users/{id}/reveal',
    access: 'pii:reveal',
    allow: both('user:read', 'pii:reveal'),
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/users/{id}/reveal', { id: await c.w.targetUser(c.loc) }) }),
  },
  {
    // Issue 12 item 9: only those who administer roles read the roles and their permissions.
    route: 'GET /api/roles',
    access: 'authenticated',
    allow: holds('role:read', 'user:write'),
    ok: 200,
  },
  { route: 'GET /api/permissions', access: 'role:read', ok: 200 },
  {
    route: 'POST /api/roles',
    access: 'role:write',
    ok: 201,
    build: (c) => ({
      payload: { code: `matrixNew${n(c)}`, name: `矩阵新角色${n(c)}`, permissions: ['case:read'] },
    }),
  },
  {
    route: 'PATCH /api/roles/{id}',
    access: 'role:write',
    build: async (c) => ({
      url: at('/api/roles/{id}', { id: await c.w.customRole(c.fresh) }),
      payload: { name: `改名${n(c)}` },
    }),
  },
  {
    route: 'DELETE /api/roles/{id}',
    access: 'role:write',
    ok: 204,
    build: async (c) => ({ url: at('/api/roles/{id}', { id: await c.w.customRole(c.fresh) }) }),
  },

  // ——— audit
  { route: 'GET /api/audit-log', access: 'audit:read', ok: 200 },
  { route: 'GET /api/audit-log/verify', access: 'audit:read', ok: 200 },

  // ——— the timed jobs, the system admin's
  { route: 'GET /api/admin/jobs', access: 'system:configure', ok: 200 },
  {
    // Anchoring only appends a line to a file: a run changes nothing another row relies on.
    route: 'POST /api/admin/jobs/{name}/run',
    access: 'system:configure',
    ok: 200,
    build: () => ({ url: '/api/admin/jobs/audit-anchor/run', payload: {} }),
  },

  // ——— notifications: one's own only
  {
    route: 'GET /api/notifications',
    access: 'authenticated',
    ok: 200,
    hides: (c) => c.w.notification(c.w.setupUserId),
  },
  {
    route: 'POST /api/notifications/{id}/read',
    access: 'authenticated',
    scope: 'path',
    visible: own,
    build: async (c) => ({
      url: at('/api/notifications/{id}/read', {
        id: await c.w.notification(own(c) ? c.role.userId : c.w.setupUserId, c.fresh),
      }),
    }),
    // The update is filtered by owner: someone else's id changes nothing and still answers
    // ok (nothing leaks) — checked by `after`, which requires that notification still unread.
    expect: (_c, o) => (o === 404 ? 200 : o),
    after: async (c, _res, req) => {
      if (own(c)) return null;
      const id = Number(req.url?.split('/').at(-2));
      return (await c.w.notificationRead(id)) ? "marked another user's notification read" : null;
    },
  },
  { route: 'POST /api/notifications/read-all', access: 'authenticated', ok: 200 },
  {
    route: 'GET /api/notifications/stream',
    access: 'authenticated',
    // An event stream never ends, and inject waits for the end: only its refusal (401) runs.
    skip: (c) => (c.role.code === anonymous ? undefined : 'an SSE stream never ends in-process'),
  },
];
