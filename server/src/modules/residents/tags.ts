import {
  defaultResidentTags,
  type residentTagInput,
  type residentTagPatch,
} from '@civicgrid/core/api/residents';
import { asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { type Db, queryRows } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { residents, residentTags } from './tables.js';

/** A new installation's library: the default tags, once (a retired one stays retired). */
export async function ensureResidentTagDefaults(db: Db) {
  await db
    .insert(residentTags)
    .values(defaultResidentTags.map((name, i) => ({ name, sort: i + 1 })))
    .onConflictDoNothing();
}

export async function listResidentTags(db: Db, opts: { all?: boolean } = {}) {
  const rows = await queryRows<{
    id: number;
    name: string;
    description: string | null;
    sort: number;
    retired: boolean;
    residents: number;
  }>(
    db,
    // How many carry each tag is for the library page (all); the pickers only need the names.
    sql`select t.id, t.name, t.description, t.sort, t.retired_at is not null as retired,
        ${opts.all ? sql`(select count(*)::int from ${residents} r where r.tags @> array[t.name])` : sql`0`} as residents
      from ${residentTags} t
      ${opts.all ? sql`` : sql`where t.retired_at is null`}
      order by t.retired_at is not null, t.sort, t.id`,
  );
  return rows;
}

/** Tags a resident may be given: each must be in the library and not retired. */
export async function assertKnownTags(db: Db, tags: string[] | undefined, keep: string[] = []) {
  if (!tags?.length) return;
  const known = new Set(
    (
      await db
        .select({ name: residentTags.name })
        .from(residentTags)
        .where(sql`${residentTags.retiredAt} is null`)
    ).map((t) => t.name),
  );
  // A tag retired since it was given stays on the resident when other fields are edited.
  const unknown = tags.filter((t) => !known.has(t) && !keep.includes(t));
  if (unknown.length) throw fieldError('tags', 'known', 'RESIDENT_TAG_UNKNOWN', { tags: unknown.join('、') });
}

/** The names of the library's active tags, for imports that check many rows. */
export async function activeTagNames(db: Db): Promise<Set<string>> {
  const rows = await db
    .select({ name: residentTags.name })
    .from(residentTags)
    .where(sql`${residentTags.retiredAt} is null`)
    .orderBy(asc(residentTags.sort));
  return new Set(rows.map((r) => r.name));
}

export async function createResidentTag(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  input: z.infer<typeof residentTagInput>,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(residentTags)
      .values({ name: input.name, description: input.description ?? null, sort: input.sort ?? 100 })
      .onConflictDoNothing({ target: residentTags.name })
      .returning();
    if (!row) throw fieldError('name', 'unique', 'RESIDENT_TAG_TAKEN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'residentTag.created',
      targetType: 'residentTag',
      targetId: row.id,
    });
    return row;
  });
}

/** Renaming carries the new name to every resident who carries the old one, in the same transaction. */
export async function updateResidentTag(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  id: number,
  patch: z.infer<typeof residentTagPatch>,
) {
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(residentTags).where(eq(residentTags.id, id)).for('update');
    if (!old) throw new AppError('NOT_FOUND');
    const renamed = patch.name !== undefined && patch.name !== old.name;
    if (renamed) {
      const [clash] = await tx
        .select()
        .from(residentTags)
        .where(eq(residentTags.name, patch.name as string));
      if (clash) throw fieldError('name', 'unique', 'RESIDENT_TAG_TAKEN');
    }
    await tx
      .update(residentTags)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(patch.retired !== undefined
          ? { retiredAt: patch.retired ? (old.retiredAt ?? new Date()) : null }
          : {}),
      })
      .where(eq(residentTags.id, id));
    let carried = 0;
    if (renamed) {
      const moved = await tx
        .update(residents)
        .set({
          tags: sql`array_replace(${residents.tags}, ${old.name}, ${patch.name})`,
          updatedAt: new Date(),
        })
        .where(sql`${residents.tags} @> array[${old.name}]::text[]`)
        .returning({ id: residents.id });
      carried = moved.length;
    }
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'residentTag.updated',
      targetType: 'residentTag',
      targetId: id,
      payload: { fields: Object.keys(patch), residentsRenamed: carried },
    });
    return { carried };
  });
}
