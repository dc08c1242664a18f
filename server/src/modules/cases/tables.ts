import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** 事件分类: hierarchical; the leaf decides the handler, the clock and the deadlines. */
export const caseCategories = pgTable(
  'case_categories',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    handlerKind: text('handler_kind', {
      enum: ['department', 'grid', 'community', 'street', 'district'],
    }).notNull(),
    handlerDepartmentId: integer('handler_department_id').references(() => departments.id),
    clock: text('clock', { enum: ['working', 'natural'] })
      .notNull()
      .default('working'),
    acceptMinutes: integer('accept_minutes'),
    dispatchMinutes: integer('dispatch_minutes'),
    resolveMinutes: integer('resolve_minutes'),
    priority: text('priority', { enum: ['normal', 'urgent', 'emergency'] })
      .notNull()
      .default('normal'),
    selfResolvable: boolean('self_resolvable').notNull().default(false),
    autoEscalate: boolean('auto_escalate').notNull().default(true),
    /** Its reports appear on the public map (issue 17 item 6); off until an admin opens it. */
    publicMap: boolean('public_map').notNull().default(false),
    sort: integer('sort').notNull().default(0),
    retiredAt: ts('retired_at'),
  },
  (t) => [index('case_categories_parent_idx').on(t.parentCode)],
);

/** Public holidays and adjusted working days (调休); every other day follows the week. */
export const calendarDays = pgTable('calendar_days', {
  day: text('day').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name'),
});

/**
 * One row per case, whatever the channel. `orgPath` is the path of the grid the location
 * fell in (or the district's, for the pool): the case's place in the jurisdiction.
 * The handling unit is the level that accepts, dispatches and verifies it now.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    status: text('status').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => caseCategories.code),
    channel: text('channel').notNull(),
    priority: text('priority').notNull().default('normal'),
    description: text('description').notNull(),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    gridId: integer('grid_id').references(() => orgUnits.id),
    communityId: integer('community_id').references(() => orgUnits.id),
    streetId: integer('street_id').references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    handlingUnitId: integer('handling_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    assigneeKind: text('assignee_kind', { enum: ['department', 'orgUnit', 'user'] }),
    assigneeDepartmentId: integer('assignee_department_id').references(() => departments.id),
    assigneeUnitId: integer('assignee_unit_id').references(() => orgUnits.id),
    assigneeUserId: uuid('assignee_user_id'),
    /** Every department the case was ever dispatched to: they keep seeing it. */
    departmentIds: integer('department_ids').array().notNull().default(sql`'{}'::integer[]`),
    reporterName: text('reporter_name'),
    /** Encrypted at rest; looked up by the keyed blind index. */
    reporterPhoneEnc: text('reporter_phone_enc'),
    reporterPhoneIdx: text('reporter_phone_idx'),
    reporterUserId: uuid('reporter_user_id'),
    createdBy: uuid('created_by'),
    idempotencyKey: text('idempotency_key').notNull(),
    step: text('step', { enum: ['accept', 'dispatch', 'resolve', 'none'] }).notNull(),
    dueAt: ts('due_at'),
    warnAt: ts('warn_at'),
    warned: boolean('warned').notNull().default(false),
    overdue: boolean('overdue').notNull().default(false),
    /** Set once any step ran late; kept for the metrics. */
    everOverdue: boolean('ever_overdue').notNull().default(false),
    /** The reporter allowed the description on the public map ("公开描述", asked when reporting). */
    publicDescription: boolean('public_description').notNull().default(false),
    acceptBy: ts('accept_by'),
    dispatchBy: ts('dispatch_by'),
    resolveBy: ts('resolve_by'),
    supervised: boolean('supervised').notNull().default(false),
    supervision: jsonb('supervision').$type<{ order: string; deadline: string; by: string }>(),
    supervisionDueAt: ts('supervision_due_at'),
    extension: jsonb('extension').$type<{
      reason: string;
      until: string;
      requestedBy: string;
      requestedAt: string;
    }>(),
    reworkCount: smallint('rework_count').notNull().default(0),
    escalations: smallint('escalations').notNull().default(0),
    resolvedAtLevel: text('resolved_at_level'),
    resolvedOnTime: boolean('resolved_on_time'),
    rating: text('rating'),
    ratingComment: text('rating_comment'),
    mergedInto: uuid('merged_into'),
    reportedAt: ts('reported_at').notNull().defaultNow(),
    acceptedAt: ts('accepted_at'),
    dispatchedAt: ts('dispatched_at'),
    claimedAt: ts('claimed_at'),
    resolvedAt: ts('resolved_at'),
    verifiedAt: ts('verified_at'),
    closedAt: ts('closed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // A key is the reporter's own: the same key from another user or channel is a new key,
    // never a way to read someone else's case.
    uniqueIndex('cases_idempotency_idx').on(t.createdBy, t.channel, t.idempotencyKey),
    index('cases_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.reportedAt),
    index('cases_reported_idx').on(t.reportedAt),
    index('cases_status_idx').on(t.status, t.reportedAt),
    index('cases_category_idx').on(t.categoryCode, t.reportedAt),
    index('cases_handling_idx').on(t.handlingUnitId, t.status),
    index('cases_due_idx').on(t.dueAt).where(sql`${t.step} <> 'none'`),
    // An area's open cases late or supervised now (the metrics' open flags): read in the
    // index, not among every open case of the city (city bench: 0.85 s → ms).
    index('cases_open_path_idx')
      .using('btree', sql`${t.orgPath} text_pattern_ops`, t.dueAt, t.reportedAt, t.supervised)
      .where(sql`${t.step} <> 'none'`),
    index('cases_departments_idx').using('gin', t.departmentIds),
    index('cases_reporter_idx').on(t.reporterUserId),
    index('cases_location_idx').on(t.categoryCode, t.lat, t.lng),
    index('cases_description_trgm_idx').using('gin', sql`${t.description} gin_trgm_ops`),
  ],
);

/** The full trail (全程留痕): one row per action, written with the change. */
export const caseEvents = pgTable(
  'case_events',
  {
    /** Unique by its sequence; the primary key has `at` too, as partitioning by month requires. */
    id: bigserial('id', { mode: 'number' }).notNull(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    /** The org level (or department) the actor acted for. */
    actorUnit: text('actor_unit'),
    at: ts('at').notNull().defaultNow(),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    attachmentIds: uuid('attachment_ids').array(),
    /** The Idempotency-Key an action was sent with: sent again, it is not done twice. */
    clientKey: text('client_key'),
  },
  (t) => [
    // Partitioned by month on `at` (migration history_partitions; platform/partitions.ts).
    primaryKey({ columns: [t.id, t.at] }),
    index('case_events_case_idx').on(t.caseId, t.id),
    index('case_events_at_idx').on(t.at),
    // The scorecards read one kind of action over a period (follow-ups, failed verifications, rejections).
    index('case_events_action_at_idx').on(t.action, t.at),
    // Looked up by actionDone; a key is used once because performAction checks it under the case's row lock
    // (a unique index of a partitioned table would have to include `at`, and so would not stop a repeat).
    index('case_events_client_key_idx').on(t.caseId, t.actorId, t.clientKey),
  ],
);

/** Uploaded files (photos), content-checked; bound to a case or event once used. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    ownerId: uuid('owner_id').notNull(),
    caseId: uuid('case_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('files_case_idx').on(t.caseId), index('files_owner_idx').on(t.ownerId, t.createdAt)],
);

/** In-app notifications, pushed live over SSE. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    caseId: uuid('case_id'),
    /** What it is about: a case or an application (caseId stays set for a case, as before). */
    subjectType: text('subject_type', { enum: ['case', 'application'] }),
    subjectId: uuid('subject_id'),
    /** The page the recipient's surface opens for it: /cases/{id}, /applications/{id}, /r/… */
    link: text('link'),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.id)],
);

/**
 * Daily roll-ups of the cases for district-wide indicators, kept by a trigger on `cases`
 * (migration 0002) in the same transaction as every change: a year of a district is then
 * tens of thousands of rows instead of a million. `day` is the China date of reporting.
 * Per street and status: every counter of the indicators.
 */
export const caseStatsArea = pgTable(
  'case_stats_area',
  {
    day: text('day').notNull(),
    districtId: integer('district_id').notNull(),
    streetId: integer('street_id').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull().default(0),
    closedOnTime: integer('closed_on_time').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    verified: integer('verified').notNull().default(0),
    reworked: integer('reworked').notNull().default(0),
    rated: integer('rated').notNull().default(0),
    satisfied: integer('satisfied').notNull().default(0),
    gridClosed: integer('grid_closed').notNull().default(0),
    acceptS: doublePrecision('accept_s').notNull().default(0),
    acceptN: integer('accept_n').notNull().default(0),
    dispatchS: doublePrecision('dispatch_s').notNull().default(0),
    dispatchN: integer('dispatch_n').notNull().default(0),
    claimS: doublePrecision('claim_s').notNull().default(0),
    claimN: integer('claim_n').notNull().default(0),
    resolveS: doublePrecision('resolve_s').notNull().default(0),
    resolveN: integer('resolve_n').notNull().default(0),
    closeS: doublePrecision('close_s').notNull().default(0),
    closeN: integer('close_n').notNull().default(0),
    /** Cases now overdue / under supervision (with `status`, the open ones are today's tiles). */
    overdue: integer('overdue').notNull().default(0),
    supervised: integer('supervised').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.day, t.streetId, t.status] })],
);

/**
 * Per district, report day, street and department the case was ever dispatched to: the
 * department ranking without reading the cases (kept by the same trigger).
 */
export const caseStatsDepartment = pgTable(
  'case_stats_department',
  {
    day: text('day').notNull(),
    districtId: integer('district_id').notNull(),
    streetId: integer('street_id').notNull(),
    departmentId: integer('department_id').notNull(),
    n: integer('n').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    closedOnTime: integer('closed_on_time').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.day, t.streetId, t.departmentId] })],
);

/** Closed cases per district, street and China day of closing: the "closed" line of the trend. */
export const caseStatsClosed = pgTable(
  'case_stats_closed',
  {
    day: text('day').notNull(),
    districtId: integer('district_id').notNull(),
    streetId: integer('street_id').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.day, t.streetId] })],
);

/** Per district, day and category or channel: the counts of the two breakdowns. */
export const caseStatsDimension = pgTable(
  'case_stats_dimension',
  {
    day: text('day').notNull(),
    districtId: integer('district_id').notNull(),
    dimension: text('dimension', { enum: ['category', 'channel'] }).notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.day, t.dimension, t.key] })],
);
