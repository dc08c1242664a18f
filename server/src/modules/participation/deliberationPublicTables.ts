import type { CouncilMemberCategory } from '@civicgrid/core/participation/councils';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { deliberations } from './tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 居民建议: a resident's suggestion to his community, supported (附议) by its residents; the
 * community turns one into a deliberation proposal (`deliberationId`, once). `supportCount` is
 * kept with the supports in the same transaction, so a list sorts by it without counting.
 */
export const deliberationSuggestions = pgTable(
  'deliberation_suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    postedBy: uuid('posted_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    supportCount: integer('support_count').notNull().default(0),
    deliberationId: uuid('deliberation_id').references(() => deliberations.id),
    proposedAt: ts('proposed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deliberation_suggestions_idempotency_idx').on(t.postedBy, t.idempotencyKey),
    uniqueIndex('deliberation_suggestions_deliberation_idx').on(t.deliberationId),
    index('deliberation_suggestions_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('deliberation_suggestions_support_idx').on(t.orgUnitId, t.supportCount),
    check('deliberation_suggestions_support_check', sql`${t.supportCount} >= 0`),
  ],
);

/** One support (附议) per resident per suggestion: the primary key makes a burst count once. */
export const deliberationSupports = pgTable(
  'deliberation_supports',
  {
    suggestionId: uuid('suggestion_id')
      .notNull()
      .references(() => deliberationSuggestions.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.suggestionId, t.userId] })],
);

/**
 * 居民群众全程监督: a signed-in resident's comment on a deliberation's public page. Staff hide an
 * abusive one (`hiddenReason` a code, `hiddenNote` for the trail of the console); hidden, it
 * leaves the public page.
 */
export const deliberationComments = pgTable(
  'deliberation_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliberationId: uuid('deliberation_id')
      .notNull()
      .references(() => deliberations.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    hiddenAt: ts('hidden_at'),
    hiddenBy: uuid('hidden_by').references(() => users.id),
    hiddenReason: text('hidden_reason'),
    hiddenNote: text('hidden_note'),
  },
  (t) => [
    uniqueIndex('deliberation_comments_idempotency_idx').on(t.authorId, t.idempotencyKey),
    index('deliberation_comments_deliberation_idx').on(t.deliberationId, t.createdAt),
  ],
);

/** 街道议事会: one council per street, with its current term. */
export const streetCouncils = pgTable(
  'street_councils',
  {
    id: serial('id').primaryKey(),
    streetId: integer('street_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    termStart: text('term_start').notNull(),
    termEnd: text('term_end').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('street_councils_street_idx').on(t.streetId),
    index('street_councils_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/** A member of a street council, by category (人大代表, 政协委员, 居民代表 …); `leftAt` ends his seat. */
export const streetCouncilMembers = pgTable(
  'street_council_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: integer('council_id')
      .notNull()
      .references(() => streetCouncils.id),
    name: text('name').notNull(),
    category: text('category').notNull().$type<CouncilMemberCategory>(),
    /** Where he comes from: his unit, organization or community. */
    affiliation: text('affiliation'),
    phoneEnc: text('phone_enc'),
    phoneTail: text('phone_tail'),
    joinedOn: text('joined_on').notNull(),
    leftAt: ts('left_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('street_council_members_council_idx').on(t.councilId)],
);

/** Who of the council came to a street-level deliberation's meeting (the latest one held). */
export const deliberationAttendances = pgTable(
  'deliberation_attendances',
  {
    deliberationId: uuid('deliberation_id')
      .notNull()
      .references(() => deliberations.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => streetCouncilMembers.id),
  },
  (t) => [primaryKey({ columns: [t.deliberationId, t.memberId] })],
);
