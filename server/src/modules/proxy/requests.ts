import type {
  MyProxyRequest,
  ProxyRequestInput,
  ProxyRequestListQuery,
  ProxyRequestView,
} from '@civicgrid/core/api/proxy';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';
import { currentItem } from '../services/catalogue.js';
import { serviceItems } from '../services/tables.js';
import {
  allowedRequestActions,
  assertRequestAction,
  type ProxyRequestAction,
  proxyRequestsScope,
} from './policy.js';
import { presentMyRequest, presentRequest, type RequestNames } from './presenter.js';
import { proxyRequestEvents, proxyRequests } from './tables.js';

export interface RequestDeps {
  db: Db;
  crypto: FieldCrypto;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type RequestRow = typeof proxyRequests.$inferSelect;

/** Where his request goes: his grid on the resident file (via his binding), else the community he picks. */
async function destinationFor(db: Db, actor: Actor, orgUnitId: number | undefined) {
  const [acc] = await db.select().from(residentAccounts).where(eq(residentAccounts.userId, actor.userId));
  const onFile =
    acc?.idNumberIdx && !acc.deletedAt
      ? (
          await db
            .select({ id: residents.id, gridId: residents.gridId, orgPath: residents.orgPath })
            .from(residents)
            .where(eq(residents.idNumberIdx, acc.idNumberIdx))
        )[0]
      : undefined;
  if (onFile?.gridId) return { residentId: onFile.id, orgUnitId: onFile.gridId, orgPath: onFile.orgPath };
  if (orgUnitId === undefined) throw fieldError('orgUnitId', 'required', 'ONLINE_COMMUNITY_REQUIRED');
  const [unit] = await db
    .select({ id: orgUnits.id, path: orgUnits.path, level: orgUnits.level })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, orgUnitId), isNull(orgUnits.retiredAt)));
  if (unit?.level !== 'community') throw fieldError('orgUnitId', 'exists', 'ONLINE_COMMUNITY_UNKNOWN');
  return { residentId: onFile?.id ?? null, orgUnitId: unit.id, orgPath: unit.path };
}

async function event(
  tx: Tx,
  row: RequestRow,
  action: string,
  toState: RequestRow['status'],
  actor: Actor,
  meta: RequestMeta,
  data: Record<string, unknown> | null = null,
) {
  await tx.insert(proxyRequestEvents).values({
    requestId: row.id,
    action,
    fromState: row.status,
    toState,
    actorId: actor.userId,
    data,
  });
  await appendAudit(tx, auditActorOf(actor, meta), {
    action: 'proxyRequest.action',
    targetType: 'proxyRequest',
    targetId: row.id,
    payload: { action, from: row.status, to: toState },
  });
}

/**
 * 请网格员帮办 (POST /api/my/proxy-requests): the signed-in resident asks from an item's guide
 * that a worker of his grid carry it; his consent is recorded with the time. The same key
 * from the same resident finds the same request.
 */
export async function createProxyRequest(
  deps: RequestDeps,
  actor: Actor,
  input: ProxyRequestInput,
  meta: RequestMeta,
): Promise<MyProxyRequest> {
  const { db, crypto } = deps;
  const item = await currentItem(db, input.serviceCode);
  if (!item) throw fieldError('serviceCode', 'exists', 'SERVICE_UNKNOWN');
  const dest = await destinationFor(db, actor, input.orgUnitId);
  const now = new Date();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(proxyRequests)
      .values({
        serviceItemId: item.id,
        serviceCode: item.code,
        requesterId: actor.userId,
        residentId: dest.residentId,
        orgUnitId: dest.orgUnitId,
        orgPath: dest.orgPath,
        note: input.note,
        contactTime: input.contactTime,
        phoneEnc: input.phone ? crypto.encrypt(input.phone) : null,
        consentAt: now,
        status: 'open',
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [proxyRequests.requesterId, proxyRequests.idempotencyKey] })
      .returning();
    if (!row) return null;
    await tx.insert(proxyRequestEvents).values({
      requestId: row.id,
      action: 'create',
      fromState: null,
      toState: 'open',
      actorId: actor.userId,
      data: { consentAt: now.toISOString() },
      at: now,
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'proxyRequest.created',
      targetType: 'proxyRequest',
      targetId: row.id,
      payload: { serviceItemId: item.id, orgUnitId: dest.orgUnitId },
    });
    return row.id;
  });
  const found =
    id ??
    (
      await db
        .select({ id: proxyRequests.id })
        .from(proxyRequests)
        .where(
          and(
            eq(proxyRequests.requesterId, actor.userId),
            eq(proxyRequests.idempotencyKey, input.idempotencyKey),
          ),
        )
    )[0]?.id;
  if (!found) throw new AppError('CONFLICT');
  const row = await loadScoped(db, actor, proxyRequestsScope, found);
  return presentMyRequest(row, await namesFor(db, [row]));
}

async function namesFor(db: Db, rows: RequestRow[]): Promise<RequestNames> {
  const itemIds = [...new Set(rows.map((r) => r.serviceItemId))];
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId))];
  const userIds = [
    ...new Set(rows.flatMap((r) => (r.takenBy ? [r.takenBy, r.requesterId] : [r.requesterId]))),
  ];
  const [items, units, people] = await Promise.all([
    itemIds.length
      ? db
          .select({ id: serviceItems.id, name: serviceItems.name })
          .from(serviceItems)
          .where(inArray(serviceItems.id, itemIds))
      : [],
    unitIds.length
      ? db
          .select({ id: orgUnits.id, name: orgUnits.name })
          .from(orgUnits)
          .where(inArray(orgUnits.id, unitIds))
      : [],
    userIds.length
      ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds))
      : [],
  ]);
  return {
    item: new Map(items.map((i) => [i.id, i.name])),
    unit: new Map(units.map((u) => [u.id, u.name])),
    user: new Map(people.map((p) => [p.id, p.name])),
  };
}

/** 我的事项 › 帮办请求: his own requests, newest first. */
export async function myProxyRequests(db: Db, actor: Actor, q: { page: number; pageSize: number }) {
  const { items, total } = await listScoped(db, actor, proxyRequestsScope, {
    where: eq(proxyRequests.requesterId, actor.userId),
    orderBy: [desc(proxyRequests.createdAt), desc(proxyRequests.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await namesFor(db, items);
  return { items: items.map((r) => presentMyRequest(r, names)), total };
}

/** /m 帮办代办 › 居民请求: the requests of the actor's grid (or jurisdiction), open ones first. */
export async function listProxyRequests(deps: RequestDeps, actor: Actor, q: ProxyRequestListQuery) {
  const { items, total } = await listScoped(deps.db, actor, proxyRequestsScope, {
    where: q.status ? eq(proxyRequests.status, q.status) : undefined,
    orderBy: [desc(eq(proxyRequests.status, 'open')), desc(proxyRequests.createdAt), desc(proxyRequests.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await namesFor(deps.db, items);
  return { items: items.map((r) => viewOf(deps, actor, r, names)), total };
}

function viewOf(deps: RequestDeps, actor: Actor, r: RequestRow, names: RequestNames): ProxyRequestView {
  const phone = r.phoneEnc ? deps.crypto.decrypt(r.phoneEnc) : null;
  return presentRequest(r, names, phone, allowedRequestActions(actor, r));
}

/** take | cancel, in one transaction with its trail event and audit. */
export async function proxyRequestAction(
  deps: RequestDeps,
  actor: Actor,
  id: string,
  action: ProxyRequestAction,
  meta: RequestMeta,
): Promise<ProxyRequestView> {
  const { db } = deps;
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, proxyRequestsScope, id, { forUpdate: true });
    assertRequestAction(actor, row, action);
    const now = new Date();
    const to = action === 'take' ? 'taken' : 'cancelled';
    await tx
      .update(proxyRequests)
      .set(
        action === 'take'
          ? { status: to, takenBy: actor.userId, takenAt: now, updatedAt: now }
          : { status: to, closedAt: now, updatedAt: now },
      )
      .where(eq(proxyRequests.id, id));
    await event(tx, row, action, to, actor, meta);
  });
  const row = await loadScoped(db, actor, proxyRequestsScope, id);
  return viewOf(deps, actor, row, await namesFor(db, [row]));
}

/**
 * When the taker starts the proxy application for the resident of a request he took, for the
 * same item, the request links to it and closes (done). Runs inside the intake's transaction
 * (a failure here leaves no application either); a request already linked is left as it is.
 */
export async function linkTakenRequest(
  tx: Db,
  actor: Actor,
  residentId: string,
  serviceCode: string,
  applicationId: string,
  meta: RequestMeta,
) {
  const rows = await tx
    .select()
    .from(proxyRequests)
    .where(
      and(
        eq(proxyRequests.takenBy, actor.userId),
        eq(proxyRequests.residentId, residentId),
        eq(proxyRequests.serviceCode, serviceCode),
        eq(proxyRequests.status, 'taken'),
      ),
    )
    .orderBy(proxyRequests.takenAt)
    .limit(1)
    .for('update');
  const row = rows[0];
  if (!row) return;
  const now = new Date();
  await tx
    .update(proxyRequests)
    .set({ status: 'done', applicationId, closedAt: now, updatedAt: now })
    .where(eq(proxyRequests.id, row.id));
  await event(tx as Tx, row, 'link', 'done', actor, meta, { applicationId });
}
