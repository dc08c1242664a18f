import { idNumberCheckChar } from '@civicgrid/core';
import { privacyNoticeVersion } from '@civicgrid/core/api/resident';
import { reportsOwnCases } from './fixtures.js';
import { anonymous, type Cell, type Row } from './model.js';
import { at } from './requests.js';

/** Only an account that is a resident and nothing else is the portal's to change (residentAuth/service.ts). */
const residentOnly = (c: Cell) => c.role.code === 'resident';
const n = (c: Cell) => c.w.next();

/** The resident portal (issue 17): sign-in by SMS code, one's own resident account, my matters. */
export const residentPortalRows: Row[] = [
  {
    route: 'POST /api/resident-auth/code',
    access: 'public',
    ok: 202,
    build: (c) => ({ payload: { phone: `137${String(10_000_000 + n(c)).slice(-8)}` } }),
    // One code a minute per client address, and every column asks from the same one: the
    // anonymous column asks; a signed-in column would only meet that limit.
    skip: (c) => (c.role.code === anonymous ? undefined : 'one code a minute per client address'),
  },
  {
    route: 'POST /api/resident-auth/login',
    access: 'public',
    build: (c) => ({ payload: { phone: `136${String(10_000_000 + n(c)).slice(-8)}`, code: '000000' } }),
    // No code was ever sent to this number: wrong for anyone, signed in or not (a public
    // row's answer is its `ok`).
    ok: 401,
  },
  { route: 'GET /api/me/resident', access: 'authenticated', ok: 200 },
  {
    route: 'POST /api/me/resident/consent',
    access: 'authenticated',
    ok: 200,
    build: () => ({ payload: { version: privacyNoticeVersion } }),
    expect: (c, o) => (o === 200 && !residentOnly(c) ? 403 : o),
  },
  {
    route: 'POST /api/me/resident/real-name',
    access: 'authenticated',
    ok: 200,
    build: () => {
      const first17 = '15020319850101123';
      return { payload: { name: '矩阵居民', idNumber: first17 + idNumberCheckChar(first17) } };
    },
    expect: (c, o) => (o === 200 && !residentOnly(c) ? 403 : o),
  },
  {
    // On a new account of the role: the role's own session goes on.
    route: 'DELETE /api/me/resident',
    access: 'authenticated',
    ok: 204,
    build: async (c) => {
      const u = await c.w.freshUser(c.role.code);
      return { as: (await c.w.login(u.username)).client };
    },
    expect: (c, o) => (o === 204 && !residentOnly(c) ? 403 : o),
  },
  {
    // The one-time rating page's post (issue 15): a token that names no application is 404 for anyone.
    route: 'POST /api/public/ratings/{token}',
    access: 'public',
    build: () => ({
      url: at('/api/public/ratings/{token}', { token: '00000000-0000-4000-8000-000000000000.forged' }),
      payload: { level: 1 },
    }),
    ok: 404,
  },
  { route: 'GET /api/my/cases', access: 'authenticated', ok: 200 },
  {
    // One's own report inside; anyone else's case — even one the role may see — is not found here.
    route: 'GET /api/my/cases/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: (c) => reportsOwnCases(c.role) && c.where === 'in',
    build: async (c) => ({ url: at('/api/my/cases/{id}', { id: await c.w.caseFor(c, 'reported') }) }),
  },
];
