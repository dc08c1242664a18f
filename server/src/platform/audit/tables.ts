import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The audit trail: append-only and hash-chained. Each row's `hash` is an HMAC, with the
 * audit key kept outside the database, over the previous row's hash and this row's
 * content, so changing or deleting a row breaks every hash after it and only the key
 * holder could recompute them; signed anchors of the head, kept outside the table, catch
 * cut-off tails (`npm run audit:verify`). Rows from before the key have plain SHA-256.
 *
 * Writers insert rows unchained (chain_seq, prev_hash and hash null, sealed by an entry MAC)
 * without any lock; the appender (chain.ts) links them in the order it sees them committed,
 * numbering chain_seq 1, 2, 3…: the chain is walked in chain_seq order, not id order.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /** Unique by its sequence; the primary key has `at` too, as partitioning by month requires. */
    id: bigserial('id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** Null until the appender links the row (chain.ts). */
    prevHash: text('prev_hash'),
    hash: text('hash'),
    /** The row's place in the chain, 1, 2, 3… in link order; null until linked. */
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    /**
     * The writer's HMAC of the row's content under the audit key (a key derived for entries),
     * so the appender links only rows a key holder wrote. Null on rows linked as they were
     * written (before the appender).
     */
    entryMac: text('entry_mac'),
    /**
     * Which audit key sealed the row (HMAC over the chain). Null only for rows written
     * before the chain was keyed; once a keyed row exists no unkeyed row may follow.
     */
    keyId: text('key_id'),
  },
  (t) => [
    // Partitioned by month on `at` (migration history_partitions; platform/partitions.ts).
    primaryKey({ columns: [t.id, t.at] }),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_action_idx').on(t.action),
    // One appender at a time numbers the chain (chain.ts); a partitioned unique must hold `at`.
    uniqueIndex('audit_log_chain_seq_idx').on(t.chainSeq, t.at),
    // What the appender looks for: small, as rows are linked within a second or so.
    index('audit_log_unchained_idx').on(t.id).where(sql`chain_seq is null`),
  ],
);
