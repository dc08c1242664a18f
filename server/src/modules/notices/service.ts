import type {
  MyNotice,
  Notice,
  NoticeInput,
  NoticeKind,
  NoticeStatus,
  noticePatch,
} from '@civicgrid/core/api/notices';
import { and, asc, count, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { addFileVisibility } from '../../platform/files.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { files } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';
import {
  type NoticeRow,
  noticesScope,
  readableAt,
  readableRow,
  searchCondition,
  statusCondition,
} from './policy.js';
import { type NoticeExtras, presentMyNotice, presentNotice } from './presenter.js';
import { noticeReaderCommunities, noticeReads, notices } from './tables.js';

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(notices)
    .set({ orgPath: sql`${to} || substr(${notices.orgPath}, ${from.length + 1})` })
    .where(sql`${notices.orgPath} like ${`${from}%`}`);
});

/** Attachments are the writer's own uploads (POST /api/files). */
async function checkAttachments(db: Db, actor: Actor, ids: string[] | undefined): Promise<string[]> {
  if (!ids?.length) return [];
  const unique = [...new Set(ids)];
  const rows = await db
    .select({ id: files.id, ownerId: files.ownerId })
    .from(files)
    .where(inArray(files.id, unique));
  for (const id of unique)
    if (rows.find((r) => r.id === id)?.ownerId !== actor.userId)
      throw fieldError('attachmentIds', 'exists', 'NOTICE_ATTACHMENT_UNAVAILABLE');
  return unique;
}

/** The area a notice goes to: an active unit of the writer's jurisdiction (400 `orgUnitId` otherwise). */
async function targetArea(db: Db, actor: Actor, orgUnitId: number) {
  const area = await resolveArea(db, actor, orgUnitId);
  const [u] = await db
    .select({ retiredAt: orgUnits.retiredAt })
    .from(orgUnits)
    .where(eq(orgUnits.id, orgUnitId));
  if (u?.retiredAt) throw fieldError('orgUnitId', 'active', 'NOTICE_AREA_RETIRED');
  return area;
}

/** Area names, read counts and attachment types of some notices, for the presenters. */
async function extrasOf(db: Db, rows: NoticeRow[]): Promise<Map<string, NoticeExtras>> {
  const out = new Map<string, NoticeExtras>();
  if (!rows.length) return out;
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId))];
  const fileIds = [...new Set(rows.flatMap((r) => r.attachmentIds))];
  const [units, reads, fileRows] = await Promise.all([
    db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, unitIds)),
    db
      .select({ id: noticeReads.noticeId, n: count() })
      .from(noticeReads)
      .where(
        inArray(
          noticeReads.noticeId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(noticeReads.noticeId),
    fileIds.length
      ? db.select({ id: files.id, mime: files.mime }).from(files).where(inArray(files.id, fileIds))
      : Promise.resolve([]),
  ]);
  for (const r of rows)
    out.set(r.id, {
      orgUnitName: units.find((u) => u.id === r.orgUnitId)?.name ?? '',
      readCount: Number(reads.find((x) => x.id === r.id)?.n ?? 0),
      attachments: r.attachmentIds.flatMap((id) => fileRows.filter((f) => f.id === id)),
    });
  return out;
}

async function present(db: Db, actor: Actor, row: NoticeRow): Promise<Notice> {
  const x = await extrasOf(db, [row]);
  return presentNotice(actor, row, x.get(row.id) as NoticeExtras);
}

/** 发布: to an area of the writer's jurisdiction, now or at `publishAt`. */
export async function createNotice(
  db: Db,
  actor: Actor,
  input: NoticeInput,
  meta: RequestMeta,
): Promise<Notice> {
  const area = await targetArea(db, actor, input.orgUnitId);
  const attachmentIds = await checkAttachments(db, actor, input.attachmentIds);
  const now = new Date();
  const publishAt = input.publishAt && new Date(input.publishAt) > now ? new Date(input.publishAt) : now;
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(notices)
      .values({
        title: input.title,
        body: input.body,
        kind: input.kind,
        orgUnitId: input.orgUnitId,
        orgPath: area.path,
        attachmentIds,
        publishAt,
        pinned: input.pinned ?? false,
        createdBy: actor.userId,
        authorName: actor.displayName,
        authorUnit: actor.orgUnitName ?? actor.departmentName,
      })
      .returning();
    const r = created as NoticeRow;
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'notice.published',
      targetType: 'notice',
      targetId: r.id,
      payload: { orgUnitId: r.orgUnitId, kind: r.kind, publishAt: r.publishAt.toISOString() },
    });
    return r;
  });
  return present(db, actor, row);
}

/** Loads a notice the manager sees, for a change: 404 outside sight, 409 once withdrawn. */
async function loadForChange(tx: Db, actor: Actor, id: string): Promise<NoticeRow> {
  const row = await loadScoped(tx, actor, noticesScope, id, { forUpdate: true });
  if (row.withdrawnAt) throw new AppError('NOTICE_WITHDRAWN');
  return row;
}

export async function updateNotice(
  db: Db,
  actor: Actor,
  id: string,
  patch: z.infer<typeof noticePatch>,
  meta: RequestMeta,
): Promise<Notice> {
  const area = patch.orgUnitId === undefined ? null : await targetArea(db, actor, patch.orgUnitId);
  const attachmentIds =
    patch.attachmentIds === undefined ? undefined : await checkAttachments(db, actor, patch.attachmentIds);
  const row = await db.transaction(async (tx) => {
    const before = await loadForChange(tx, actor, id);
    const now = new Date();
    // A notice already out keeps its date unless a later one is asked; a timed one may move.
    const publishAt =
      patch.publishAt === undefined
        ? undefined
        : new Date(patch.publishAt) > now
          ? new Date(patch.publishAt)
          : before.publishAt <= now
            ? before.publishAt
            : now;
    const [updated] = await tx
      .update(notices)
      .set({
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.kind === undefined ? {} : { kind: patch.kind }),
        ...(area && patch.orgUnitId !== undefined ? { orgUnitId: patch.orgUnitId, orgPath: area.path } : {}),
        ...(attachmentIds === undefined ? {} : { attachmentIds }),
        ...(publishAt === undefined ? {} : { publishAt }),
        ...(patch.pinned === undefined ? {} : { pinned: patch.pinned }),
        updatedAt: now,
      })
      .where(eq(notices.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'notice.updated',
      targetType: 'notice',
      targetId: id,
      payload: { fields: Object.keys(patch) },
    });
    return updated as NoticeRow;
  });
  return present(db, actor, row);
}

/** 撤回: residents no longer see it; staff keep it, marked withdrawn, with its read count. */
export async function withdrawNotice(
  db: Db,
  actor: Actor,
  id: string,
  reason: string | undefined,
  meta: RequestMeta,
): Promise<Notice> {
  const row = await db.transaction(async (tx) => {
    await loadForChange(tx, actor, id);
    const now = new Date();
    const [updated] = await tx
      .update(notices)
      .set({ withdrawnAt: now, withdrawReason: reason || null, updatedAt: now })
      .where(eq(notices.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'notice.withdrawn',
      targetType: 'notice',
      targetId: id,
    });
    return updated as NoticeRow;
  });
  return present(db, actor, row);
}

export async function pinNotice(db: Db, actor: Actor, id: string, pinned: boolean, meta: RequestMeta) {
  const row = await db.transaction(async (tx) => {
    await loadForChange(tx, actor, id);
    const [updated] = await tx
      .update(notices)
      .set({ pinned, updatedAt: new Date() })
      .where(eq(notices.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'notice.pinned',
      targetType: 'notice',
      targetId: id,
      payload: { pinned },
    });
    return updated as NoticeRow;
  });
  return present(db, actor, row);
}

export async function noticeDetail(db: Db, actor: Actor, id: string): Promise<Notice> {
  return present(db, actor, await loadScoped(db, actor, noticesScope, id));
}

export async function listNotices(
  db: Db,
  actor: Actor,
  q: {
    page: number;
    pageSize: number;
    q?: string | undefined;
    kind?: NoticeKind | undefined;
    status?: NoticeStatus | undefined;
    orgUnitId?: number | undefined;
  },
) {
  const cond: (SQL | undefined)[] = [];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), notices.orgPath));
  if (q.kind) cond.push(eq(notices.kind, q.kind));
  if (q.status) cond.push(statusCondition(q.status));
  if (q.q) cond.push(searchCondition(q.q));
  const { items, total } = await listScoped(db, actor, noticesScope, {
    where: and(...cond),
    orderBy: [desc(notices.pinned), desc(notices.publishAt), asc(notices.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const x = await extrasOf(db, items);
  return { items: items.map((r) => presentNotice(actor, r, x.get(r.id) as NoticeExtras)), total };
}

/** The reader's home and its community, and how it is known. */
interface ReaderHome {
  path: string;
  community: { id: number; name: string; how: 'bound' | 'picked' };
}

async function communityOf(db: Db, path: string): Promise<{ id: number; name: string } | null> {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (!ids.length) return null;
  const [c] = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(and(inArray(orgUnits.id, ids), eq(orgUnits.level, 'community')));
  return c ?? null;
}

/**
 * Where a resident lives, for his notices: the dwelling of his real-name record (the person
 * registered with the ID number he bound), else the unit his account belongs to (a grid or a
 * community), else the community he picked. A unit above the community (a street's staff
 * reading /r) has no community of its own and picks one like anybody.
 */
async function readerHome(db: Db, actor: Actor): Promise<ReaderHome | null> {
  const [bound] = await db
    .select({ path: residents.orgPath })
    .from(residentAccounts)
    .innerJoin(residents, eq(residents.idNumberIdx, residentAccounts.idNumberIdx))
    .where(and(eq(residentAccounts.userId, actor.userId), isNull(residentAccounts.deletedAt)));
  for (const path of [bound?.path, actor.global ? null : actor.orgPath]) {
    if (!path) continue;
    const c = await communityOf(db, path);
    if (c) return { path, community: { ...c, how: 'bound' } };
  }
  const [picked] = await db
    .select({ id: orgUnits.id, name: orgUnits.name, path: orgUnits.path })
    .from(noticeReaderCommunities)
    .innerJoin(orgUnits, eq(orgUnits.id, noticeReaderCommunities.communityId))
    .where(eq(noticeReaderCommunities.userId, actor.userId));
  return picked
    ? { path: picked.path, community: { id: picked.id, name: picked.name, how: 'picked' } }
    : null;
}

async function readSet(db: Db, actor: Actor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .select({ id: noticeReads.noticeId })
    .from(noticeReads)
    .where(and(eq(noticeReads.userId, actor.userId), inArray(noticeReads.noticeId, ids)));
  return new Set(rows.map((r) => r.id));
}

/** The resident's notices: his community's and those of the areas above it, pinned first. */
export async function myNotices(
  db: Db,
  actor: Actor,
  q: { page: number; pageSize: number; kind?: NoticeKind | undefined },
) {
  const home = await readerHome(db, actor);
  if (!home) return { items: [], total: 0, unread: 0, community: null };
  const cond = and(readableAt(home.path), q.kind ? eq(notices.kind, q.kind) : undefined);
  const [rows, [t], [u]] = await Promise.all([
    db
      .select()
      .from(notices)
      .where(cond)
      .orderBy(desc(notices.pinned), desc(notices.publishAt), asc(notices.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(notices).where(cond),
    db
      .select({ n: count() })
      .from(notices)
      .where(
        and(
          readableAt(home.path),
          sql`not exists (select 1 from ${noticeReads} where ${noticeReads.noticeId} = ${notices.id} and ${noticeReads.userId} = ${actor.userId})`,
        ),
      ),
  ]);
  const [x, read] = await Promise.all([
    extrasOf(db, rows),
    readSet(
      db,
      actor,
      rows.map((r) => r.id),
    ),
  ]);
  return {
    items: rows.map((r) => presentMyNotice(r, { ...(x.get(r.id) as NoticeExtras), read: read.has(r.id) })),
    total: Number(t?.n ?? 0),
    unread: Number(u?.n ?? 0),
    community: home.community,
  };
}

/**
 * One notice of the resident's, and his read recorded — once: the primary key holds a second
 * open (or two at the same moment) to the first. Staff opening it here are not counted.
 */
export async function myNotice(db: Db, actor: Actor, id: string): Promise<MyNotice> {
  const home = await readerHome(db, actor);
  const [row] = home ? await db.select().from(notices).where(eq(notices.id, id)) : [];
  if (!home || !row || !readableRow(home.path, row)) throw new AppError('NOT_FOUND');
  if (!actor.permissions.has('notice:manage'))
    await db.insert(noticeReads).values({ noticeId: id, userId: actor.userId }).onConflictDoNothing();
  const x = await extrasOf(db, [row]);
  return presentMyNotice(row, { ...(x.get(id) as NoticeExtras), read: true });
}

/** Communities a reader may pick, by street (the street is the second unit of the path). */
export async function pickableCommunities(db: Db) {
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name, level: orgUnits.level, path: orgUnits.path })
    .from(orgUnits)
    .where(and(inArray(orgUnits.level, ['street', 'community']), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.path));
  const streets = new Map(rows.filter((r) => r.level === 'street').map((r) => [r.id, r.name]));
  return {
    items: rows
      .filter((r) => r.level === 'community')
      .map((r) => ({
        id: r.id,
        name: r.name,
        streetName: streets.get(Number(r.path.split('/').filter(Boolean)[1])) ?? '',
      })),
  };
}

export async function pickCommunity(db: Db, actor: Actor, communityId: number) {
  const [c] = await db.select().from(orgUnits).where(eq(orgUnits.id, communityId));
  if (c?.level !== 'community' || c.retiredAt)
    throw fieldError('communityId', 'exists', 'NOTICE_COMMUNITY_UNKNOWN');
  await db
    .insert(noticeReaderCommunities)
    .values({ userId: actor.userId, communityId })
    .onConflictDoUpdate({
      target: noticeReaderCommunities.userId,
      set: { communityId, pickedAt: new Date() },
    });
  return myNotices(db, actor, { page: 1, pageSize: 20 });
}

/** A notice's attachment: seen by the staff who see the notice and by its readers. */
async function noticeFileVisible(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  const holding = await db.select().from(notices).where(sql`${fileId}::uuid = any(${notices.attachmentIds})`);
  if (!holding.length) return false;
  if (holding.some((r) => noticesScope.visible(actor, r))) return true;
  const home = await readerHome(db, actor);
  return home !== null && holding.some((r) => readableRow(home.path, r));
}
addFileVisibility(noticeFileVisible);
