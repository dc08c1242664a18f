import { bigint, bigserial, boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A link of the chain kept when its row went with a detached partition (see detach.ts). */
export interface DetachedLink {
  id: number;
  seq: number;
  prev: string;
  hash: string;
}

/**
 * One row per monthly partition of the audit trail detached after its retention
 * (platform/audit/detach.ts): where the attached chain now starts. Every chain position up to
 * `prefix_seq` is in detached partitions and `prefix_hash` is the hash of that position; the
 * few rows of detached months linked after rows of kept months (a transaction that committed
 * late across a month's end) keep their links in `stragglers`. Signed with the audit key, so
 * a record cannot be forged to hide deleted rows.
 */
export const auditDetachments = pgTable('audit_detachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  partition: text('partition').notNull().unique(),
  monthStart: timestamp('month_start', { withTimezone: true, mode: 'string' }).notNull(),
  detachedAt: timestamp('detached_at', { withTimezone: true, mode: 'string' }).notNull(),
  prefixSeq: bigint('prefix_seq', { mode: 'number' }).notNull(),
  prefixHash: text('prefix_hash').notNull(),
  /** Whether the row at prefix_seq was keyed: an unkeyed row after it would be out of place. */
  prefixKeyed: boolean('prefix_keyed').notNull(),
  stragglers: jsonb('stragglers').$type<DetachedLink[]>().notNull(),
  /** Rows the partition held (for the archive's check when it is read again). */
  rowCount: bigint('row_count', { mode: 'number' }).notNull(),
  keyId: text('key_id').notNull(),
  sig: text('sig').notNull(),
});
