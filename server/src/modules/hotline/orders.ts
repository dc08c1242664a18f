import type { HotlineOrder } from '@civicgrid/core/api/integrations';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import type { CaseDeps } from '../cases/actions/apply.js';
import { reportCase } from '../cases/report.js';
import { tightenAcceptDeadline } from '../cases/service.js';
import { cases } from '../cases/tables.js';
import { hotlineCategoryMappings, hotlineOrders } from './tables.js';

/** The 12345 centre as the case trail shows it; its id keys its orders' idempotency. */
export const hotlineActorId = '00000000-0000-4000-8000-000000012345';
const hotlineActor: Actor = {
  userId: hotlineActorId,
  username: 'hotline:12345',
  displayName: '12345热线',
  roles: [],
  // case:read marks the reporter as staff-side for reportCase: the caller's name and phone come
  // from the order, and the case is tied to no resident account.
  permissions: new Set(['case:read']),
  orgUnitId: null,
  orgUnitName: null,
  orgLevel: null,
  orgPath: null,
  departmentId: null,
  departmentName: null,
  global: false,
  via: 'token',
  sessionId: null,
  csrfToken: null,
  display: false,
  readOnly: false,
  restricted: null,
  totpEnabled: false,
  totpRequired: false,
};

const hourMs = 3_600_000;

async function existing(db: Db, orderNo: string) {
  const [row] = await db
    .select({ caseId: hotlineOrders.caseId, code: cases.code })
    .from(hotlineOrders)
    .innerJoin(cases, eq(cases.id, hotlineOrders.caseId))
    .where(eq(hotlineOrders.orderNo, orderNo));
  return row;
}

/**
 * A signed work order from the 12345 centre becomes a case on the hotline channel. The same
 * order number again — a retry, a replay, or the same order twice at once — finds the same
 * case: the case's own idempotency key (the order number, on this channel, from the hotline)
 * and the order table's primary key are unique constraints, not checks before an insert.
 */
export async function receiveOrder(
  deps: CaseDeps,
  order: HotlineOrder,
  meta: RequestMeta,
): Promise<{ caseId: string; code: string; created: boolean }> {
  const { db } = deps;
  const before = await existing(db, order.orderNo);
  if (before) {
    await db.transaction((tx) => audit(tx, meta, order.orderNo, before.code, false));
    return { ...before, created: false };
  }
  const [mapping] = await db
    .select()
    .from(hotlineCategoryMappings)
    .where(eq(hotlineCategoryMappings.hotlineCategory, order.category));
  if (!mapping)
    throw fieldError('category', 'mapped', 'HOTLINE_CATEGORY_UNMAPPED', { category: order.category });
  const receivedAt = new Date(order.receivedAt);
  const phone = order.caller?.phone;
  const name = order.caller?.name;
  const { row, created } = await reportCase(
    deps,
    hotlineActor,
    {
      description: order.content,
      categoryCode: mapping.categoryCode,
      channel: 'hotline_12345',
      ...(order.location ? { location: order.location } : {}),
      ...(order.address ? { address: order.address } : {}),
      ...(name || phone ? { reporter: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
      idempotencyKey: `hotline:${order.orderNo}`,
    },
    meta,
  );
  await db.transaction(async (tx) => {
    await tx
      .insert(hotlineOrders)
      .values({
        orderNo: order.orderNo,
        caseId: row.id,
        hotlineCategory: order.category,
        receivedAt,
        replyDueAt: mapping.replyHours ? new Date(receivedAt.getTime() + mapping.replyHours * hourMs) : null,
      })
      .onConflictDoNothing();
    // The hotline's own acceptance limit (natural hours from the call) when it is shorter
    // than the category's: 12345 assesses the street on its own clock. Written with the
    // order, before anyone can have acted on the new case.
    if (created && mapping.acceptHours)
      await tightenAcceptDeadline(tx, row.id, receivedAt, mapping.acceptHours);
    await audit(tx, meta, order.orderNo, row.code, created);
  });
  return { caseId: row.id, code: row.code, created };
}

function audit(db: Db, meta: RequestMeta, orderNo: string, caseCode: string, created: boolean) {
  return appendAudit(
    db,
    { userId: null, username: hotlineActor.username, ...meta },
    {
      action: 'hotline.orderReceived',
      targetType: 'hotlineOrder',
      targetId: orderNo,
      payload: { orderNo, caseCode, created },
    },
  );
}
