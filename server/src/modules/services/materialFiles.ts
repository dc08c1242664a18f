import { maxMaterialFileMb } from '@civicgrid/core/api/services';
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { addFileVisibility, type FileStore, isPdf, sniffImage } from '../../platform/files.js';
import { photoFor } from '../cases/photos.js';
import { applicationsScope } from './policy.js';
import { applications, materialFiles } from './tables.js';

export const maxMaterialBytes = maxMaterialFileMb * 1024 * 1024;
type MaterialFileRow = typeof materialFiles.$inferSelect;

export const presentMaterialFile = (f: MaterialFileRow) => ({
  id: f.id,
  mime: f.mime as 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp',
  size: f.size,
  url: `/api/material-files/${f.id}`,
});

const wrongType = () => fieldError('file', 'type', 'MATERIAL_FILE_TYPE');

/**
 * A scan or photo of one material, uploaded at the window before the intake names it. What it
 * is comes from its first bytes (a PDF header, or a JPEG/PNG/WebP signature that then decodes),
 * never from its name or the browser's type: anything else is refused naming `file`.
 */
export async function uploadMaterialFile(
  db: Db,
  store: FileStore,
  actor: Actor,
  buf: Buffer,
  meta: RequestMeta,
): Promise<MaterialFileRow> {
  if (buf.length > maxMaterialBytes)
    throw fieldError('file', 'maxSize', 'MATERIAL_FILE_TOO_LARGE', { maxMb: maxMaterialFileMb });
  let stored: { mime: string; size: number; sha256: string; storageKey: string };
  if (isPdf(buf)) stored = await store.saveDocument(buf, maxMaterialBytes);
  else if (sniffImage(buf)) {
    stored = await store.saveImage(buf).catch((e: unknown) => {
      // A plausible header on something that does not decode is not an image either.
      throw e instanceof AppError && e.code === 'FILE_TYPE' ? wrongType() : e;
    });
  } else throw wrongType();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(materialFiles)
      .values({
        mime: stored.mime,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.storageKey,
        ownerId: actor.userId,
      })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'file.uploaded',
      targetType: 'materialFile',
      targetId: row?.id,
      payload: { mime: stored.mime, size: stored.size },
    });
    return row as MaterialFileRow;
  });
}

/** Whether an application the actor sees holds the file among its materials. */
async function heldByVisibleApplication(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  const [hit] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(
      and(
        sql`${applications.materials} @> ${JSON.stringify([{ fileId }])}::jsonb`,
        applicationsScope.where(actor),
      ),
    )
    .limit(1);
  return hit !== undefined;
}

// A photo uploaded through /api/files (the field app's camera) and linked to a material is
// seen by whoever sees the application.
addFileVisibility(heldByVisibleApplication);

/**
 * A material's file for the one who uploaded it, or anyone who sees an application holding it:
 * a scan of this module, or a field-app photo (the cases module's, whose own check asks the
 * visibility registered above), so one address serves every material's file.
 */
export async function materialFileFor(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ mime: string; storageKey: string }> {
  const [f] = await db.select().from(materialFiles).where(eq(materialFiles.id, id));
  if (!f) return photoFor(db, actor, id);
  if (f.ownerId === actor.userId || (await heldByVisibleApplication(db, actor, id))) return f;
  throw new AppError('NOT_FOUND');
}
