import type { commentHideInput, commentInput } from '@civicgrid/core/api/deliberationPublic';
import type { CommentHideReason } from '@civicgrid/core/participation/councils';
import { publicWishTitle } from '@civicgrid/core/participation/wishes';
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { deliberationComments, deliberationSuggestions } from './deliberationPublicTables.js';
import { deliberationsScope } from './policy.js';
import { deliberationEvents, deliberations } from './tables.js';

/**
 * 居民群众全程监督: a deliberation is on the public page from its proposal on, through every
 * step; a rejected one only once the committee publishes the outcome.
 */
const isPublic: SQL = ne(deliberations.status, 'rejected');

/** Texts the committee writes for the residents leave with long digit runs masked. */
const text = (s: string | null) => (s === null ? null : publicWishTitle(s));

async function counts(db: Db, ids: string[]) {
  if (!ids.length) return { comments: new Map<string, number>(), supports: new Map<string, number>() };
  const [c, s] = await Promise.all([
    db
      .select({ id: deliberationComments.deliberationId, n: count() })
      .from(deliberationComments)
      .where(and(inArray(deliberationComments.deliberationId, ids), isNull(deliberationComments.hiddenAt)))
      .groupBy(deliberationComments.deliberationId),
    db
      .select({ id: deliberationSuggestions.deliberationId, n: deliberationSuggestions.supportCount })
      .from(deliberationSuggestions)
      .where(inArray(deliberationSuggestions.deliberationId, ids)),
  ]);
  return {
    comments: new Map(c.map((r) => [r.id, Number(r.n)])),
    supports: new Map(s.map((r) => [r.id as string, r.n])),
  };
}

type D = typeof deliberations.$inferSelect;

function presentPublic(d: D, unit: { name: string; level: string }, c: Awaited<ReturnType<typeof counts>>) {
  const supports = c.supports.get(d.id);
  return {
    id: d.id,
    title: publicWishTitle(d.title),
    proposal: publicWishTitle(d.proposal),
    status: d.status,
    orgUnitName: unit.name,
    level: unit.level === 'street' ? ('street' as const) : ('community' as const),
    meeting:
      d.meetingAt && d.representatives !== null && d.attendees !== null
        ? {
            at: d.meetingAt.toISOString(),
            place: text(d.meetingPlace),
            representatives: d.representatives,
            attendees: d.attendees,
          }
        : null,
    vote:
      d.votesFor !== null
        ? { for: d.votesFor, against: d.votesAgainst ?? 0, abstain: d.votesAbstain ?? 0 }
        : null,
    decision: text(d.decision),
    implementation: text(d.implementation),
    review: d.reviewPassed !== null ? { passed: d.reviewPassed, note: text(d.reviewNote) ?? '' } : null,
    publishedAt: d.publishedAt?.toISOString() ?? null,
    suggestion: supports === undefined ? null : { supportCount: supports },
    comments: c.comments.get(d.id) ?? 0,
  };
}

/** The deliberations on the public page, latest step first (GET /api/public/open-deliberations). */
export async function publicOpenDeliberations(
  db: Db,
  q: { page: number; pageSize: number; orgUnitId?: number | undefined },
) {
  const where = and(
    isPublic,
    q.orgUnitId !== undefined ? eq(deliberations.orgUnitId, q.orgUnitId) : undefined,
  );
  const [rows, [t]] = await Promise.all([
    db
      .select({ d: deliberations, name: orgUnits.name, level: orgUnits.level })
      .from(deliberations)
      .innerJoin(orgUnits, eq(orgUnits.id, deliberations.orgUnitId))
      .where(where)
      .orderBy(desc(deliberations.updatedAt), desc(deliberations.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(deliberations).where(where),
  ]);
  const c = await counts(
    db,
    rows.map((r) => r.d.id),
  );
  return { items: rows.map((r) => presentPublic(r.d, r, c)), total: Number(t?.n ?? 0) };
}

async function loadPublic(db: Db, id: string) {
  const [row] = await db
    .select({ d: deliberations, name: orgUnits.name, level: orgUnits.level })
    .from(deliberations)
    .innerJoin(orgUnits, eq(orgUnits.id, deliberations.orgUnitId))
    .where(and(eq(deliberations.id, id), isPublic));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/**
 * One deliberation's public page (GET /api/public/deliberations/{id}): each step with its date,
 * the counts and the committee's texts. Nothing of the trail but the step and when: no actor,
 * no note (a meeting's notes are internal).
 */
export async function publicDeliberationPage(db: Db, id: string) {
  const row = await loadPublic(db, id);
  const [steps, c] = await Promise.all([
    db
      .select({
        step: deliberationEvents.action,
        toState: deliberationEvents.toState,
        at: deliberationEvents.at,
      })
      .from(deliberationEvents)
      .where(eq(deliberationEvents.deliberationId, id))
      .orderBy(asc(deliberationEvents.at), asc(deliberationEvents.id)),
    counts(db, [id]),
  ]);
  return {
    ...presentPublic(row.d, row, c),
    steps: steps.map((s) => ({ step: s.step, toState: s.toState, at: s.at.toISOString() })),
  };
}

/** Its visible comments, oldest first, without their authors. */
export async function publicComments(db: Db, id: string, q: { page: number; pageSize: number }) {
  await loadPublic(db, id);
  const where = and(eq(deliberationComments.deliberationId, id), isNull(deliberationComments.hiddenAt));
  const [rows, [t]] = await Promise.all([
    db
      .select()
      .from(deliberationComments)
      .where(where)
      .orderBy(asc(deliberationComments.createdAt), asc(deliberationComments.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(deliberationComments).where(where),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, body: publicWishTitle(r.body), at: r.createdAt.toISOString() })),
    total: Number(t?.n ?? 0),
  };
}

/** A signed-in resident comments on a public deliberation (404 when it is not public); a retry finds it. */
export async function postComment(db: Db, actor: Actor, id: string, input: z.infer<typeof commentInput>) {
  await loadPublic(db, id);
  const [row] = await db
    .insert(deliberationComments)
    .values({
      deliberationId: id,
      authorId: actor.userId,
      body: input.body,
      idempotencyKey: input.idempotencyKey,
    })
    .onConflictDoNothing({ target: [deliberationComments.authorId, deliberationComments.idempotencyKey] })
    .returning({ id: deliberationComments.id });
  if (row) return row;
  const [same] = await db
    .select({ id: deliberationComments.id })
    .from(deliberationComments)
    .where(
      and(
        eq(deliberationComments.authorId, actor.userId),
        eq(deliberationComments.idempotencyKey, input.idempotencyKey),
      ),
    );
  return same as { id: string };
}

type C = typeof deliberationComments.$inferSelect;
const presentStaff = (r: C) => ({
  id: r.id,
  body: r.body,
  at: r.createdAt.toISOString(),
  hidden: r.hiddenAt !== null,
  hiddenReason: (r.hiddenReason as CommentHideReason | null) ?? null,
  hiddenNote: r.hiddenNote,
  hiddenAt: r.hiddenAt?.toISOString() ?? null,
});

/** The comments as the deliberation's staff moderate them: hidden ones too, latest first. */
export async function staffComments(db: Db, actor: Actor, id: string, q: { page: number; pageSize: number }) {
  await loadScoped(db, actor, deliberationsScope, id);
  const where = eq(deliberationComments.deliberationId, id);
  const [rows, [t]] = await Promise.all([
    db
      .select()
      .from(deliberationComments)
      .where(where)
      .orderBy(desc(deliberationComments.createdAt), desc(deliberationComments.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(deliberationComments).where(where),
  ]);
  return { items: rows.map(presentStaff), total: Number(t?.n ?? 0) };
}

/**
 * 屏蔽评论: the deliberation's staff hide an abusive comment, with a reason code (audited) and an
 * optional note; hiding one already hidden changes nothing.
 */
export async function hideComment(
  db: Db,
  actor: Actor,
  id: string,
  commentId: string,
  input: z.infer<typeof commentHideInput>,
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    await loadScoped(tx as Db, actor, deliberationsScope, id);
    const [c] = await tx
      .select()
      .from(deliberationComments)
      .where(and(eq(deliberationComments.id, commentId), eq(deliberationComments.deliberationId, id)))
      .for('update');
    if (!c) throw new AppError('NOT_FOUND');
    if (c.hiddenAt) return presentStaff(c);
    const [u] = await tx
      .update(deliberationComments)
      .set({
        hiddenAt: new Date(),
        hiddenBy: actor.userId,
        hiddenReason: input.reason,
        hiddenNote: input.note ?? null,
      })
      .where(eq(deliberationComments.id, commentId))
      .returning();
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'deliberation.commentHidden',
        { targetType: 'deliberation', targetId: id },
        { commentId, reason: input.reason },
      ),
    );
    return presentStaff(u as C);
  });
}
