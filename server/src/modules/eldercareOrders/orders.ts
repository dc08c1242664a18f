import type {
  Order,
  OrderAction,
  OrderInput,
  OrderQuery,
  OrderState,
  SubsidyCareLevel,
} from '@civicgrid/core/api/eldercareOrders';
import {
  ageOnDay,
  nextOrderState,
  orderActionBodies,
  splitSubsidy,
} from '@civicgrid/core/api/eldercareOrders';
import { distanceM } from '@civicgrid/core/geo';
import { and, asc, desc, eq, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { files } from '../cases/tables.js';
import { devices, elderProfiles } from '../eldercare/tables.js';
import { orgUnits } from '../org/tables.js';
import { buildings, households, housingUnits } from '../places/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { allowedOrderActions, isProviderStaff, ordersScope, refusal } from './policy.js';
import { type OrderNames, presentOrder, presentOrderSummary } from './presenter.js';
import {
  elderOrderEvents,
  elderOrders,
  elderServices,
  providerAreas,
  providerServices,
  providerStaff,
  providers,
} from './tables.js';

export interface OrderDeps {
  db: Db;
  crypto: FieldCrypto;
  config: { ELDER_ORDER_ARRIVE_MAX_M: number };
}
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type OrderRow = typeof elderOrders.$inferSelect;

/** China's calendar day of an instant (the elders' ages and order numbers count in it). */
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The provider whose staff the actor is; null for everyone else. */
export async function staffProviderOf(db: Db, actor: Actor): Promise<number | null> {
  if (!isProviderStaff(actor)) return null;
  const [row] = await db
    .select({ id: providerStaff.providerId })
    .from(providerStaff)
    .where(eq(providerStaff.userId, actor.userId));
  return row?.id ?? null;
}

export async function orderNames(db: Db, rows: OrderRow[]): Promise<OrderNames> {
  const residentIds = [...new Set(rows.map((r) => r.residentId))];
  const gridIds = [...new Set(rows.map((r) => r.gridId))];
  const providerIds = [...new Set(rows.flatMap((r) => (r.providerId === null ? [] : [r.providerId])))];
  const [people, grids, provs, services] = await Promise.all([
    residentIds.length
      ? db
          .select({
            id: residents.id,
            name: residents.name,
            birthDate: residents.birthDate,
            birthplaceCode: residents.birthplaceCode,
            idNumberTail: residents.idNumberTail,
          })
          .from(residents)
          .where(inArray(residents.id, residentIds))
      : [],
    gridIds.length
      ? db
          .select({
            id: orgUnits.id,
            name: orgUnits.name,
            parent: sql<string | null>`(select name from org_units p where p.id = ${orgUnits.parentId})`,
          })
          .from(orgUnits)
          .where(inArray(orgUnits.id, gridIds))
      : [],
    providerIds.length
      ? db
          .select({ id: providers.id, name: providers.name })
          .from(providers)
          .where(inArray(providers.id, providerIds))
      : [],
    db.select({ code: elderServices.code, name: elderServices.name }).from(elderServices),
  ]);
  return {
    elders: new Map(people.map((p) => [p.id, p])),
    areas: new Map(
      grids.map((g) => [g.id, g.name.startsWith(g.parent ?? '\0') ? g.name : `${g.parent ?? ''}${g.name}`]),
    ),
    providers: new Map(provs.map((p) => [p.id, p.name])),
    services: new Map(services.map((s) => [s.code, s.name])),
  };
}

/**
 * Where the elder lives, for the arrival check and the dispatch distance: the building of the
 * household's dwelling, else the centre of the wearable's safe area, else the grid's centre.
 */
export async function homeOf(db: Db, resident: typeof residents.$inferSelect) {
  if (resident.householdId !== null) {
    const [b] = await db
      .select({
        lat: buildings.lat,
        lng: buildings.lng,
        address: buildings.address,
        unitNo: housingUnits.unitNo,
        room: housingUnits.room,
      })
      .from(households)
      .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
      .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
      .where(eq(households.id, resident.householdId));
    if (b) return { lat: b.lat, lng: b.lng, address: `${b.address}${b.unitNo}单元${b.room}` };
  }
  const [d] = await db
    .select({ area: devices.safeArea })
    .from(devices)
    .where(and(eq(devices.residentId, resident.id), isNull(devices.retiredAt)))
    .limit(1);
  if (d?.area && 'center' in d.area) return { ...d.area.center, address: '' };
  const [g] = await db
    .select({ name: orgUnits.name, geometry: orgUnits.geometry })
    .from(orgUnits)
    .where(eq(orgUnits.id, resident.gridId));
  const ring = (g?.geometry as { type?: string; coordinates?: [number, number][][] } | null)
    ?.coordinates?.[0];
  if (ring?.length) {
    const lngs = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    return {
      lat: (Math.min(...lats) + Math.max(...lats)) / 2,
      lng: (Math.min(...lngs) + Math.max(...lngs)) / 2,
      address: g?.name ?? '',
    };
  }
  return { lat: null, lng: null, address: g?.name ?? '' };
}

async function trail(
  tx: Tx,
  row: OrderRow,
  action: OrderAction | 'create',
  to: OrderState,
  actor: Actor,
  meta: RequestMeta,
  data: Record<string, unknown> | null = null,
) {
  await tx.insert(elderOrderEvents).values({
    orderId: row.id,
    action,
    fromState: action === 'create' ? null : row.status,
    toState: to,
    actorId: actor.userId,
    data,
  });
  if (action === 'create')
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'eldercareOrder.created',
      targetType: 'eldercareOrder',
      targetId: row.id,
      payload: { serviceCode: row.serviceCode },
    });
  else
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'eldercareOrder.action',
      targetType: 'eldercareOrder',
      targetId: row.id,
      payload: {
        action,
        from: row.status,
        to,
        ...(typeof data?.providerId === 'number' ? { providerId: data.providerId } : {}),
      },
    });
}

/** 受理来电 (POST /api/eldercare/orders): the operator writes the call down as an order. */
export async function createOrder(
  deps: OrderDeps,
  actor: Actor,
  input: OrderInput,
  meta: RequestMeta,
): Promise<Order> {
  const { db, crypto } = deps;
  const [resident] = await db
    .select()
    .from(residents)
    .where(and(eq(residents.id, input.residentId), residentScope.where(actor)));
  if (!resident) throw fieldError('residentId', 'inJurisdiction', 'ELDER_NOT_IN_JURISDICTION');
  const requestedAt = new Date(input.requestedAt);
  if (ageOnDay(resident.birthDate, chinaDay(requestedAt)) < 60)
    throw fieldError('residentId', 'elder', 'ELDER_ORDER_NOT_ELDER');
  const [service] = await db.select().from(elderServices).where(eq(elderServices.code, input.serviceCode));
  if (!service) throw fieldError('serviceCode', 'exists', 'ELDER_ORDER_SERVICE_UNKNOWN');
  const [profile] = await db
    .select({ careLevel: elderProfiles.careLevel })
    .from(elderProfiles)
    .where(eq(elderProfiles.residentId, resident.id));
  const home = await homeOf(db, resident);
  const now = new Date();
  const no = `${chinaDay(now).replaceAll('-', '')}${Math.floor(Math.random() * 36 ** 5)
    .toString(36)
    .padStart(5, '0')
    .toUpperCase()}`;
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(elderOrders)
      .values({
        no,
        residentId: resident.id,
        gridId: resident.gridId,
        orgPath: resident.orgPath,
        serviceCode: service.code,
        kind: service.kind,
        requestedAt,
        note: input.note || null,
        callerName: input.callerName || null,
        callerPhoneEnc: input.callerPhone ? crypto.encrypt(input.callerPhone) : null,
        callerPhoneTail: input.callerPhone ? input.callerPhone.slice(-4) : null,
        callerRelation: input.callerRelation || null,
        address: home.address,
        homeLat: home.lat,
        homeLng: home.lng,
        careLevel: profile?.careLevel ?? 'selfCare',
        createdBy: actor.userId,
      })
      .returning();
    const created = row as OrderRow;
    await trail(tx, created, 'create', 'pending', actor, meta);
    return created.id;
  });
  return orderDetail(deps, actor, id);
}

export async function listOrders(deps: OrderDeps, actor: Actor, q: OrderQuery) {
  const { db } = deps;
  const providerId = await staffProviderOf(db, actor);
  const conds: (SQL | undefined)[] = [];
  if (q.status) conds.push(eq(elderOrders.status, q.status));
  else if (q.open === 'true') conds.push(inArray(elderOrders.status, ['dispatched', 'accepted', 'arrived']));
  if (q.kind) conds.push(eq(elderOrders.kind, q.kind));
  if (q.providerId !== undefined) conds.push(eq(elderOrders.providerId, q.providerId));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      sql`(${ilike(elderOrders.no, like)} or ${elderOrders.residentId} in (select id from residents where name like ${like}))`,
    );
  }
  const page = await listScoped(db, actor, ordersScope(actor, providerId), {
    where: and(...conds),
    orderBy: [desc(elderOrders.createdAt), desc(elderOrders.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await orderNames(db, page.items);
  return { items: page.items.map((r) => presentOrderSummary(r, names)), total: page.total };
}

export async function orderDetail(deps: OrderDeps, actor: Actor, id: string): Promise<Order> {
  const { db, crypto } = deps;
  const providerId = await staffProviderOf(db, actor);
  const row = await loadScoped(db, actor, ordersScope(actor, providerId), id);
  const [names, events] = await Promise.all([
    orderNames(db, [row]),
    db
      .select({ e: elderOrderEvents, actorName: users.displayName })
      .from(elderOrderEvents)
      .leftJoin(users, eq(users.id, elderOrderEvents.actorId))
      .where(eq(elderOrderEvents.orderId, id))
      .orderBy(asc(elderOrderEvents.id)),
  ]);
  return presentOrder(
    row,
    names,
    crypto,
    events.map((e) => ({ ...e.e, actorName: e.actorName })),
    allowedOrderActions(actor, row, providerId),
  );
}

/** The caller's number in full, for the operator's call back: audited. */
export async function revealCaller(deps: OrderDeps, actor: Actor, id: string, meta: RequestMeta) {
  const { db, crypto } = deps;
  // pii:reveal alone (a command centre) does not open the hotline's callers.
  if (!actor.permissions.has('eldercareOrder:dispatch')) throw new AppError('FORBIDDEN');
  const row = await loadScoped(db, actor, ordersScope(actor, null), id);
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'eldercareOrder.callerRevealed',
      targetType: 'eldercareOrder',
      targetId: id,
      payload: {},
    }),
  );
  return { callerPhone: row.callerPhoneEnc ? crypto.decrypt(row.callerPhoneEnc) : null };
}

/** Active providers serving the order's area and offering its service (the dispatch rule). */
function qualified(row: Pick<OrderRow, 'orgPath' | 'serviceCode'>): SQL {
  return and(
    eq(providers.active, true),
    sql`exists (select 1 from ${providerAreas} where ${providerAreas.providerId} = ${providers.id} and ${row.orgPath} like ${providerAreas.orgPath} || '%')`,
    sql`exists (select 1 from ${providerServices} where ${providerServices.providerId} = ${providers.id} and ${providerServices.serviceCode} = ${row.serviceCode})`,
  ) as SQL;
}

/** Qualified providers, nearest first, then by rating (the operator picks; dispatch checks again). */
export async function suggestProviders(deps: OrderDeps, actor: Actor, id: string) {
  const { db } = deps;
  const row = await loadScoped(db, actor, ordersScope(actor, null), id);
  const rows = await db.select().from(providers).where(qualified(row));
  const home = row.homeLat !== null && row.homeLng !== null ? { lat: row.homeLat, lng: row.homeLng } : null;
  const items = rows.map((p) => ({
    id: p.id,
    name: p.name,
    phone: p.phone,
    distanceM: home ? Math.round(distanceM(home, { lat: p.lat, lng: p.lng })) : null,
    rating: p.ratingCount > 0 ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null,
  }));
  // Nearest first; within a kilometre of each other, the better rated first.
  items.sort((a, b) => {
    const da = Math.floor((a.distanceM ?? 1e9) / 1000);
    const db_ = Math.floor((b.distanceM ?? 1e9) / 1000);
    if (da !== db_) return da - db_;
    return (b.rating ?? 0) - (a.rating ?? 0) || (a.distanceM ?? 0) - (b.distanceM ?? 0);
  });
  return { items };
}

type ActionResult = { set: Partial<typeof elderOrders.$inferInsert>; data?: Record<string, unknown> };
type ActionFn = (deps: OrderDeps, tx: Tx, actor: Actor, row: OrderRow, body: never) => Promise<ActionResult>;

/** One business action each: given the locked row and its checked body, what changes. */
const actions = {
  async dispatch(_deps, tx, _actor, row, body: { providerId: number }) {
    const [p] = await tx
      .select({ id: providers.id })
      .from(providers)
      .where(and(eq(providers.id, body.providerId), qualified(row)));
    if (!p) throw fieldError('providerId', 'qualified', 'ELDER_ORDER_PROVIDER_UNQUALIFIED');
    return { set: { providerId: p.id, dispatchedAt: new Date() }, data: { providerId: p.id } };
  },
  async accept() {
    return { set: { acceptedAt: new Date() } };
  },
  async arrive(deps, _tx, _actor, row, body: { location: { lat: number; lng: number } }) {
    if (row.homeLat !== null && row.homeLng !== null) {
      const d = Math.round(distanceM({ lat: row.homeLat, lng: row.homeLng }, body.location));
      const max = deps.config.ELDER_ORDER_ARRIVE_MAX_M;
      if (d > max) {
        const err = fieldError('location', 'nearAddress', 'ELDER_ORDER_TOO_FAR', { distance: d, max });
        throw err;
      }
      return {
        set: { arrivedAt: new Date(), arriveLat: body.location.lat, arriveLng: body.location.lng },
        data: { distanceM: d },
      };
    }
    return { set: { arrivedAt: new Date(), arriveLat: body.location.lat, arriveLng: body.location.lng } };
  },
  async finish(_deps, tx, actor, row, body: { note: string; fileIds?: string[] }) {
    const ids = [...new Set(body.fileIds ?? [])];
    if (ids.length) {
      const own = await tx
        .select({ id: files.id })
        .from(files)
        .where(and(inArray(files.id, ids), eq(files.ownerId, actor.userId)));
      const ownIds = new Set(own.map((f) => f.id));
      const missing = ids.findIndex((f) => !ownIds.has(f));
      if (missing >= 0) throw fieldError(`fileIds.${missing}`, 'exists', 'ELDER_ORDER_FILE_UNKNOWN');
    }
    const [service] = await tx.select().from(elderServices).where(eq(elderServices.code, row.serviceCode));
    const [elder] = await tx
      .select({ birthDate: residents.birthDate })
      .from(residents)
      .where(eq(residents.id, row.residentId));
    const now = new Date();
    const split = splitSubsidy(service?.subsidyRule ?? null, service?.priceFen ?? 0, {
      age: elder ? ageOnDay(elder.birthDate, chinaDay(now)) : 60,
      careLevel: row.careLevel as SubsidyCareLevel,
    });
    return {
      set: {
        finishedAt: now,
        finishNote: body.note,
        fileIds: ids,
        amountFen: split.amount,
        subsidyFen: split.subsidy,
        selfPaidFen: split.selfPaid,
      },
      data: { files: ids.length },
    };
  },
  async rate(_deps, tx, _actor, row, body: { rating: number; comment?: string }) {
    if (row.providerId !== null)
      await tx
        .update(providers)
        .set({
          ratingSum: sql`${providers.ratingSum} + ${body.rating}`,
          ratingCount: sql`${providers.ratingCount} + 1`,
        })
        .where(eq(providers.id, row.providerId));
    return {
      set: { rating: body.rating, ratedAt: new Date() },
      data: { rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) },
    };
  },
  async followUp(_deps, _tx, _actor, _row, body: { note: string }) {
    const now = new Date();
    return { set: { followUpAt: now, followUpNote: body.note, closedAt: now }, data: { note: body.note } };
  },
  async cancel(_deps, _tx, _actor, _row, body: { reason: string }) {
    return { set: { closedAt: new Date() }, data: { reason: body.reason } };
  },
} satisfies Record<OrderAction, ActionFn>;

/**
 * `POST /api/eldercare/orders/{id}/actions/{action}`: the row is locked, the refusal decided
 * in order (404 unseen, 403 who, 409 when), the action applied, the trail and audit written —
 * one transaction. Two providers' staff accepting at once: the second waits for the lock and
 * finds the order accepted (409).
 */
export async function orderAction(
  deps: OrderDeps,
  actor: Actor,
  id: string,
  action: OrderAction,
  body: unknown,
  meta: RequestMeta,
): Promise<Order> {
  const { db } = deps;
  const parsed = orderActionBodies[action].safeParse(body ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  const providerId = await staffProviderOf(db, actor);
  const scope = ordersScope(actor, providerId);
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx as unknown as Db, actor, scope, id, { forUpdate: true });
    const refused = refusal(actor, row, action, providerId);
    if (refused) throw refused;
    const to = nextOrderState(action, row.status as OrderState);
    if (!to) throw new AppError('ELDER_ORDER_INVALID_STATE');
    const fn = actions[action] as (
      d: OrderDeps,
      t: Tx,
      a: Actor,
      r: OrderRow,
      b: unknown,
    ) => Promise<ActionResult>;
    const out = await fn(deps, tx, actor, row, parsed.data);
    await tx
      .update(elderOrders)
      .set({ ...out.set, status: to, updatedAt: new Date() })
      .where(eq(elderOrders.id, id));
    await trail(tx, row, action, to, actor, meta, out.data ?? null);
  });
  return orderDetail(deps, actor, id);
}

/** Whether a photo belongs to an order the viewer may see (the provider's finish photo). */
export async function orderFileVisible(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  if (!actor.permissions.has('eldercareOrder:read')) return false;
  const providerId = await staffProviderOf(db, actor);
  const [hit] = await db
    .select({ id: elderOrders.id })
    .from(elderOrders)
    .where(
      and(
        sql`${elderOrders.fileIds} @> ${JSON.stringify([fileId])}::jsonb`,
        ordersScope(actor, providerId).where(actor),
      ),
    )
    .limit(1);
  return !!hit;
}
