import { randomUUID } from 'node:crypto';
import { proxyApplications, proxyPoints, proxyRequests } from '../../modules/proxy/tables.js';
import { applications, serviceItems } from '../../modules/services/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

/** The matrix's item for proxy intake: one required material. */
const itemCode = 'MXPROXY';
const items = new WeakMap<World, Promise<number>>();
const points = new WeakMap<World, Map<string, Promise<number>>>();

function item(w: World): Promise<number> {
  let p = items.get(w);
  if (!p) {
    p = (async () => {
      const [row] = await w.db
        .insert(serviceItems)
        .values({
          code: itemCode,
          version: 1,
          name: '矩阵代办事项',
          category: 'communityProxy',
          level: 'community',
          materials: [
            { name: '居民身份证', form: 'original', copies: 1, required: true, waivable: false, note: null },
          ],
          formFields: [],
          timeLimitDays: 5,
          statutoryDays: 10,
        })
        .returning({ id: serviceItems.id });
      return (row as { id: number }).id;
    })();
    items.set(w, p);
  }
  return p;
}

/** A proxy point in the grid of `loc` (afresh when `fresh`). */
function point(w: World, loc: Loc, fresh: boolean): Promise<number> {
  const make = async () => {
    const [row] = await w.db
      .insert(proxyPoints)
      .values({
        name: `矩阵代办点${w.next()}`,
        address: '矩阵路 1 号',
        lng: loc.centre.lng,
        lat: loc.centre.lat,
        orgUnitId: loc.grid.id,
        orgPath: loc.grid.path,
      })
      .returning({ id: proxyPoints.id });
    return (row as { id: number }).id;
  };
  if (fresh) return make();
  const memo = points.get(w) ?? new Map<string, Promise<number>>();
  points.set(w, memo);
  let p = memo.get(loc.key);
  if (!p) {
    p = make();
    memo.set(loc.key, p);
  }
  return p;
}

/** A proxy application someone else (the setup user) carries, taken in at `loc`. */
async function othersProxyApplication(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(applications)
    .values({
      code: `MXP${w.next()}${randomUUID().slice(0, 6)}`,
      serviceItemId: await item(w),
      serviceCode: itemCode,
      status: 'accepted',
      channel: 'proxy',
      applicantName: '矩阵居民',
      applicantIdEnc: w.deps.crypto.encrypt(w.idNumber()),
      applicantIdIdx: randomUUID(),
      applicantIdTail: '0000',
      materials: [{ name: '居民身份证', required: true, provided: true, fileId: null, promisedDate: null }],
      form: {},
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      handlingUnitId: loc.community.id,
      handlingPath: loc.community.path,
      createdBy: w.setupUserId,
      idempotencyKey: randomUUID(),
    })
    .returning({ id: applications.id });
  const id = (row as { id: string }).id;
  await w.db.insert(proxyApplications).values({
    applicationId: id,
    agentId: w.setupUserId,
    residentId: randomUUID(),
    consentMethod: 'verbal',
    consentAt: new Date(),
    recordedBy: w.setupUserId,
  });
  return id;
}

/** A resident's proxy request (请网格员帮办) to the grid of `loc`, asked by the setup user; taken by `takenBy` when given. */
async function proxyRequest(w: World, loc: Loc, takenBy?: string): Promise<string> {
  const [row] = await w.db
    .insert(proxyRequests)
    .values({
      serviceItemId: await item(w),
      serviceCode: itemCode,
      requesterId: w.setupUserId,
      orgUnitId: loc.grid.id,
      orgPath: loc.grid.path,
      consentAt: new Date(),
      status: takenBy ? 'taken' : 'open',
      ...(takenBy ? { takenBy, takenAt: new Date() } : {}),
      idempotencyKey: randomUUID(),
    })
    .returning({ id: proxyRequests.id });
  return (row as { id: string }).id;
}

/** 帮办代办: the agent's intake and list, proxy points and their map layer. */
export const proxyRows: Row[] = [
  {
    // The resident is named in the body and picked from the file: one outside the agent's
    // jurisdiction does not exist for him.
    route: 'POST /api/proxy-applications',
    access: 'application:proxy',
    scope: 'path',
    ok: 201,
    build: async (c: Cell) => {
      await item(c.w);
      return {
        payload: {
          serviceCode: itemCode,
          residentId: await c.w.resident(c.loc),
          materials: [{ name: '居民身份证', provided: true }],
          consent: { method: 'verbal', at: new Date(Date.now() - 60_000).toISOString() },
          idempotencyKey: randomUUID(),
        },
      };
    },
    // The agent must be a grid worker of the resident's grid (or a proxy point's agent): community
    // staff who are neither are told so, naming proxy.agentId.
    expect: (c, o) => (o === 201 && c.role.level !== 'grid' ? 400 : o),
  },
  {
    // 我代办的: only the actor's own; another agent's application is never listed.
    route: 'GET /api/proxy-applications',
    access: 'application:proxy',
    ok: 200,
    hides: (c) => othersProxyApplication(c.w, c.role.away),
  },
  {
    route: 'GET /api/proxy-points',
    access: 'place:read',
    ok: 200,
    hides: hiddenAt((o) => point(o.w, o.loc, false)),
  },
  {
    route: 'GET /api/proxy-points/map',
    access: 'place:read',
    ok: 200,
    hides: hiddenAt((o) => point(o.w, o.loc, false)),
  },
  {
    route: 'GET /api/proxy-points/{id}',
    access: 'place:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/proxy-points/{id}', { id: await point(c.w, c.loc, false) }) }),
  },
  {
    // The point's grid is named in the body: one outside the jurisdiction is a field error.
    route: 'POST /api/proxy-points',
    access: 'proxyPoint:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        name: `矩阵新代办点${c.w.next()}`,
        address: '矩阵路 2 号',
        location: c.loc.centre,
        orgUnitId: c.loc.grid.id,
      },
    }),
  },
  {
    route: 'PATCH /api/proxy-points/{id}',
    access: 'proxyPoint:write',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/proxy-points/{id}', { id: await point(c.w, c.loc, c.fresh) }),
      payload: { openingHours: '周一至周五 9:00-17:00' },
    }),
  },
  {
    route: 'GET /api/proxy-agents',
    access: 'proxyPoint:write',
    scope: 'input',
    ok: 200,
    build: (c) => ({ url: `/api/proxy-agents?orgUnitId=${c.loc.grid.id}` }),
  },
  {
    // The window's choice of agent for a resident it sees: one outside does not exist for it.
    route: 'GET /api/proxy-agents/eligible',
    access: 'application:intake',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: `/api/proxy-agents/eligible?residentId=${await c.w.resident(c.loc)}` }),
  },
  {
    // 请网格员帮办 from /r: a role's account has no resident file of its own, so it names its community.
    route: 'POST /api/my/proxy-requests',
    access: 'authenticated',
    ok: 201,
    build: async (c) => {
      await item(c.w);
      return {
        payload: {
          serviceCode: itemCode,
          orgUnitId: c.loc.community.id,
          consent: true,
          idempotencyKey: randomUUID(),
        },
      };
    },
  },
  {
    // One's own requests only: another's is never listed.
    route: 'GET /api/my/proxy-requests',
    access: 'authenticated',
    ok: 200,
    hides: (c) => proxyRequest(c.w, c.role.away),
  },
  {
    route: 'GET /api/proxy-requests',
    access: 'application:proxy',
    ok: 200,
    hides: hiddenAt((o) => proxyRequest(o.w, o.loc)),
  },
  {
    route: 'POST /api/proxy-requests/{id}/actions/take',
    access: 'application:proxy',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/proxy-requests/{id}/actions/take', { id: await proxyRequest(c.w, c.loc) }),
      payload: {},
    }),
  },
  {
    // The request was taken by the role's own user when it carries matters: he may cancel it
    // (the resident withdrew by phone); anyone else does not see it (404).
    route: 'POST /api/proxy-requests/{id}/actions/cancel',
    access: 'authenticated',
    scope: 'path',
    ok: 200,
    visible: (c) => holds('application:proxy')(c.role) && inScope(c.role, c.loc),
    build: async (c) => ({
      url: at('/api/proxy-requests/{id}/actions/cancel', {
        id: await proxyRequest(
          c.w,
          c.loc,
          holds('application:proxy')(c.role) && c.role.userId ? c.role.userId : undefined,
        ),
      }),
      payload: {},
    }),
  },
];
