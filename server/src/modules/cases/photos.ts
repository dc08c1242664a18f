import { and, eq, inArray, isNull } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { contentHash, type FileStore, fileVisibleThroughModules } from '../../platform/files.js';
import { canSeeCase } from './policy.js';
import { cases, files } from './tables.js';

type FileRow = typeof files.$inferSelect;

/**
 * Stores an uploaded photo as the uploader's. The same photo sent again by the same person
 * (a retried upload from the field app) is the same file, as long as nothing has taken it yet.
 */
export async function uploadPhoto(
  db: Db,
  store: FileStore,
  actor: Actor,
  buf: Buffer,
  meta: RequestMeta,
): Promise<FileRow> {
  const [again] = await db
    .select()
    .from(files)
    .where(and(eq(files.ownerId, actor.userId), eq(files.sha256, contentHash(buf)), isNull(files.caseId)))
    .limit(1);
  if (again) return again;
  const stored = await store.saveImage(buf);
  return db.transaction(async (tx) => {
    const [f] = await tx
      .insert(files)
      .values({ ...stored, ownerId: actor.userId })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'file.uploaded',
      targetType: 'file',
      targetId: f?.id,
      payload: { mime: stored.mime, size: stored.size },
    });
    return f as FileRow;
  });
}

/**
 * A photo the actor may see: their own upload, a photo of a case they may see, or — for a
 * photo another module's record holds (a care or household visit) — one that module says
 * they may see. Anything else is not found.
 */
export async function photoFor(db: Db, actor: Actor, id: string): Promise<FileRow> {
  const [f] = await db.select().from(files).where(eq(files.id, id));
  if (!f) throw new AppError('NOT_FOUND');
  if (f.ownerId === actor.userId) return f;
  if (f.caseId) {
    const [c] = await db.select().from(cases).where(eq(cases.id, f.caseId));
    if (c && canSeeCase(actor, c)) return f;
    throw new AppError('NOT_FOUND');
  }
  if (await fileVisibleThroughModules(db, actor, f.id)) return f;
  throw new AppError('NOT_FOUND');
}

/** Binds uploaded photos to the case; each must be the uploader's own and not yet used elsewhere. */
export async function bindFiles(
  tx: Db,
  actor: Actor,
  caseId: string,
  ids: readonly string[] | undefined,
  field: string,
): Promise<string[]> {
  if (!ids?.length) return [];
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ id: files.id, ownerId: files.ownerId, caseId: files.caseId })
    .from(files)
    .where(inArray(files.id, unique));
  for (const id of unique) {
    const f = rows.find((r) => r.id === id);
    if (!f || f.ownerId !== actor.userId || (f.caseId !== null && f.caseId !== caseId))
      throw fieldError(field, 'exists', 'CASE_PHOTO_UNAVAILABLE');
  }
  await tx.update(files).set({ caseId }).where(inArray(files.id, unique));
  return unique;
}

/**
 * Photos attached to a visit (care or household) must be the visitor's own uploads not yet
 * taken by a case: nobody attaches another person's file.
 */
export async function assertOwnPhotos(db: Db, userId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const mine = await db
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.ownerId, userId), isNull(files.caseId)));
  if (mine.length !== new Set(ids).size) throw fieldError('photoIds', 'owned', 'PHOTO_NOT_OWNED');
}
