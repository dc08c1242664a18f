import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 巡查: a grid worker's walk. The id is made on the phone, so starting a patrol offline and
 * sending it twice makes one patrol; points are numbered on the phone for the same reason.
 */
export const patrols = pgTable(
  'patrols',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    userName: text('user_name').notNull(),
    gridId: integer('grid_id').references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    distanceM: real('distance_m').notNull().default(0),
    /** Time walked, pauses excluded (seconds). */
    durationS: integer('duration_s').notNull().default(0),
    points: integer('points').notNull().default(0),
  },
  (t) => [
    index('patrols_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('patrols_user_idx').on(t.userId, t.startedAt),
    index('patrols_grid_idx').on(t.gridId, t.startedAt),
  ],
);

export const patrolPoints = pgTable(
  'patrol_points',
  {
    patrolId: uuid('patrol_id')
      .notNull()
      .references(() => patrols.id),
    seq: integer('seq').notNull(),
    at: ts('at').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    accuracy: real('accuracy'),
    /** A point after a pause starts a new segment: no line is drawn across the pause. */
    segment: integer('segment').notNull().default(0),
  },
  // Partitioned by month on `at` (migration history_partitions): the key holds it; a point resent
  // from the phone carries the same seq and time, so it is still stored once.
  (t) => [primaryKey({ columns: [t.patrolId, t.seq, t.at] })],
);

/** 工作日志: one per worker per day, pre-filled from the day's work, submitted to the community. */
export const workLogs = pgTable(
  'work_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    userName: text('user_name').notNull(),
    orgPath: text('org_path').notNull(),
    day: text('day').notNull(),
    summary: jsonb('summary').$type<Record<string, number>>().notNull(),
    notes: text('notes').notNull().default(''),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('work_logs_user_day_idx').on(t.userId, t.day),
    index('work_logs_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/** 入户走访: a grid worker's visit to a household; the id is made on the phone. */
export const householdVisits = pgTable(
  'household_visits',
  {
    id: uuid('id').primaryKey(),
    householdId: integer('household_id').notNull(),
    orgPath: text('org_path').notNull(),
    visitedAt: ts('visited_at').notNull(),
    notes: text('notes').notNull(),
    photoIds: text('photo_ids').array().notNull().default(sql`'{}'::text[]`),
    byUserId: uuid('by_user_id').notNull(),
    byName: text('by_name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('household_visits_household_idx').on(t.householdId, t.visitedAt),
    index('household_visits_user_idx').on(t.byUserId, t.visitedAt),
  ],
);
