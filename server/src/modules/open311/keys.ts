import { randomBytes } from 'node:crypto';
import type { Open311Key } from '@civicgrid/core/api/integrations';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { open311Keys } from './tables.js';

export type Open311KeyRow = typeof open311Keys.$inferSelect;

/** Recognisable in a leaked log or a repository scan, as GitHub's and Stripe's keys are. */
const keyPrefix = 'o311_';

function present(r: Open311KeyRow): Open311Key {
  return {
    id: r.id,
    name: r.name,
    hint: r.keyHint,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    uses: r.uses,
  };
}

/** A new key for one outside client: the key is returned this once, only its hash is kept. */
export async function createKey(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  name: string,
  meta: RequestMeta,
): Promise<{ id: string; name: string; key: string }> {
  const key = `${keyPrefix}${randomBytes(24).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(open311Keys)
      .values({ name, keyHash: crypto.tokenHash(key), keyHint: key.slice(-4), createdBy: actor.userId })
      .returning();
    if (!row) throw new AppError('INTERNAL');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'open311.keyCreated',
      targetType: 'open311Key',
      targetId: row.id,
      payload: { name },
    });
    return { id: row.id, name: row.name, key };
  });
}

export async function listKeys(db: Db, page: number, pageSize: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(open311Keys)
      .orderBy(sql`${open311Keys.revokedAt} is not null`, desc(open311Keys.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(open311Keys),
  ]);
  return { items: rows.map(present), total: Number(total?.n ?? 0) };
}

/** Revoking twice is a no-op (204 again), as deleting a thing already gone. */
export async function revokeKey(db: Db, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(open311Keys).where(eq(open311Keys.id, id)).for('update');
    if (!row) throw new AppError('OPEN311_KEY_UNKNOWN');
    if (row.revokedAt) return;
    await tx.update(open311Keys).set({ revokedAt: new Date() }).where(eq(open311Keys.id, id));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'open311.keyRevoked',
      targetType: 'open311Key',
      targetId: id,
    });
  });
}

/** The live key a client sent, or null (unknown, malformed or revoked: the client cannot tell which). */
export async function liveKey(db: Db, crypto: FieldCrypto, key: string): Promise<Open311KeyRow | null> {
  if (!key.startsWith(keyPrefix) || key.length > 100) return null;
  const [row] = await db
    .select()
    .from(open311Keys)
    .where(and(eq(open311Keys.keyHash, crypto.tokenHash(key)), isNull(open311Keys.revokedAt)));
  return row ?? null;
}
