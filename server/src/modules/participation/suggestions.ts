import type {
  Suggestion,
  SuggestionInput,
  SuggestionListQuery,
  suggestionProposeInput,
} from '@civicgrid/core/api/deliberationPublic';
import { publicWishTitle } from '@civicgrid/core/participation/wishes';
import { and, desc, eq, ilike, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, defineScope, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { deliberationSuggestions, deliberationSupports } from './deliberationPublicTables.js';
import { proposeDeliberation } from './deliberations.js';

type Row = typeof deliberationSuggestions.$inferSelect;

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(deliberationSuggestions)
    .set({ orgPath: sql`${to} || substr(${deliberationSuggestions.orgPath}, ${from.length + 1})` })
    .where(sql`${deliberationSuggestions.orgPath} like ${`${from}%`}`);
});

/**
 * Who sees a suggestion: its text and count are public to residents (deliberation:participate),
 * whatever their community; staff see those of their jurisdiction.
 */
export const suggestionsScope = defineScope(deliberationSuggestions, {
  id: deliberationSuggestions.id,
  path: deliberationSuggestions.orgPath,
  rule: (actor, inJurisdiction) => {
    if (actor.permissions.has('deliberation:participate')) return sql`true`;
    return actor.permissions.has('deliberation:read') ? inJurisdiction : sql`false`;
  },
  visibleRow: (actor, _row, inJurisdiction) =>
    actor.permissions.has('deliberation:participate') ||
    (actor.permissions.has('deliberation:read') && inJurisdiction),
});

/** 居民建议 (POST /api/deliberation-suggestions): a resident's suggestion to a community; a retry finds it. */
export async function postSuggestion(db: Db, actor: Actor, input: SuggestionInput, meta: RequestMeta) {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (!unit || unit.retiredAt || unit.level !== 'community')
    throw fieldError('orgUnitId', 'community', 'SUGGESTION_UNIT');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(deliberationSuggestions)
      .values({
        orgUnitId: unit.id,
        orgPath: unit.path,
        title: input.title,
        body: input.body,
        postedBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
      })
      .onConflictDoNothing({
        target: [deliberationSuggestions.postedBy, deliberationSuggestions.idempotencyKey],
      })
      .returning({ id: deliberationSuggestions.id });
    if (!row) {
      const [same] = await tx
        .select({ id: deliberationSuggestions.id })
        .from(deliberationSuggestions)
        .where(
          and(
            eq(deliberationSuggestions.postedBy, actor.userId),
            eq(deliberationSuggestions.idempotencyKey, input.idempotencyKey),
          ),
        );
      return { id: (same as { id: string }).id };
    }
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'deliberation.suggested',
        { targetType: 'deliberationSuggestion', targetId: row.id },
        { orgUnitId: unit.id },
      ),
    );
    return { id: row.id };
  });
}

function present(row: Row, unitName: string, actor: Actor, supported: Set<string>): Suggestion {
  return {
    id: row.id,
    title: publicWishTitle(row.title),
    body: publicWishTitle(row.body),
    orgUnitId: row.orgUnitId,
    orgUnitName: unitName,
    supportCount: row.supportCount,
    status: row.deliberationId ? 'proposed' : 'open',
    deliberationId: row.deliberationId,
    createdAt: row.createdAt.toISOString(),
    mine: row.postedBy === actor.userId,
    supportedByMe: supported.has(row.id),
  };
}

/**
 * The suggestions in sight, most supported first (or latest): a community's for a resident,
 * the jurisdiction's for staff. Never who posted or supported one.
 */
export async function listSuggestions(db: Db, actor: Actor, q: SuggestionListQuery) {
  const t = deliberationSuggestions;
  const cond: (SQL | undefined)[] = [
    q.status === 'open'
      ? isNull(t.deliberationId)
      : q.status === 'proposed'
        ? isNotNull(t.deliberationId)
        : undefined,
    q.q ? ilike(t.title, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    q.mine === 'posted' ? eq(t.postedBy, actor.userId) : undefined,
  ];
  if (q.orgUnitId !== undefined) {
    if (actor.permissions.has('deliberation:participate')) cond.push(eq(t.orgUnitId, q.orgUnitId));
    else cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), t.orgPath));
  }
  const { items, total } = await listScoped(db, actor, suggestionsScope, {
    where: and(...cond),
    orderBy:
      q.sort === 'recent'
        ? [desc(t.createdAt), desc(t.id)]
        : [desc(t.supportCount), desc(t.createdAt), desc(t.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const ids = items.map((r) => r.id);
  const unitIds = [...new Set(items.map((r) => r.orgUnitId))];
  const [units, mine] = await Promise.all([
    unitIds.length
      ? db
          .select({ id: orgUnits.id, name: orgUnits.name })
          .from(orgUnits)
          .where(inArray(orgUnits.id, unitIds))
      : [],
    ids.length
      ? db
          .select({ id: deliberationSupports.suggestionId })
          .from(deliberationSupports)
          .where(
            and(
              eq(deliberationSupports.userId, actor.userId),
              inArray(deliberationSupports.suggestionId, ids),
            ),
          )
      : [],
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const supported = new Set(mine.map((m) => m.id));
  return { items: items.map((r) => present(r, unitName.get(r.orgUnitId) ?? '', actor, supported)), total };
}

/**
 * 附议 / 撤回附议: one support per resident (the primary key), the count moved only by the row
 * that was written or removed, under the suggestion's row lock — a burst counts once. A
 * suggestion already turned into a deliberation takes no more (409).
 */
export async function setSupport(db: Db, actor: Actor, id: string, support: boolean) {
  return db.transaction(async (tx) => {
    const row = await loadScoped(tx as Db, actor, suggestionsScope, id, { forUpdate: true });
    if (row.deliberationId) throw new AppError('SUGGESTION_CLOSED');
    const changed = support
      ? await tx
          .insert(deliberationSupports)
          .values({ suggestionId: id, userId: actor.userId })
          .onConflictDoNothing()
          .returning({ id: deliberationSupports.suggestionId })
      : await tx
          .delete(deliberationSupports)
          .where(
            and(eq(deliberationSupports.suggestionId, id), eq(deliberationSupports.userId, actor.userId)),
          )
          .returning({ id: deliberationSupports.suggestionId });
    let supportCount = row.supportCount;
    if (changed.length) {
      const [u] = await tx
        .update(deliberationSuggestions)
        .set({ supportCount: sql`${deliberationSuggestions.supportCount} + ${support ? 1 : -1}` })
        .where(eq(deliberationSuggestions.id, id))
        .returning({ n: deliberationSuggestions.supportCount });
      supportCount = (u as { n: number }).n;
    }
    return { supportCount, supportedByMe: support };
  });
}

/**
 * 转为议题: the community proposes a deliberation from a suggestion of its jurisdiction — its
 * text unless staff reword it — and the suggestion keeps the link (once: a second try 409).
 */
export async function proposeFromSuggestion(
  db: Db,
  actor: Actor,
  id: string,
  input: z.infer<typeof suggestionProposeInput>,
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    const row = await loadScoped(tx as Db, actor, suggestionsScope, id, { forUpdate: true });
    if (row.deliberationId) throw new AppError('SUGGESTION_ALREADY_PROPOSED');
    const made = await proposeDeliberation(
      tx as Db,
      actor,
      {
        title: input.title ?? row.title,
        proposal: input.proposal ?? row.body,
        orgUnitId: row.orgUnitId,
        ...(input.reviewDepartmentId !== undefined ? { reviewDepartmentId: input.reviewDepartmentId } : {}),
        ...(input.rules !== undefined ? { rules: input.rules } : {}),
      },
      meta,
    );
    await tx
      .update(deliberationSuggestions)
      .set({ deliberationId: made.id, proposedAt: new Date() })
      .where(eq(deliberationSuggestions.id, id));
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'deliberation.suggestionProposed',
        { targetType: 'deliberationSuggestion', targetId: id },
        { deliberationId: made.id, supports: row.supportCount },
      ),
    );
    return { deliberationId: made.id, status: 'proposed' as const };
  });
}

/** The suggestion a deliberation came from, for its detail: its title and the supports it had. */
export async function suggestionOf(db: Db, deliberationId: string) {
  const [s] = await db
    .select({
      id: deliberationSuggestions.id,
      title: deliberationSuggestions.title,
      supportCount: deliberationSuggestions.supportCount,
    })
    .from(deliberationSuggestions)
    .where(eq(deliberationSuggestions.deliberationId, deliberationId));
  return s ?? null;
}
