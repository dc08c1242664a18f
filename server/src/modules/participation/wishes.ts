import {
  type WishActionBody,
  type WishDetail,
  type WishInput,
  type WishListQuery,
  wishActionBodies,
} from '@civicgrid/core/api/wishes';
import {
  nextWishState,
  publicWishTitle,
  type WishAction,
  wishEscalationDays,
} from '@civicgrid/core/participation/wishes';
import { and, asc, count, desc, eq, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { addFileVisibility } from '../../platform/files.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { files } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { type WishRow, wishAllowedActions, wishesScope, wishRefusal } from './policy.js';
import { presentWish, presentWishDetail, type WishNames } from './presenter.js';
import { wishEvents, wishes } from './tables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// A grid moved to another community carries its wishes along.
registerPathFollower(async (tx, from, to) => {
  await tx
    .update(wishes)
    .set({ orgPath: sql`${to} || substr(${wishes.orgPath}, ${from.length + 1})` })
    .where(sql`${wishes.orgPath} like ${`${from}%`}`);
});

const staffOf = (actor: Actor) => actor.permissions.has('wish:read');

// A fulfilment photo is seen by whoever sees its wish (the resident who posted it, his grid, the volunteers).
addFileVisibility(async (db, actor, fileId) => {
  const [row] = await db
    .select({ id: wishes.id })
    .from(wishes)
    .where(and(sql`${fileId}::uuid = any(${wishes.fileIds})`, wishesScope.where(actor)))
    .limit(1);
  return row !== undefined;
});

function audit<A extends 'wish.posted' | 'wish.action'>(
  tx: Db | Tx,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  targetId: string,
  payload: AuditPayload<A>,
) {
  return appendAudit(
    tx as Db,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'wish', targetId }, payload),
  );
}

/**
 * The grid a wish is posted to: any active grid for a resident (he picks his own on the
 * portal); for staff, one in their jurisdiction.
 */
async function gridFor(db: Db, actor: Actor, gridId: number) {
  const [g] = await db.select().from(orgUnits).where(eq(orgUnits.id, gridId));
  if (g?.level !== 'grid' || g.retiredAt) throw fieldError('gridId', 'exists', 'WISH_GRID_UNKNOWN');
  if (staffOf(actor) && !pathInScope(actor, g.path))
    throw fieldError('gridId', 'inJurisdiction', 'GRID_NOT_IN_JURISDICTION');
  return g;
}

/**
 * 群众点单 (POST /api/wishes): a resident posts his wish, or a worker posts one for a resident
 * on file in his jurisdiction. The same key from the same poster finds the wish already made.
 */
export async function postWish(db: Db, actor: Actor, input: WishInput, meta: RequestMeta) {
  const grid = await gridFor(db, actor, input.gridId);
  if (input.forResidentId !== undefined) {
    const [r] = await db.select().from(residents).where(eq(residents.id, input.forResidentId));
    if (!r || !staffOf(actor) || !residentScope.visible(actor, r))
      throw fieldError('forResidentId', 'inJurisdiction', 'WISH_RESIDENT_UNKNOWN');
  }
  const now = new Date();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(wishes)
      .values({
        title: input.title,
        description: input.description,
        gridId: grid.id,
        orgPath: grid.path,
        forResidentId: input.forResidentId ?? null,
        status: 'submitted',
        postedBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [wishes.postedBy, wishes.idempotencyKey] })
      .returning({ id: wishes.id });
    if (!row) return null;
    await tx.insert(wishEvents).values({
      wishId: row.id,
      action: 'post',
      fromState: null,
      toState: 'submitted',
      actorId: actor.userId,
      at: now,
    });
    await audit(tx, actor, meta, 'wish.posted', row.id, {
      gridId: grid.id,
      forResident: input.forResidentId !== undefined,
    });
    return row.id;
  });
  if (id) return { id, status: 'submitted' as const };
  const [again] = await db
    .select({ id: wishes.id })
    .from(wishes)
    .where(and(eq(wishes.postedBy, actor.userId), eq(wishes.idempotencyKey, input.idempotencyKey)));
  if (!again) throw new AppError('CONFLICT');
  return { id: again.id, status: 'submitted' as const };
}

function parseBody<A extends WishAction>(action: A, raw: unknown): WishActionBody<A> {
  const parsed = wishActionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as WishActionBody<A>;
}

/** What each action writes on the wish, and the note its trail event keeps. */
async function effectOf(
  tx: Tx,
  actor: Actor,
  action: WishAction,
  body: WishActionBody<WishAction>,
  now: Date,
): Promise<{ set: Partial<typeof wishes.$inferInsert>; note: string | null }> {
  switch (action) {
    case 'publish':
      return { set: { publishedAt: now }, note: (body as WishActionBody<'publish'>).note ?? null };
    case 'claim':
      return { set: { claimedBy: actor.userId, claimedAt: now }, note: null };
    case 'fulfil': {
      const b = body as WishActionBody<'fulfil'>;
      const ids = [...new Set(b.fileIds ?? [])];
      if (ids.length) {
        const own = await tx
          .select({ id: files.id })
          .from(files)
          .where(and(inArray(files.id, ids), eq(files.ownerId, actor.userId)));
        if (own.length !== ids.length) throw fieldError('fileIds', 'owned', 'WISH_FILE_UNKNOWN');
      }
      return { set: { fulfilledAt: now, fulfilNote: b.note, fileIds: ids }, note: b.note };
    }
    case 'rate': {
      const b = body as WishActionBody<'rate'>;
      return {
        set: { rating: b.rating, ratingComment: b.comment ?? null, ratedAt: now },
        note: b.comment ?? null,
      };
    }
    case 'withdraw':
      return { set: {}, note: (body as WishActionBody<'withdraw'>).reason ?? null };
  }
}

/**
 * One step of a wish, in one transaction: lock it (404 outside sight), refuse what the policy
 * refuses (403, then 409), parse the body, write the step with its trail event and audit row.
 */
export async function wishAction<A extends WishAction>(
  db: Db,
  actor: Actor,
  id: string,
  action: A,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<WishDetail> {
  const now = new Date();
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, wishesScope, id, { forUpdate: true });
    const refused = wishRefusal(actor, row, action);
    if (refused) throw refused;
    const body = parseBody(action, rawBody);
    const to = nextWishState(action, row.status) ?? row.status;
    const effect = await effectOf(tx, actor, action, body, now);
    await tx
      .update(wishes)
      .set({ ...effect.set, status: to, updatedAt: now })
      .where(eq(wishes.id, row.id));
    await tx.insert(wishEvents).values({
      wishId: row.id,
      action,
      fromState: row.status,
      toState: to,
      actorId: actor.userId,
      note: effect.note,
      data: action === 'rate' ? { rating: (body as WishActionBody<'rate'>).rating } : null,
      at: now,
    });
    await audit(tx, actor, meta, 'wish.action', row.id, { action, from: row.status, to });
  });
  return wishDetail(db, actor, id);
}

/** Grid and community names, posters' and claimers' names, residents' names of some wishes. */
async function namesOf(db: Db, rows: WishRow[], staff: boolean): Promise<WishNames> {
  const gridIds = [...new Set(rows.map((r) => r.gridId))];
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.postedBy, r.claimedBy]).filter((x): x is string => !!x)),
  ];
  const residentIds = staff
    ? [...new Set(rows.map((r) => r.forResidentId).filter((x): x is string => !!x))]
    : [];
  const community = alias(orgUnits, 'community');
  const [grids, people, persons] = await Promise.all([
    gridIds.length
      ? db
          .select({ id: orgUnits.id, gridName: orgUnits.name, communityName: community.name })
          .from(orgUnits)
          .leftJoin(community, eq(community.id, orgUnits.parentId))
          .where(inArray(orgUnits.id, gridIds))
      : [],
    userIds.length
      ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds))
      : [],
    residentIds.length
      ? db
          .select({ id: residents.id, name: residents.name })
          .from(residents)
          .where(inArray(residents.id, residentIds))
      : [],
  ]);
  return {
    grid: new Map(grids.map((g) => [g.id, { gridName: g.gridName, communityName: g.communityName ?? '' }])),
    user: new Map(people.map((p) => [p.id, p.name])),
    resident: new Map(persons.map((p) => [p.id, p.name])),
  };
}

/** One wish, its trail and what the actor may do now. */
export async function wishDetail(db: Db, actor: Actor, id: string): Promise<WishDetail> {
  const row = await loadScoped(db, actor, wishesScope, id);
  const staff = staffOf(actor);
  const events = await db
    .select({ e: wishEvents, actorName: users.displayName })
    .from(wishEvents)
    .leftJoin(users, eq(users.id, wishEvents.actorId))
    .where(eq(wishEvents.wishId, id))
    .orderBy(asc(wishEvents.at), asc(wishEvents.id));
  return presentWishDetail(
    row,
    await namesOf(db, [row], staff),
    staff,
    events.map(({ e, actorName }) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      // A volunteer sees who acted by role, not the resident's name on his own post.
      actorName: staff || e.actorId === actor.userId || e.action !== 'post' ? actorName : null,
      note: e.note,
      at: e.at.toISOString(),
    })),
    wishAllowedActions(actor, row),
  );
}

/** The wishes in sight, newest first: a resident's own, a grid's, a community's wall for its volunteers. */
export async function listWishes(db: Db, actor: Actor, q: WishListQuery) {
  const cond: (SQL | undefined)[] = [
    q.status ? eq(wishes.status, q.status) : undefined,
    q.mine === 'posted' ? eq(wishes.postedBy, actor.userId) : undefined,
    q.mine === 'claimed' ? eq(wishes.claimedBy, actor.userId) : undefined,
    q.escalated === 'true' ? sql`${wishes.escalatedAt} is not null` : undefined,
    q.escalated === 'false' ? isNull(wishes.escalatedAt) : undefined,
  ];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), wishes.orgPath));
  const { items, total } = await listScoped(db, actor, wishesScope, {
    where: and(...cond),
    orderBy: [desc(wishes.createdAt), desc(wishes.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const staff = staffOf(actor);
  const names = await namesOf(db, items, staff);
  return { items: items.map((r) => presentWish(r, names, staff)), total };
}

const wallStates = ['published', 'claimed', 'fulfilled', 'rated'] as const;

/**
 * The public wall (GET /api/public/wishes): what is wished and in which community, where it
 * stands — never a name, a phone, a grid or an address. Titles are masked of long digit runs.
 */
export async function publicWishes(
  db: Db,
  q: { page: number; pageSize: number; communityId?: number | undefined },
) {
  const grid = alias(orgUnits, 'grid');
  const community = alias(orgUnits, 'community');
  const where = and(
    inArray(wishes.status, [...wallStates]),
    q.communityId !== undefined ? eq(community.id, q.communityId) : undefined,
  );
  const base = db
    .select({
      id: wishes.id,
      title: wishes.title,
      status: wishes.status,
      communityName: community.name,
      publishedAt: wishes.publishedAt,
      fulfilledAt: wishes.fulfilledAt,
    })
    .from(wishes)
    .innerJoin(grid, eq(grid.id, wishes.gridId))
    .innerJoin(community, eq(community.id, grid.parentId));
  const [rows, [t], counts] = await Promise.all([
    base
      .where(where)
      .orderBy(desc(wishes.publishedAt), desc(wishes.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(wishes)
      .innerJoin(grid, eq(grid.id, wishes.gridId))
      .innerJoin(community, eq(community.id, grid.parentId))
      .where(where),
    db
      .select({
        communityName: community.name,
        published: sql<number>`count(*)::int`,
        fulfilled: sql<number>`count(*) filter (where ${wishes.status} in ('fulfilled', 'rated'))::int`,
      })
      .from(wishes)
      .innerJoin(grid, eq(grid.id, wishes.gridId))
      .innerJoin(community, eq(community.id, grid.parentId))
      .where(where)
      .groupBy(community.name)
      .orderBy(community.name),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: publicWishTitle(r.title),
      status: r.status as (typeof wallStates)[number],
      communityName: r.communityName,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
    })),
    total: Number(t?.n ?? 0),
    counts,
  };
}

/** The active grids of a community, for the portal's picker (names only). */
export async function publicGrids(db: Db, communityId: number) {
  const items = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, communityId), eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.code));
  return { items };
}

/**
 * The escalation sweep: a wish published more than `days` days ago and still unclaimed is
 * told to its community (seed 004: nothing stays unanswered) — flagged once, with a trail
 * event and one audit row for the batch. Idempotent: a flagged wish is not flagged again.
 */
export async function escalateUnclaimedWishes(db: Db, days = wishEscalationDays, now = new Date()) {
  const before = new Date(now.getTime() - days * 86_400_000);
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(wishes)
      .set({ escalatedAt: now, updatedAt: now })
      .where(and(eq(wishes.status, 'published'), isNull(wishes.escalatedAt), lt(wishes.publishedAt, before)))
      .returning({ id: wishes.id });
    if (!rows.length) return 0;
    await tx.insert(wishEvents).values(
      rows.map((r) => ({
        wishId: r.id,
        action: 'escalate',
        fromState: 'published',
        toState: 'published',
        actorId: null,
        note: `发布 ${days} 天无人认领，转社区跟进`,
        at: now,
      })),
    );
    await appendAudit(
      tx as Db,
      { userId: null, username: 'system', ip: null, userAgent: null },
      auditEntry('wish.escalated', { targetType: 'wish' }, { wishes: rows.map((r) => r.id) }),
    );
    return rows.length;
  });
}
