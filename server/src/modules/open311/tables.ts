import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { cases } from '../cases/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Open311 API keys, one per outside client, issued by an admin. Only the key's hash is kept
 * (the key is shown once); a revoked key stays for the audit trail's references.
 */
export const open311Keys = pgTable('open311_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  /** The key's last four characters, so an admin can tell keys apart without the key. */
  keyHint: text('key_hint').notNull(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  lastUsedAt: ts('last_used_at'),
  uses: integer('uses').notNull().default(0),
});

/**
 * A service request posted through Open311: the case it became, the client that posted it,
 * and what GeoReport carries that a case does not (media_url, attribute values). `token` is
 * the GeoReport token (tokens/{token}).
 */
export const open311Requests = pgTable(
  'open311_requests',
  {
    token: uuid('token').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .unique()
      .references(() => cases.id),
    keyId: uuid('key_id')
      .notNull()
      .references(() => open311Keys.id),
    serviceCode: text('service_code').notNull(),
    mediaUrl: text('media_url'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('open311_requests_key_idx').on(t.keyId, t.createdAt)],
);
