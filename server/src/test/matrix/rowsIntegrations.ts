import { randomBytes } from 'node:crypto';
import { hotlineCallbacks, hotlineCategoryMappings, hotlineOrders } from '../../modules/hotline/tables.js';
import { open311Keys } from '../../modules/open311/tables.js';
import type { Cell, Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

/** An Open311 key written directly (revoking twice is a no-op, so one is shared). */
async function key(w: World): Promise<string> {
  const [row] = await w.db
    .insert(open311Keys)
    .values({ name: `矩阵${w.next()}`, keyHash: randomBytes(16).toString('hex'), keyHint: 'mx00' })
    .returning({ id: open311Keys.id });
  return (row as { id: string }).id;
}

/** A mapping the cell may delete: its own when it will succeed, a shared one otherwise. */
async function mapping(c: Cell): Promise<string> {
  const name = c.fresh ? `矩阵分类${c.w.next()}` : '矩阵分类';
  await c.w.db
    .insert(hotlineCategoryMappings)
    .values({ hotlineCategory: name, categoryCode: 'C0103' })
    .onConflictDoNothing();
  return name;
}

/** A dead-lettered callback of a 12345 order (a case of the world, its order and callback written directly). */
async function deadLetter(c: Cell): Promise<number> {
  const n = c.w.next();
  const caseId = await c.w.case(c.w.locs.A, 'reported', { fresh: true });
  const orderNo = `MX${n}`;
  await c.w.db
    .insert(hotlineOrders)
    .values({ orderNo, caseId, hotlineCategory: '矩阵', receivedAt: new Date() });
  const [row] = await c.w.db
    .insert(hotlineCallbacks)
    .values({
      orderNo,
      eventId: 900_000_000 + n,
      kind: 'accepted',
      payload: { orderNo },
      status: 'dead',
      attempts: 20,
      giveUpAt: new Date(),
    })
    .returning({ id: hotlineCallbacks.id });
  return (row as { id: number }).id;
}

/** Outside systems: Open311 keys, the 12345 bridge's orders, mapping and dead letters. */
export const integrationRows: Row[] = [
  { route: 'GET /api/open311/keys', access: 'system:configure', ok: 200 },
  {
    route: 'POST /api/open311/keys',
    access: 'system:configure',
    ok: 201,
    build: () => ({ payload: { name: '矩阵客户端' } }),
  },
  {
    route: 'DELETE /api/open311/keys/{id}',
    access: 'system:configure',
    ok: 204,
    build: async (c) => ({ url: at('/api/open311/keys/{id}', { id: await key(c.w) }) }),
  },
  {
    route: 'POST /api/integrations/hotline/orders',
    access: 'public',
    build: () => ({
      payload: {
        orderNo: 'MX000001',
        category: '城乡建设/市政设施/路灯',
        content: '路灯不亮',
        receivedAt: new Date().toISOString(),
      },
    }),
    // The signature is the credential, whoever calls: the matrix's server has no hotline
    // secret, so every caller is refused alike (the hotline tests sign with one).
    ok: 401,
  },
  { route: 'GET /api/integrations/hotline/settings', access: 'system:configure', ok: 200 },
  {
    route: 'PUT /api/integrations/hotline/settings',
    access: 'system:configure',
    ok: 200,
    build: () => ({ payload: { callbackUrl: null } }),
  },
  {
    route: 'POST /api/integrations/hotline/settings/secret',
    access: 'system:configure',
    ok: 200,
    build: () => ({ payload: {} }),
  },
  { route: 'GET /api/integrations/hotline/mappings', access: 'system:configure', ok: 200 },
  {
    route: 'PUT /api/integrations/hotline/mappings',
    access: 'system:configure',
    ok: 200,
    build: () => ({ payload: { hotlineCategory: '矩阵保存', categoryCode: 'C0103', acceptHours: 2 } }),
  },
  {
    route: 'DELETE /api/integrations/hotline/mappings/{category}',
    access: 'system:configure',
    ok: 204,
    build: async (c) => ({
      url: at('/api/integrations/hotline/mappings/{category}', { category: await mapping(c) }),
    }),
  },
  { route: 'GET /api/integrations/hotline/callbacks', access: 'system:configure', ok: 200 },
  {
    route: 'POST /api/integrations/hotline/callbacks/{id}/resend',
    access: 'system:configure',
    ok: 200,
    build: async (c) => ({
      url: at('/api/integrations/hotline/callbacks/{id}/resend', { id: c.fresh ? await deadLetter(c) : 1 }),
    }),
  },
  // GeoReport v2: public to anyone, whoever is signed in; a POST needs the api_key, not a session.
  ...(
    [
      ['discovery.{format}', 'discovery.json', 200],
      ['services.{format}', 'services.xml', 200],
      ['services/{service_code}.{format}', 'services/streetlight.json', 200],
      ['requests.{format}', 'requests.json', 200],
      ['requests/{service_request_id}.{format}', 'requests/SJ0.json', 404],
      ['tokens/{token}.{format}', 'tokens/00000000-0000-4000-8000-000000000000.xml', 404],
    ] as const
  ).map(
    ([path, url, ok]): Row => ({
      route: `GET /open311/v2/${path}`,
      access: 'public',
      ok,
      build: () => ({ url: `/open311/v2/${url}` }),
    }),
  ),
  {
    route: 'POST /open311/v2/requests.{format}',
    access: 'public',
    build: () => ({
      url: '/open311/v2/requests.json',
      payload: { service_code: 'streetlight', lat: '40.6', long: '109.9' },
    }),
    // No api_key: GeoReport's 403 for every caller, a session being no key.
    ok: 403,
  },
];
