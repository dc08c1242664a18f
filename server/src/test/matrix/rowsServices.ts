import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type ApplicationAction,
  type ApplicationState,
  applicationTransitions,
} from '@civicgrid/core/services/stateMachine';
import { certificateCode } from '../../modules/services/certificates.js';
import {
  applicationRatings,
  applications,
  certificates,
  materialFiles,
  serviceItems,
} from '../../modules/services/tables.js';
import { createLocalFileStore } from '../../platform/files.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type RoleUser, type Row } from './model.js';
import { at, upload } from './requests.js';
import type { World } from './world.js';

/** The matrix's catalogue item: a community item, not done on the spot. */
const itemCode = 'MXSERVICE';
const itemMaterials = [
  { name: '居民身份证', form: 'original', copies: 1, required: true, waivable: false, note: null },
  { name: '户口簿', form: 'original', copies: 1, required: true, waivable: false, note: null },
] as const;

const items = new WeakMap<World, Promise<number>>();
const shared = new WeakMap<World, Map<string, Promise<string>>>();

/** The item, written once per world (its upkeep has rows of its own below). */
function item(w: World): Promise<number> {
  let p = items.get(w);
  if (!p) {
    p = (async () => {
      const [row] = await w.db
        .insert(serviceItems)
        .values({
          code: itemCode,
          version: 1,
          name: '矩阵服务事项',
          category: 'communityDirect',
          level: 'community',
          materials: itemMaterials.map((m) => ({ ...m })),
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

/**
 * An application taken in at the community of `loc` and handled there, in `state` — written
 * directly (a window of every place would take a clerk per place), shared unless `fresh`.
 */
function application(w: World, loc: Loc, state: ApplicationState, fresh: boolean): Promise<string> {
  const make = async () => {
    const waiting = state === 'incomplete';
    const clockless = waiting || state === 'submitted';
    const [row] = await w.db
      .insert(applications)
      .values({
        code: `MX${w.next()}${randomUUID().slice(0, 6)}`,
        serviceItemId: await item(w),
        serviceCode: itemCode,
        status: state,
        channel: 'window',
        applicantName: '矩阵申请人',
        applicantIdEnc: w.deps.crypto.encrypt(w.idNumber()),
        applicantIdIdx: randomUUID(),
        applicantIdTail: '0000',
        materials: itemMaterials.map((m) => ({
          name: m.name,
          required: m.required,
          provided: !(waiting && m.name === '户口簿'),
          fileId: null,
          promisedDate: null,
        })),
        form: {},
        missing: waiting ? ['户口簿'] : [],
        orgUnitId: loc.community.id,
        orgPath: loc.community.path,
        handlingUnitId: loc.community.id,
        handlingPath: loc.community.path,
        acceptedAt: clockless ? null : new Date(),
        dueAt: clockless ? null : new Date(Date.now() + 7 * 86_400_000),
        warnAt: clockless ? null : new Date(Date.now() + 5 * 86_400_000),
        createdBy: w.setupUserId,
        idempotencyKey: randomUUID(),
      })
      .returning({ id: applications.id });
    return (row as { id: string }).id;
  };
  if (fresh) return make();
  const key = `${loc.key}:${state}`;
  const memo = shared.get(w) ?? new Map<string, Promise<string>>();
  shared.set(w, memo);
  let p = memo.get(key);
  if (!p) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

const certificatesMade = new WeakMap<
  World,
  Map<string, Promise<{ id: string; number: string; applicationId: string }>>
>();

/** A certificate of an application issued at the community of `loc` (afresh when `fresh`). */
function certificate(w: World, loc: Loc, fresh: boolean) {
  const make = async () => {
    const applicationId = await application(w, loc, 'issued', true);
    const number = `ZM${w.next()}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const [row] = await w.db
      .insert(certificates)
      .values({
        number,
        applicationId,
        serviceName: '矩阵服务事项',
        issuerUnitId: loc.community.id,
        holderName: '矩阵申请人',
      })
      .returning({ id: certificates.id });
    return { id: (row as { id: string }).id, number, applicationId };
  };
  if (fresh) return make();
  const memo = certificatesMade.get(w) ?? new Map();
  certificatesMade.set(w, memo);
  let p = memo.get(loc.key);
  if (!p) {
    p = make();
    memo.set(loc.key, p);
  }
  return p;
}

const ratingsMade = new WeakMap<World, Map<string, Promise<{ id: string; applicationId: string }>>>();

/** A 不满意 rating, with its open rectification, of an application collected at `loc`. */
function badRating(w: World, loc: Loc, fresh: boolean) {
  const make = async () => {
    const applicationId = await application(w, loc, 'collected', true);
    const [row] = await w.db
      .insert(applicationRatings)
      .values({
        applicationId,
        level: 4,
        channel: 'window',
        rectifyBy: new Date(Date.now() + 7 * 86_400_000),
      })
      .returning({ id: applicationRatings.id });
    return { id: (row as { id: string }).id, applicationId };
  };
  if (fresh) return make();
  const memo = ratingsMade.get(w) ?? new Map();
  ratingsMade.set(w, memo);
  let p = memo.get(loc.key);
  if (!p) {
    p = make();
    memo.set(loc.key, p);
  }
  return p;
}

const centreStaff = holds('application:read', 'application:intake', 'application:handle');
/** Who sees an application of the cell's place (services/policy.ts applicationsScope). */
const seesApplication = (c: Cell) => centreStaff(c.role) && inScope(c.role, c.loc);
/** The back office of the community of A: the unit-bound roles above the grid, and global ones. */
const handler = (r: RoleUser) =>
  r.global || (r.path !== null && r.level !== 'grid' && r.departmentId === null);

const actionStates: Record<ApplicationAction, ApplicationState> = {
  accept: 'submitted',
  requireMaterial: 'submitted',
  decline: 'submitted',
  supplement: 'incomplete',
  approve: 'accepted',
  reject: 'accepted',
  transfer: 'accepted',
  requestMaterial: 'accepted',
  issue: 'approved',
  collect: 'issued',
  withdraw: 'accepted',
};

function action(name: ApplicationAction, payload: (c: Cell) => Record<string, unknown>): Row {
  const t = applicationTransitions[name];
  return {
    route: 'POST /api/applications/{id}/actions/{action}',
    variant: name,
    access: 'authenticated',
    allow: holds(t.permission),
    scope: 'path',
    scopeFirst: true,
    visible: seesApplication,
    ok: 200,
    build: async (c) => ({
      url: at('/api/applications/{id}/actions/{action}', {
        id: await application(c.w, c.loc, actionStates[name], c.fresh),
        action: name,
      }),
      payload: payload(c),
    }),
    expect: (c, o) => (o === 200 && t.guards.includes('handler') && !handler(c.role) ? 403 : o),
  };
}

/** A material scan (a PDF) uploaded by a user. */
async function materialFile(w: World, ownerId: string): Promise<string> {
  const store = createLocalFileStore(join(w.deps.config.dataDir, 'files'));
  const stored = await store.saveDocument(Buffer.from('%PDF-1.4\n%%EOF\n'), 1024);
  const [row] = await w.db
    .insert(materialFiles)
    .values({ ...stored, ownerId })
    .returning({ id: materialFiles.id });
  return (row as { id: string }).id;
}

/** The service centre: catalogue, applications, their figures. */
export const serviceRows: Row[] = [
  { route: 'GET /api/services', access: 'authenticated', ok: 200 },
  { route: 'GET /api/public/services', access: 'public', ok: 200 },
  {
    route: 'GET /api/public/services/{code}',
    access: 'public',
    ok: 200,
    build: async (c) => {
      await item(c.w);
      return { url: at('/api/public/services/{code}', { code: itemCode }) };
    },
  },
  {
    route: 'POST /api/services',
    access: 'service:manage',
    ok: 201,
    build: (c) => ({
      payload: {
        code: `MXS${c.w.next()}`,
        name: '矩阵新事项',
        category: 'certificate',
        level: 'community',
        timeLimitDays: 1,
        statutoryDays: 1,
        materials: [{ name: '居民身份证' }],
      },
    }),
  },
  {
    route: 'PATCH /api/services/{code}',
    access: 'service:manage',
    ok: 200,
    build: async (c) => {
      await item(c.w);
      return { url: at('/api/services/{code}', { code: itemCode }), payload: { fee: '免费' } };
    },
  },
  { route: 'GET /api/services/catalogue', access: 'service:manage', ok: 200 },
  {
    route: 'GET /api/services/{code}/versions',
    access: 'service:manage',
    ok: 200,
    build: async (c) => {
      await item(c.w);
      return { url: at('/api/services/{code}/versions', { code: itemCode }) };
    },
  },
  {
    route: 'POST /api/material-files',
    access: 'application:intake',
    ok: 201,
    build: (c) => upload(c.w.png, 'scan.png', 'image/png'),
  },
  {
    // Its uploader's, or seen through an application holding it.
    route: 'GET /api/material-files/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: (c) => c.where === 'in',
    ok: 200,
    build: async (c) => ({
      url: at('/api/material-files/{id}', {
        id: await materialFile(c.w, c.where === 'in' ? c.role.userId : c.w.setupUserId),
      }),
    }),
  },
  { route: 'GET /api/service-window/dwellings', access: 'application:intake', ok: 200 },
  {
    // A newcomer registered into a dwelling: one outside the window's area is a field error.
    route: 'POST /api/service-window/residents',
    access: 'application:intake',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: {
        name: '矩阵新居民',
        idNumber: c.w.idNumber(),
        housingUnitId: await c.w.housingUnit(c.loc),
        relationToHead: '其他亲属',
      },
    }),
  },
  {
    // The window takes the matter in at its own unit: nothing of the request names a place.
    route: 'POST /api/applications',
    access: 'application:intake',
    ok: 201,
    build: async (c) => {
      await item(c.w);
      return {
        payload: {
          serviceCode: itemCode,
          applicant: { idNumber: c.w.idNumber(), name: '矩阵申请人' },
          materials: itemMaterials.map((m) => ({ name: m.name, provided: true })),
          channel: 'window',
          idempotencyKey: randomUUID(),
        },
      };
    },
  },
  {
    route: 'GET /api/applications',
    access: 'application:read',
    ok: 200,
    hides: hiddenAt((o) => application(o.w, o.loc, 'accepted', false), seesApplication),
  },
  {
    route: 'GET /api/applications/{id}',
    access: 'application:read',
    scope: 'path',
    visible: seesApplication,
    ok: 200,
    build: async (c) => ({
      url: at('/api/applications/{id}', { id: await application(c.w, c.loc, 'accepted', false) }),
    }),
  },
  ...(
    [
      ['receipt', 'accepted'],
      ['notice', 'incomplete'],
    ] as const
  ).map(
    ([doc, state]): Row => ({
      route: `GET /api/applications/{id}/${doc}.pdf`,
      access: 'application:read',
      scope: 'path',
      visible: seesApplication,
      ok: 200,
      build: async (c) => ({
        url: at(`/api/applications/{id}/${doc}.pdf`, { id: await application(c.w, c.loc, state, false) }),
      }),
    }),
  ),
  action('accept', () => ({})),
  action('requireMaterial', () => ({ missing: ['户口簿'] })),
  action('decline', () => ({ reason: '不符合受理条件' })),
  action('supplement', () => ({})),
  action('approve', () => ({ result: '符合条件' })),
  action('reject', () => ({ reason: '不符合办理条件' })),
  action('transfer', (c) => ({ orgUnitId: c.loc.street.id })),
  action('requestMaterial', () => ({ missing: ['户口簿'] })),
  action('issue', () => ({})),
  action('collect', () => ({})),
  action('withdraw', () => ({})),
  ...(['certificate.pdf', 'certificate'] as const).map(
    (tail): Row => ({
      route: `GET /api/applications/{id}/${tail}`,
      access: 'application:read',
      scope: 'path',
      visible: seesApplication,
      ok: 200,
      build: async (c) => ({
        url: at(`/api/applications/{id}/${tail}`, {
          id: (await certificate(c.w, c.loc, false)).applicationId,
        }),
      }),
    }),
  ),
  {
    // The check behind the QR code: anyone, no login; the code's signature is the key.
    route: 'GET /api/public/certificates/{code}',
    access: 'public',
    ok: 200,
    build: async (c) => {
      const { number } = await certificate(c.w, c.loc, false);
      return {
        url: at('/api/public/certificates/{code}', { code: certificateCode(c.w.deps.config, number) }),
      };
    },
  },
  {
    route: 'POST /api/certificates/{id}/revoke',
    access: 'application:handle',
    scope: 'path',
    visible: seesApplication,
    ok: 200,
    build: async (c) => ({
      url: at('/api/certificates/{id}/revoke', { id: (await certificate(c.w, c.loc, c.fresh)).id }),
      payload: { reason: '矩阵作废理由' },
    }),
  },
  {
    // Rated once: every cell that records one rates an application of its own.
    route: 'POST /api/applications/{id}/rating',
    access: 'application:intake',
    scope: 'path',
    visible: seesApplication,
    ok: 201,
    build: async (c) => ({
      url: at('/api/applications/{id}/rating', { id: await application(c.w, c.loc, 'collected', c.fresh) }),
      payload: { level: 2 },
    }),
  },
  {
    route: 'GET /api/applications/{id}/rating',
    access: 'application:read',
    scope: 'path',
    visible: seesApplication,
    ok: 200,
    build: async (c) => ({
      url: at('/api/applications/{id}/rating', { id: (await badRating(c.w, c.loc, false)).applicationId }),
    }),
  },
  {
    route: 'GET /api/rectifications',
    access: 'application:read',
    ok: 200,
    hides: hiddenAt(async (o) => (await badRating(o.w, o.loc, false)).id, seesApplication),
  },
  {
    route: 'POST /api/rectifications/{id}/close',
    access: 'application:handle',
    scope: 'path',
    visible: seesApplication,
    ok: 200,
    build: async (c) => ({
      url: at('/api/rectifications/{id}/close', { id: (await badRating(c.w, c.loc, c.fresh)).id }),
      payload: { note: '矩阵整改说明' },
    }),
  },
  {
    // An area in the query outside the jurisdiction is a field error.
    route: 'GET /api/metrics/services',
    access: 'application:read',
    ok: 200,
    scope: 'input',
    build: (c) => ({ url: `/api/metrics/services?orgUnitId=${c.loc.grid.id}` }),
  },
  { route: 'GET /api/applications/todos', access: 'application:read', ok: 200 },
  {
    route: 'GET /api/metrics/services/export.xlsx',
    access: 'application:read',
    ok: 200,
    scope: 'input',
    build: (c) => ({ url: `/api/metrics/services/export.xlsx?orgUnitId=${c.loc.grid.id}` }),
  },
];
