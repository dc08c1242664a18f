import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 实有房屋 at standard addresses. A building's code is its grid's 15-digit code and a
 * 3-digit number; a housing unit's code adds 单元 (2), floor (2) and room (2) digits,
 * so an address code reads community → grid → building → unit → floor → room.
 */
export const buildings = pgTable(
  'buildings',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    type: text('type').notNull().default('residential'),
    floors: integer('floors').notNull().default(1),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('buildings_code_idx').on(t.code),
    uniqueIndex('buildings_grid_name_idx').on(t.gridId, t.name),
    index('buildings_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('buildings_grid_idx').on(t.gridId),
  ],
);

export const housingUnits = pgTable(
  'housing_units',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    buildingId: integer('building_id')
      .notNull()
      .references(() => buildings.id),
    unitNo: integer('unit_no').notNull(),
    floor: integer('floor').notNull(),
    room: text('room').notNull(),
    use: text('use').notNull().default('ownerOccupied'),
    area: real('area'),
    orgPath: text('org_path').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('housing_units_code_idx').on(t.code),
    index('housing_units_building_idx').on(t.buildingId, t.unitNo, t.floor, t.room),
    index('housing_units_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/** 户: the people who live together; the head is the member whose relation is 户主. */
export const households = pgTable(
  'households',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    housingUnitId: integer('housing_unit_id').references(() => housingUnits.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull().default('family'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('households_code_idx').on(t.code),
    index('households_unit_idx').on(t.housingUnitId),
    index('households_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/**
 * 实有单位. The unified social credit code (GB 32100) is checked by its check character and
 * is the import's upsert key; the contact's phone is personal data, stored like residents'.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull(),
    kind: text('kind').notNull(),
    address: text('address').notNull(),
    buildingId: integer('building_id').references(() => buildings.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    contactName: text('contact_name'),
    contactPhoneEnc: text('contact_phone_enc'),
    contactPhoneIdx: text('contact_phone_idx'),
    employees: integer('employees'),
    notes: text('notes'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_credit_code_idx').on(t.creditCode),
    index('organizations_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('organizations_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

/**
 * 城市部件 after GB/T 30428.2: a 16-digit identification code = county code (6) + type
 * code (4: major class 2 + minor class 2) + serial (6); a point and a state.
 */
export const facilities = pgTable(
  'facilities',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    typeCode: text('type_code').notNull(),
    name: text('name').notNull(),
    state: text('state').notNull().default('normal'),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    owner: text('owner'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('facilities_code_idx').on(t.code),
    index('facilities_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);
