import { type Rating, ratingNames } from '@civicgrid/core/api/cases';
import type { HotlineCallback } from '@civicgrid/core/api/integrations';
import { and, asc, count, desc, eq, inArray, isNull, lte, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/jobs/runner.js';
import { caseEvents, cases } from '../cases/tables.js';
import { signedHeaders } from './signature.js';
import { hotlineCallbacks, hotlineOrders } from './tables.js';

type Kind = (typeof hotlineCallbacks.$inferInsert)['kind'];
type Row = typeof hotlineCallbacks.$inferSelect;

/** The case actions the 12345 centre is told about, and as what. */
const kindOf: Record<string, Kind> = {
  accept: 'accepted',
  dispatch: 'dispatched',
  resolve: 'resolved',
  selfResolve: 'resolved',
  followUp: 'closed',
  close: 'closed',
  reject: 'closed',
  cancel: 'closed',
};

/** Retried for a day after it was queued (or resent), then dead-lettered. */
const retryWindowMs = 24 * 3_600_000;
/** 30 s, 1 min, 2 min … doubling, at most an hour apart: about twenty tries in the day. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Queues a callback for every told-about event of an order not yet finished. Read from the
 * case trail rather than hooked into the case actions: an action never waits on the bridge,
 * and an event missed while the server was down is queued at the next turn. `eventId` is
 * unique, so two collectors at once queue each event once.
 */
export async function collectCallbacks(db: Db, now: Date): Promise<number> {
  const events = await db
    .select({
      orderNo: hotlineOrders.orderNo,
      caseId: cases.id,
      caseCode: cases.code,
      rating: cases.rating,
      ratingComment: cases.ratingComment,
      eventId: caseEvents.id,
      action: caseEvents.action,
      note: caseEvents.note,
      at: caseEvents.at,
    })
    .from(hotlineOrders)
    .innerJoin(cases, eq(cases.id, hotlineOrders.caseId))
    .innerJoin(caseEvents, eq(caseEvents.caseId, hotlineOrders.caseId))
    .where(
      and(
        isNull(hotlineOrders.finishedAt),
        inArray(caseEvents.action, Object.keys(kindOf)),
        notExists(
          db
            .select({ one: sql`1` })
            .from(hotlineCallbacks)
            .where(eq(hotlineCallbacks.eventId, caseEvents.id)),
        ),
      ),
    )
    .orderBy(asc(caseEvents.id))
    .limit(500);
  let queued = 0;
  for (const e of events) {
    const kind = kindOf[e.action] as Kind;
    const payload: Record<string, unknown> = {
      orderNo: e.orderNo,
      caseCode: e.caseCode,
      status: kind,
      occurredAt: e.at.toISOString(),
      sequence: e.eventId,
    };
    if (kind === 'resolved') payload.result = e.note;
    if (kind === 'closed') {
      payload.outcome = e.action === 'reject' ? 'rejected' : e.action === 'cancel' ? 'cancelled' : 'done';
      payload.result =
        e.action === 'reject' || e.action === 'cancel' ? e.note : await lastResult(db, e.caseId);
      payload.rating = e.rating
        ? { level: e.rating, name: ratingNames[e.rating as Rating] ?? e.rating, comment: e.ratingComment }
        : null;
    }
    await db.transaction(async (tx) => {
      const made = await tx
        .insert(hotlineCallbacks)
        .values({
          orderNo: e.orderNo,
          eventId: e.eventId,
          kind,
          payload,
          nextAttemptAt: now,
          giveUpAt: new Date(now.getTime() + retryWindowMs),
        })
        .onConflictDoNothing()
        .returning({ id: hotlineCallbacks.id });
      queued += made.length;
      if (kind === 'closed')
        await tx.update(hotlineOrders).set({ finishedAt: now }).where(eq(hotlineOrders.orderNo, e.orderNo));
    });
  }
  return queued;
}

/** The handler's result of the last resolution (the note of its resolve), told at closing. */
async function lastResult(db: Db, caseId: string): Promise<string | null> {
  const [r] = await db
    .select({ note: caseEvents.note })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, ['resolve', 'selfResolve'])))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return r?.note ?? null;
}

export interface Delivery {
  url: string;
  secret: string;
  /** Waits at most this long for the centre's answer. */
  timeoutMs?: number;
}

/** One try: 2xx is delivered; anything else, or no answer, is a failure (its status or kind only). */
async function post(d: Delivery, payload: unknown): Promise<string | null> {
  const body = JSON.stringify(payload);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: signedHeaders(d.secret, body),
      body,
      signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
      redirect: 'error',
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    return (e as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
}

/** Sends the callbacks now due; a failure waits its backoff, and past its window it is dead-lettered. */
export async function deliverDue(db: Db, d: Delivery, now: Date) {
  const due = await db
    .select()
    .from(hotlineCallbacks)
    .where(and(eq(hotlineCallbacks.status, 'pending'), lte(hotlineCallbacks.nextAttemptAt, now)))
    .orderBy(asc(hotlineCallbacks.id))
    .limit(100);
  const counts = { delivered: 0, failed: 0, dead: 0 };
  for (const c of due) {
    const error = await post(d, c.payload);
    const attempts = c.attempts + 1;
    if (error === null) {
      await db
        .update(hotlineCallbacks)
        .set({ status: 'delivered', attempts, deliveredAt: new Date(), lastError: null })
        .where(eq(hotlineCallbacks.id, c.id));
      counts.delivered += 1;
      continue;
    }
    const next = new Date(now.getTime() + backoffMs(attempts));
    const dead = next > c.giveUpAt;
    await db
      .update(hotlineCallbacks)
      .set({ attempts, lastError: error, nextAttemptAt: next, status: dead ? 'dead' : 'pending' })
      .where(eq(hotlineCallbacks.id, c.id));
    if (dead) counts.dead += 1;
    else counts.failed += 1;
  }
  return counts;
}

/**
 * The callback job: queue what happened, send what is due. `now` may be given (a test drives
 * the runner through a day of retries without waiting for it).
 */
export function hotlineCallbackJob(db: Db, delivery: Delivery | null | (() => Promise<Delivery | null>)) {
  return defineJob({
    name: 'hotline-callbacks',
    schedule: { everyMs: 30_000 },
    startDelayMs: 20_000,
    payload: z.object({ now: z.coerce.date().optional() }).optional(),
    async run(p) {
      // The address and secret in force now (the console's settings over the environment's).
      const d = typeof delivery === 'function' ? await delivery() : delivery;
      // Without a callback address nothing is queued: a later address does not get a backlog.
      if (!d) return { queued: 0, delivered: 0, failed: 0, dead: 0 };
      const now = p?.now ?? new Date();
      const queued = await collectCallbacks(db, now);
      return { queued, ...(await deliverDue(db, d, now)) };
    },
  });
}

function present(r: Row): HotlineCallback {
  return {
    id: r.id,
    orderNo: r.orderNo,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    giveUpAt: r.giveUpAt.toISOString(),
    lastError: r.lastError,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listCallbacks(db: Db, q: { status: Row['status']; page: number; pageSize: number }) {
  const where = eq(hotlineCallbacks.status, q.status);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(hotlineCallbacks)
      .where(where)
      .orderBy(desc(hotlineCallbacks.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(hotlineCallbacks).where(where),
  ]);
  return { items: rows.map(present), total: Number(total?.n ?? 0) };
}

/** A dead letter sent again: due at once, with a fresh day of retries. */
export async function resendCallback(db: Db, actor: Actor, id: number, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(hotlineCallbacks).where(eq(hotlineCallbacks.id, id)).for('update');
    if (!row) throw new AppError('HOTLINE_CALLBACK_UNKNOWN');
    if (row.status !== 'dead') throw new AppError('HOTLINE_CALLBACK_NOT_DEAD');
    const now = new Date();
    const [updated] = await tx
      .update(hotlineCallbacks)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        giveUpAt: new Date(now.getTime() + retryWindowMs),
      })
      .where(eq(hotlineCallbacks.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'hotline.callbackResent',
      targetType: 'hotlineCallback',
      targetId: id,
      payload: { orderNo: row.orderNo, kind: row.kind },
    });
    return present(updated ?? row);
  });
}
