import { createHmac, timingSafeEqual } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db.js';
import { auditDetachments, type DetachedLink } from './detachTables.js';
import { type AuditSeal, auditLockKey, genesisHash } from './trail.js';

/**
 * Detaching a month of the audit trail (after AUDIT_RETENTION_MONTHS, ≥ 6 as 等保 requires)
 * takes its rows out of the walk, so before it goes the chain's link at the cut is recorded,
 * signed with the audit key: `verifyAuditChain` starts from that link instead of genesis. The
 * detached partition stays a plain table (`audit_log_YYYYMM`), verifiable on its own when it
 * is read back from the archive.
 *
 * Chain order is link order, not time order: near a month's end a row of the old month can be
 * linked after rows of the new one. The cut (`prefix_seq`) is the position just before the
 * first row that stays attached; detached rows beyond it keep their links (`stragglers`), so
 * the walk can step over them.
 */

type Detachment = typeof auditDetachments.$inferSelect;
type Unsigned = Pick<
  Detachment,
  'partition' | 'prefixSeq' | 'prefixHash' | 'prefixKeyed' | 'stragglers' | 'rowCount'
>;

function detachmentSignature(seal: AuditSeal, d: Unsigned): Buffer {
  const key = createHmac(seal.mac, seal.key).update('civicgrid audit detachment v1').digest();
  return createHmac(seal.mac, key)
    .update(
      JSON.stringify([
        d.partition,
        d.prefixSeq,
        d.prefixHash,
        d.prefixKeyed,
        // As arrays: jsonb gives the objects back with their keys in its own order.
        d.stragglers.map((l) => [l.id, l.seq, l.prev, l.hash]),
        d.rowCount,
      ]),
    )
    .digest();
}

export function detachmentValid(seal: AuditSeal, d: Detachment): boolean {
  if (d.keyId !== seal.keyId || !/^[0-9a-f]{64}$/.test(d.sig)) return false;
  return timingSafeEqual(detachmentSignature(seal, d), Buffer.from(d.sig, 'hex'));
}

/** The newest detachment (the furthest cut), or null when none was made. */
export async function latestDetachment(db: Db): Promise<Detachment | null> {
  const [d] = await db
    .select()
    .from(auditDetachments)
    .orderBy(desc(auditDetachments.prefixSeq), desc(auditDetachments.id))
    .limit(1);
  return d ?? null;
}

/**
 * Records the cut for detaching partition `name` (rows with `at` before `to`), in the
 * detaching transaction and under the chain's lock so the appender links nothing meanwhile.
 * Returns false — the partition stays — when it still holds rows waiting to be linked, or
 * when nothing would stay attached after it (the chain's head must stay in the table).
 */
export async function recordAuditDetachment(
  tx: Db,
  seal: AuditSeal,
  p: { name: string; from: Date; to: Date },
  now = new Date(),
): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(${auditLockKey})`);
  const part = sql.identifier(p.name);
  const [stats] = await queryRows<{ n: number; unchained: number }>(
    tx,
    sql`select count(*)::int as n, count(*) filter (where chain_seq is null)::int as unchained from ${part}`,
  );
  if (Number(stats?.unchained ?? 0) > 0) return false;
  const [kept] = await queryRows<{ first: number | string | null; head: number | string | null }>(
    tx,
    sql`select min(chain_seq) as first, max(chain_seq) as head from audit_log where at >= ${p.to.toISOString()}`,
  );
  if (kept?.first === null || kept?.first === undefined) return false;
  const prefixSeq = Number(kept.first) - 1;
  const previous = await latestDetachment(tx);
  const mine = await queryRows<{
    id: number | string;
    seq: number | string;
    prev: string;
    hash: string;
    key: string | null;
  }>(
    tx,
    sql`select id, chain_seq as seq, prev_hash as prev, hash, key_id as key from ${part}
        where chain_seq >= ${prefixSeq} order by chain_seq`,
  );
  // The appender continues from the head in the table: the head must not leave with the month.
  if (mine.some((r) => Number(r.seq) > Number(kept.head))) return false;
  const links: (DetachedLink & { keyed: boolean })[] = [
    ...(previous?.stragglers ?? []).map((s) => ({ ...s, keyed: true })),
    ...mine.map((r) => ({
      id: Number(r.id),
      seq: Number(r.seq),
      prev: r.prev,
      hash: r.hash,
      keyed: r.key !== null,
    })),
  ];
  let prefixHash: string;
  let prefixKeyed: boolean;
  const atCut = links.find((l) => l.seq === prefixSeq);
  if (atCut) {
    prefixHash = atCut.hash;
    prefixKeyed = atCut.keyed;
  } else if (previous && previous.prefixSeq === prefixSeq) {
    prefixHash = previous.prefixHash;
    prefixKeyed = previous.prefixKeyed;
  } else if (prefixSeq === 0) {
    prefixHash = genesisHash;
    prefixKeyed = false;
  } else return false;
  const unsigned: Unsigned = {
    partition: p.name,
    prefixSeq,
    prefixHash,
    prefixKeyed,
    stragglers: links.filter((l) => l.seq > prefixSeq).map(({ keyed: _k, ...l }) => l),
    rowCount: Number(stats?.n ?? 0),
  };
  await tx.insert(auditDetachments).values({
    ...unsigned,
    monthStart: p.from.toISOString(),
    detachedAt: now.toISOString(),
    keyId: seal.keyId,
    sig: detachmentSignature(seal, unsigned).toString('hex'),
  });
  return true;
}
