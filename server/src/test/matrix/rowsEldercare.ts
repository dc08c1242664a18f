import { imeiCheckDigit } from '@civicgrid/core/api/eldercare';
import { deviceAlerts } from '../../modules/eldercare/tables.js';
import type { Loc } from './fixtures.js';
import { must } from './fixtures.js';
import { anonymous, type Cell, hiddenAt, holdsId, type Row } from './model.js';
import type { World } from './world.js';

/** A fresh IMEI (Luhn-completed) nobody else has. */
const imeiOf = (w: World) => {
  const first = `86777${String(w.next()).padStart(9, '0')}`;
  return `${first}${imeiCheckDigit(first)}`;
};

const devicesOf = new WeakMap<World, Map<string, Promise<{ id: string; imei: string; secret: string }>>>();

/** A wearable of an elder living at `loc`, registered by the setup user; shared unless fresh. */
function device(w: World, loc: Loc, fresh = false) {
  const memo = devicesOf.get(w) ?? new Map();
  devicesOf.set(w, memo);
  let p = memo.get(loc.key);
  if (!p || fresh) {
    p = (async () => {
      const imei = imeiOf(w);
      const res = await must(
        w.setup.inject({
          method: 'POST',
          url: '/api/devices',
          payload: { imei, model: '矩阵手环', residentId: await w.resident(loc) },
        }),
        'POST /api/devices',
      );
      const { id, secret } = res.json() as { id: string; secret: string };
      return { id, imei, secret };
    })();
    if (!fresh) memo.set(loc.key, p);
  }
  return p;
}

/** An open alert of the device at `loc` (a fresh one per kind would collide: one open per kind). */
async function alert(w: World, loc: Loc): Promise<string> {
  const d = await device(w, loc, true);
  const [row] = await w.db
    .insert(deviceAlerts)
    .values({
      deviceId: d.id,
      kind: 'fence',
      orgPath: loc.grid.path,
      lat: loc.centre.lat,
      lng: loc.centre.lng,
    })
    .returning({ id: deviceAlerts.id });
  return (row as { id: string }).id;
}

const sharedAlert = new WeakMap<World, Map<string, Promise<string>>>();
function openAlert(c: Cell): Promise<string> {
  if (c.fresh) return alert(c.w, c.loc);
  const memo = sharedAlert.get(c.w) ?? new Map<string, Promise<string>>();
  sharedAlert.set(c.w, memo);
  let p = memo.get(c.loc.key);
  if (!p) {
    p = alert(c.w, c.loc);
    memo.set(c.loc.key, p);
  }
  return p;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 智慧养老: devices, their telemetry (the device's own credentials), alerts, elders' files. */
export const eldercareRows: Row[] = [
  {
    // The elder is named in the body: one outside the jurisdiction is a field error.
    route: 'POST /api/devices',
    access: 'eldercare:write',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: { imei: imeiOf(c.w), model: '矩阵手环', residentId: await c.w.resident(c.loc) },
    }),
  },
  {
    route: 'GET /api/devices',
    access: 'eldercare:read',
    ok: 200,
    hides: hiddenAt(async (o) => (await device(o.w, o.loc)).id),
  },
  {
    route: 'GET /api/devices/{id}',
    access: 'eldercare:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/devices/${(await device(c.w, c.loc)).id}` }),
  },
  {
    route: 'GET /api/devices/{id}/track',
    access: 'eldercare:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/devices/${(await device(c.w, c.loc)).id}/track?date=${today()}` }),
  },
  {
    route: 'GET /api/devices/{id}/vitals',
    access: 'eldercare:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/devices/${(await device(c.w, c.loc)).id}/vitals?date=${today()}` }),
  },
  {
    // The device is its own credential (HTTP Basic IMEI:secret), whoever's session comes with it.
    route: 'POST /api/devices/{id}/telemetry',
    access: 'public',
    ok: 202,
    build: async (c) => {
      const d = await device(c.w, c.loc, true);
      return {
        url: `/api/devices/${d.imei}/telemetry`,
        headers: { authorization: `Basic ${Buffer.from(`${d.imei}:${d.secret}`).toString('base64')}` },
        payload: { ts: Date.now(), hr: 72, ...c.loc.centre, battery: 90 },
      };
    },
  },
  {
    route: 'GET /api/alerts',
    access: 'eldercare:read',
    ok: 200,
    hides: hiddenAt(async (o) => alert(o.w, o.loc)),
    // The alert at the cell's own place exists before the request, and must be listed.
    build: async (c) => {
      // A list changes nothing: the shared alert of the place, whatever the cell's freshness.
      await openAlert({ ...c, fresh: false });
      // Every alert on one page: the action rows open fresh ones in the same places.
      return { url: '/api/alerts?pageSize=200' };
    },
    after: async (c, res) => {
      if (c.where !== 'in' || res.statusCode !== 200) return null;
      const own = await openAlert({ ...c, fresh: false });
      return holdsId(res.json(), own) ? null : 'the alert in the jurisdiction is missing';
    },
  },
  ...(['acknowledge', 'close'] as const).map(
    (action): Row => ({
      route: 'POST /api/alerts/{id}/actions/{action}',
      variant: action,
      access: 'eldercare:alert',
      scope: 'path',
      ok: 200,
      build: async (c) => ({ url: `/api/alerts/${await openAlert(c)}/actions/${action}`, payload: {} }),
    }),
  ),
  { route: 'GET /api/eldercare/stats', access: 'eldercare:read', ok: 200 },
  {
    route: 'GET /api/eldercare/stream',
    access: 'eldercare:read',
    // An event stream never ends, and inject waits for the end: only its refusals run.
    skip: (c) =>
      c.role.code === anonymous || !c.role.permissions.has('eldercare:read')
        ? undefined
        : 'an SSE stream never ends in-process',
  },
  {
    route: 'GET /api/elders',
    access: 'eldercare:read',
    ok: 200,
    hides: hiddenAt((o) => o.w.resident(o.loc)),
  },
  {
    route: 'GET /api/elders/{residentId}/profile',
    access: 'eldercare:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/elders/${await c.w.resident(c.loc)}/profile` }),
  },
  {
    route: 'PUT /api/elders/{residentId}/profile',
    access: 'eldercare:write',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: `/api/elders/${await c.w.resident(c.loc)}/profile`,
      payload: {
        livingAlone: true,
        contacts: [{ name: '矩阵家属', relation: '女儿', kind: 'family', phone: '13900000001' }],
      },
    }),
  },
];
