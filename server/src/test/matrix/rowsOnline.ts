import { anonymous, type Row } from './model.js';
import { at, upload } from './requests.js';

/** An application id no one applied for online: the /api/my/… routes answer 404 to everyone. */
const nobodys = '00000000-0000-4000-8000-00000000abcd';

/**
 * The resident portal's service guide and online applications (issue 17 item 4): the guide is
 * public; the rest is the signed-in user's own — an application not his own online one is 404.
 */
export const onlineRows: Row[] = [
  { route: 'GET /api/public/service-guide', access: 'public', ok: 200 },
  { route: 'GET /api/public/communities', access: 'public', ok: 200 },
  {
    route: 'POST /api/my/material-files',
    access: 'authenticated',
    ok: 201,
    build: (c) => upload(c.w.png, 'material.png', 'image/png'),
  },
  {
    // Applying is in one's own real name: a new account of the role has bound none, so it is told to.
    route: 'POST /api/my/applications',
    access: 'authenticated',
    ok: 409,
    build: async (c) => {
      const payload = { serviceCode: 'NONE', materials: [], idempotencyKey: `matrix-online-${c.w.next()}` };
      if (c.role.code === anonymous) return { payload };
      const u = await c.w.freshUser(c.role.code);
      return { as: (await c.w.login(u.username)).client, payload };
    },
  },
  { route: 'GET /api/my/applications', access: 'authenticated', ok: 200 },
  {
    route: 'GET /api/my/applications/{id}',
    access: 'authenticated',
    ok: 404,
    build: () => ({ url: at('/api/my/applications/{id}', { id: nobodys }) }),
  },
  {
    route: 'GET /api/my/applications/{id}/certificate.pdf',
    access: 'authenticated',
    ok: 404,
    build: () => ({ url: at('/api/my/applications/{id}/certificate.pdf', { id: nobodys }) }),
  },
  {
    route: 'POST /api/my/applications/{id}/rating',
    access: 'authenticated',
    ok: 404,
    build: () => ({ url: at('/api/my/applications/{id}/rating', { id: nobodys }), payload: { level: 1 } }),
  },
];
