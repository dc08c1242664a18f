import { ensureElderServiceDefaults } from '../../modules/eldercareOrders/catalogue.js';
import {
  elderOrders,
  providerAreas,
  providerServices,
  providerStaff,
  providers,
} from '../../modules/eldercareOrders/tables.js';
import type { Loc } from './fixtures.js';
import { both, type Cell, holds, inScope, type RoleUser, type Row } from './model.js';
import type { World } from './world.js';

/** Staff of a provider: they see the orders of their provider wherever the elder lives. */
const isStaff = (r: RoleUser) =>
  r.permissions.has('eldercareOrder:serve') && !r.permissions.has('eldercareOrder:dispatch');

const districtPath = (loc: Loc) => `/${loc.grid.path.split('/')[1]}/`;

const ready = new WeakMap<World, Promise<void>>();
/** The service list, once per world. */
function services(w: World): Promise<void> {
  let p = ready.get(w);
  if (!p) {
    p = ensureElderServiceDefaults(w.db);
    ready.set(w, p);
  }
  return p;
}

const providersOf = new WeakMap<World, Map<string, Promise<number>>>();
/** A provider serving the district of `loc` with 居室保洁 (EC007); shared unless fresh. */
function provider(w: World, loc: Loc, fresh = false): Promise<number> {
  const make = async () => {
    await services(w);
    const [row] = await w.db
      .insert(providers)
      .values({
        name: `矩阵服务商${w.next()}`,
        phone: '0472-5123456',
        address: '矩阵路 2 号',
        lat: loc.centre.lat,
        lng: loc.centre.lng,
        orgPath: districtPath(loc),
      })
      .returning({ id: providers.id });
    const id = (row as { id: number }).id;
    await w.db
      .insert(providerAreas)
      .values({ providerId: id, orgUnitId: loc.district.id, orgPath: loc.district.path });
    await w.db.insert(providerServices).values({ providerId: id, serviceCode: 'EC007' });
    return id;
  };
  if (fresh) return make();
  const memo = providersOf.get(w) ?? new Map<string, Promise<number>>();
  providersOf.set(w, memo);
  let p = memo.get(loc.district.code);
  if (!p) {
    p = make();
    memo.set(loc.district.code, p);
  }
  return p;
}

/** The matrix's provider staff account works for the provider of the world's home district. */
const bound = new WeakMap<World, Promise<number>>();
function staffProvider(w: World): Promise<number> {
  let p = bound.get(w);
  if (!p) {
    p = (async () => {
      const id = await provider(w, w.locs.A);
      for (const r of w.roles.filter(isStaff))
        await w.db.insert(providerStaff).values({ userId: r.userId, providerId: id }).onConflictDoNothing();
      return id;
    })();
    bound.set(w, p);
  }
  return p;
}

const ordersOf = new WeakMap<World, Map<string, Promise<string>>>();
/**
 * An order of an elder at `loc` in `status`, dispatched (past pending) to the staff's provider —
 * an order out of the staff's district stays theirs (they see it), as a real one dispatched
 * across districts would.
 */
function order(c: Cell, status: 'pending' | 'dispatched' | 'finished', fresh = c.fresh): Promise<string> {
  const { w, loc } = c;
  const make = async () => {
    await services(w);
    const providerId = status === 'pending' ? null : await staffProvider(w);
    const residentId = await w.resident(loc);
    const [row] = await w.db
      .insert(elderOrders)
      .values({
        no: `MX${w.next()}`,
        residentId,
        gridId: loc.grid.id,
        orgPath: loc.grid.path,
        serviceCode: 'EC007',
        kind: 'cleaning',
        status,
        requestedAt: new Date(),
        homeLat: loc.centre.lat,
        homeLng: loc.centre.lng,
        providerId,
        dispatchedAt: providerId ? new Date() : null,
        finishedAt: status === 'finished' ? new Date() : null,
        amountFen: status === 'finished' ? 4000 : null,
        subsidyFen: status === 'finished' ? 1600 : null,
        selfPaidFen: status === 'finished' ? 2400 : null,
      })
      .returning({ id: elderOrders.id });
    return (row as { id: string }).id;
  };
  if (fresh) return make();
  const memo = ordersOf.get(w) ?? new Map<string, Promise<string>>();
  ordersOf.set(w, memo);
  const key = `${loc.key}:${status}`;
  let p = memo.get(key);
  if (!p) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

/** Who sees an order: staff of its provider (every order here past pending is theirs), else the jurisdiction. */
const seesOrder = (dispatched: boolean) => (c: Cell) =>
  isStaff(c.role) ? dispatched : inScope(c.role, c.loc);

const month = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/** 12349 为老服务: the service list, providers, orders and their actions, statistics and bills. */
export const eldercareOrderRows: Row[] = [
  { route: 'GET /api/eldercare/services', access: 'eldercareOrder:read', ok: 200 },
  { route: 'GET /api/providers', access: 'eldercareOrder:dispatch', ok: 200 },
  {
    route: 'GET /api/providers/{id}',
    access: 'eldercareOrder:dispatch',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/providers/${await provider(c.w, c.loc)}` }),
  },
  {
    // The areas are named in the body: one outside the jurisdiction is a field error.
    route: 'POST /api/providers',
    access: 'provider:manage',
    scope: 'input',
    ok: 201,
    build: async (c) => {
      await services(c.w);
      return {
        payload: {
          name: `矩阵新服务商${c.w.next()}`,
          phone: '0472-5123456',
          address: '矩阵路 3 号',
          location: c.loc.centre,
          areaIds: [c.loc.community.id],
          serviceCodes: ['EC007'],
        },
      };
    },
  },
  {
    route: 'PATCH /api/providers/{id}',
    access: 'provider:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: `/api/providers/${await provider(c.w, c.loc, c.fresh)}`,
      payload: { contactName: '矩阵联系人' },
    }),
  },
  {
    // The elder is named in the body: one outside the jurisdiction is a field error.
    route: 'POST /api/eldercare/orders',
    access: 'eldercareOrder:dispatch',
    scope: 'input',
    ok: 201,
    build: async (c) => {
      await services(c.w);
      return {
        payload: {
          residentId: await c.w.resident(c.loc),
          serviceCode: 'EC007',
          requestedAt: new Date().toISOString(),
        },
      };
    },
  },
  { route: 'GET /api/eldercare/orders', access: 'eldercareOrder:read', ok: 200 },
  {
    route: 'GET /api/eldercare/orders/{id}',
    access: 'eldercareOrder:read',
    scope: 'path',
    ok: 200,
    visible: seesOrder(true),
    build: async (c) => ({ url: `/api/eldercare/orders/${await order(c, 'dispatched', false)}` }),
  },
  {
    route: 'GET /api/eldercare/orders/{id}/suggestions',
    access: 'eldercareOrder:dispatch',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/eldercare/orders/${await order(c, 'pending', false)}/suggestions` }),
  },
  {
    // pii:reveal alone (the command centre) does not open the hotline's callers.
    route: 'POST /api/eldercare/orders/{id}/caller',
    access: 'pii:reveal',
    scope: 'path',
    ok: 200,
    allow: both('pii:reveal', 'eldercareOrder:dispatch'),
    build: async (c) => ({ url: `/api/eldercare/orders/${await order(c, 'pending', false)}/caller` }),
  },
  {
    route: 'POST /api/eldercare/orders/{id}/actions/{action}',
    variant: 'dispatch',
    access: 'eldercareOrder:read',
    scope: 'path',
    scopeFirst: true,
    ok: 200,
    allow: holds('eldercareOrder:dispatch'),
    visible: seesOrder(false),
    build: async (c) => ({
      url: `/api/eldercare/orders/${await order(c, 'pending')}/actions/dispatch`,
      payload: { providerId: await provider(c.w, c.loc) },
    }),
  },
  {
    // Only the staff of the provider it was dispatched to accept; a second accept is 409.
    route: 'POST /api/eldercare/orders/{id}/actions/{action}',
    variant: 'accept',
    access: 'eldercareOrder:read',
    scope: 'path',
    scopeFirst: true,
    ok: 200,
    allow: isStaff,
    visible: seesOrder(true),
    build: async (c) => ({
      url: `/api/eldercare/orders/${await order(c, 'dispatched')}/actions/accept`,
      payload: {},
    }),
  },
  {
    route: 'POST /api/eldercare/orders/{id}/actions/{action}',
    variant: 'rate',
    access: 'eldercareOrder:read',
    scope: 'path',
    scopeFirst: true,
    ok: 200,
    allow: holds('eldercareOrder:dispatch'),
    visible: seesOrder(true),
    build: async (c) => ({
      url: `/api/eldercare/orders/${await order(c, 'finished')}/actions/rate`,
      payload: { rating: 5 },
    }),
  },
  { route: 'GET /api/eldercare/order-stats', access: 'eldercareOrder:dispatch', ok: 200 },
  { route: 'GET /api/screen/eldercare', access: 'metrics:read', ok: 200 },
  {
    route: 'GET /api/eldercare/bills/export.xlsx',
    access: 'eldercareOrder:dispatch',
    ok: 200,
    build: () => ({ url: `/api/eldercare/bills/export.xlsx?month=${month()}` }),
  },
];
