import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The audit trail: append-only and hash-chained. Each row's `hash` is an HMAC, with the
 * audit key kept outside the database, over the previous row's hash and this row's
 * content, so changing or deleting a row breaks every hash after it and only the key
 * holder could recompute them; signed anchors of the head, kept outside the table, catch
 * cut-off tails (`npm run audit:verify`). Rows from before the key have plain SHA-256.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * Which audit key sealed the row (HMAC over the chain). Null only for rows written
     * before the chain was keyed; once a keyed row exists no unkeyed row may follow.
     */
    keyId: text('key_id'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_action_idx').on(t.action),
  ],
);
