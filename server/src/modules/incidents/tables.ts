import type { incidentLevels, incidentTypes, logKinds, notifiedAs } from '@civicgrid/core/api/incidents';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 值班表: who is on duty at a unit on a day (`onCall`) and its leaders on duty (`leader`,
 * 带班领导). One row per person and role and day; a unit's day is replaced whole.
 */
export const onCallRosters = pgTable(
  'on_call_rosters',
  {
    id: serial('id').primaryKey(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    day: date('day', { mode: 'string' }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['onCall', 'leader'] }).notNull(),
  },
  (t) => [uniqueIndex('on_call_rosters_idx').on(t.orgUnitId, t.day, t.userId, t.role)],
);

/** 突发事件: reported at a unit (its path scopes it), commanded until closed with a summary. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    type: text('type').notNull().$type<(typeof incidentTypes)[number]>(),
    level: text('level').notNull().$type<(typeof incidentLevels)[number]>(),
    description: text('description').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    gridId: integer('grid_id').references(() => orgUnits.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    status: text('status', { enum: ['active', 'closed'] }).notNull(),
    summary: text('summary'),
    reportedBy: uuid('reported_by')
      .notNull()
      .references(() => users.id),
    reportedAt: ts('reported_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('incidents_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('incidents_reported_idx').on(t.reportedAt),
  ],
);

/**
 * Who was told of an incident, once each (the unique pair is the promise: a retry or a person
 * on two lists gets one notice), and when he acknowledged it.
 */
export const incidentNotifications = pgTable(
  'incident_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    notifiedAs: text('notified_as').notNull().$type<(typeof notifiedAs)[number]>(),
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    notifiedAt: ts('notified_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    uniqueIndex('incident_notifications_once_idx').on(t.incidentId, t.userId),
    index('incident_notifications_user_idx').on(t.userId),
  ],
);

/** 指挥日志: reports, orders and resources, in order. */
export const incidentLogs = pgTable(
  'incident_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    kind: text('kind').notNull().$type<(typeof logKinds)[number]>(),
    text: text('text').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('incident_logs_incident_idx').on(t.incidentId, t.at)],
);

/** Tasks given to departments during the response, each with its deadline. */
export const incidentTasks = pgTable(
  'incident_tasks',
  {
    id: serial('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    title: text('title').notNull(),
    dueAt: ts('due_at').notNull(),
    doneAt: ts('done_at'),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('incident_tasks_incident_idx').on(t.incidentId)],
);
