import type { AlertKind, SafeArea, Thresholds } from '@civicgrid/core/api/eldercare';
import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/tables.js';
import { residents } from '../residents/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 老人档案: the care profile of an elder (a resident aged 60+). Chronic conditions are health
 * data: encrypted, read only by the elder's grid team, the community's care staff and the
 * dispatcher, every read audited.
 */
export const elderProfiles = pgTable('elder_profiles', {
  residentId: uuid('resident_id')
    .primaryKey()
    .references(() => residents.id),
  orgPath: text('org_path').notNull(),
  livingAlone: boolean('living_alone').notNull().default(false),
  emptyNest: boolean('empty_nest').notNull().default(false),
  disability: boolean('disability').notNull().default(false),
  careLevel: text('care_level').notNull().default('selfCare'),
  mobility: text('mobility').notNull().default('independent'),
  chronicEnc: text('chronic_enc'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Family and neighbour contacts of an elder, in the order they are called; phones encrypted. */
export const elderContacts = pgTable(
  'elder_contacts',
  {
    id: serial('id').primaryKey(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id),
    sort: integer('sort').notNull(),
    name: text('name').notNull(),
    relation: text('relation').notNull(),
    kind: text('kind', { enum: ['family', 'neighbour'] }).notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneTail: text('phone_tail').notNull(),
  },
  (t) => [index('elder_contacts_resident_idx').on(t.residentId, t.sort)],
);

/**
 * 智能终端: a wearable bound to one elder. The secret is stored as a keyed hash (the blind
 * index), so a leaked table opens no device; the last reading is kept on the row for the map.
 */
export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    imei: text('imei').notNull(),
    model: text('model').notNull(),
    sim: text('sim'),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    secretHash: text('secret_hash').notNull(),
    safeArea: jsonb('safe_area').$type<SafeArea>(),
    thresholds: jsonb('thresholds').$type<Thresholds>().notNull(),
    intervalS: integer('interval_s').notNull().default(60),
    lastSeenAt: ts('last_seen_at'),
    lastLat: doublePrecision('last_lat'),
    lastLng: doublePrecision('last_lng'),
    lastHr: integer('last_hr'),
    lastBpSys: integer('last_bp_sys'),
    lastBpDia: integer('last_bp_dia'),
    lastBattery: doublePrecision('last_battery'),
    /** Readings in a row outside the thresholds, and whether the last position was outside the area. */
    vitalsStreak: integer('vitals_streak').notNull().default(0),
    outsideArea: boolean('outside_area').notNull().default(false),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    retiredAt: ts('retired_at'),
  },
  (t) => [
    uniqueIndex('devices_imei_idx').on(t.imei),
    index('devices_org_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/**
 * 告警. One open (not closed) alert per device and kind: a unique partial index, so a second
 * SOS while the first is open counts as a repeat of it instead of a new alert and a new case.
 */
export const deviceAlerts = pgTable(
  'device_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    kind: text('kind').$type<AlertKind>().notNull(),
    status: text('status', { enum: ['open', 'acknowledged', 'closed'] })
      .notNull()
      .default('open'),
    orgPath: text('org_path').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    detail: text('detail'),
    repeats: integer('repeats').notNull().default(0),
    caseId: uuid('case_id'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by'),
  },
  (t) => [
    uniqueIndex('device_alerts_one_open_idx').on(t.deviceId, t.kind).where(sql`${t.status} <> 'closed'`),
    index('device_alerts_status_idx').on(t.status, t.openedAt),
    index('device_alerts_org_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);
