import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 人口标签库: the tags residents may carry (独居老人, 残疾人…), kept by an admin. A rename
 * is carried to every resident; a retired tag stays where it is but is no longer given.
 */
export const residentTags = pgTable('resident_tags', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description'),
  sort: integer('sort').notNull().default(0),
  retiredAt: ts('retired_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * 实有人口. ID and phone numbers are stored encrypted (DESIGN.md §6) and found through
 * keyed blind indexes; birth date, sex and birthplace are derived from the ID number.
 */
export const residents = pgTable(
  'residents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idNumberIdx: text('id_number_idx').notNull(),
    /** The last four characters, for masked display without decrypting. */
    idNumberTail: text('id_number_tail').notNull(),
    phoneEnc: text('phone_enc'),
    phoneIdx: text('phone_idx'),
    sex: text('sex', { enum: ['male', 'female'] }).notNull(),
    birthDate: text('birth_date').notNull(),
    birthplaceCode: text('birthplace_code').notNull(),
    residenceType: text('residence_type').notNull().default('registered'),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    /** The household (and through it the housing unit); a plain integer to keep modules apart. */
    householdId: integer('household_id'),
    relationToHead: text('relation_to_head'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('residents_id_number_idx').on(t.idNumberIdx),
    index('residents_phone_idx').on(t.phoneIdx),
    index('residents_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('residents_name_prefix_idx').using('btree', sql`${t.name} text_pattern_ops`),
    index('residents_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('residents_tags_idx').using('gin', t.tags),
    index('residents_birth_idx').on(t.birthDate),
    index('residents_household_idx').on(t.householdId),
  ],
);

/** Moving a resident keeps the history: where from, where to, when, by whom. */
export const residentMoves = pgTable(
  'resident_moves',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id),
    fromGridId: integer('from_grid_id'),
    toGridId: integer('to_grid_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    byName: text('by_name').notNull(),
    note: text('note'),
  },
  (t) => [index('resident_moves_resident_idx').on(t.residentId, t.id)],
);
