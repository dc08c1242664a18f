import type { DeliberationState, VoteRules } from '@civicgrid/core/participation/deliberation';
import type { WishState } from '@civicgrid/core/participation/wishes';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';
import { volunteerTeams } from './volunteerTeamTables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 微心愿: a resident's small request (seed 004's 群众点单), reviewed and published by his grid
 * (网格派单), claimed and fulfilled by a party member or volunteer who reported to the
 * community (党员接单), rated by the one who posted it (反馈评价). `orgPath` is the grid's path.
 * `forResidentId` names the resident on file when a worker posted it for him; a plain uuid,
 * to keep modules apart.
 */
export const wishes = pgTable(
  'wishes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    forResidentId: uuid('for_resident_id'),
    status: text('status').notNull().$type<WishState>(),
    postedBy: uuid('posted_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    publishedAt: ts('published_at'),
    claimedBy: uuid('claimed_by').references(() => users.id),
    claimedAt: ts('claimed_at'),
    fulfilledAt: ts('fulfilled_at'),
    fulfilNote: text('fulfil_note'),
    fileIds: uuid('file_ids').array().notNull().default(sql`'{}'::uuid[]`),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    /** Told to the community for want of a claim (the escalation job); still open to claims. */
    escalatedAt: ts('escalated_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('wishes_idempotency_idx').on(t.postedBy, t.idempotencyKey),
    index('wishes_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('wishes_status_idx').on(t.status, t.publishedAt),
    index('wishes_claimed_by_idx').on(t.claimedBy),
    check('wishes_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);

/** The trail of a wish (全程留痕): one row per step. */
export const wishEvents = pgTable(
  'wish_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    wishId: uuid('wish_id')
      .notNull()
      .references(() => wishes.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('wish_events_wish_idx').on(t.wishId, t.at)],
);

/**
 * 街道吹哨: a street summons departments to a problem (a case, or one described) with a
 * deadline. `orgPath` is the street's path.
 */
export const whistles = pgTable(
  'whistles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subject: text('subject').notNull(),
    caseId: uuid('case_id'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    deadline: ts('deadline').notNull(),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('whistles_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('whistles_created_idx').on(t.createdAt),
  ],
);

/** 部门报到: each summoned department's report (null until it reports), kept with its time. */
export const whistleDepartments = pgTable(
  'whistle_departments',
  {
    whistleId: uuid('whistle_id')
      .notNull()
      .references(() => whistles.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    reportedAt: ts('reported_at'),
    reportedBy: uuid('reported_by').references(() => users.id),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.whistleId, t.departmentId] }),
    index('whistle_departments_department_idx').on(t.departmentId),
  ],
);

/**
 * 议事协商 (五步民主议事, seed 000): proposed by the party branch, decided by the representatives'
 * meeting, implemented by the committee, reviewed by a department, published for residents.
 * `orgPath` is the community's (or the street's, for a 街道议事会). The meeting and the vote are
 * kept on the row as the latest taken; every step is also on the trail.
 */
export const deliberations = pgTable(
  'deliberations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    proposal: text('proposal').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    reviewDepartmentId: integer('review_department_id').references(() => departments.id),
    rules: jsonb('rules').notNull().$type<VoteRules>(),
    status: text('status').notNull().$type<DeliberationState>(),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => users.id),
    meetingAt: ts('meeting_at'),
    meetingPlace: text('meeting_place'),
    representatives: integer('representatives'),
    attendees: integer('attendees'),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    votesAbstain: integer('votes_abstain'),
    decision: text('decision'),
    implementation: text('implementation'),
    reviewPassed: boolean('review_passed'),
    reviewNote: text('review_note'),
    publishedAt: ts('published_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('deliberations_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('deliberations_status_idx').on(t.status, t.updatedAt),
    index('deliberations_published_idx').on(t.publishedAt),
    check(
      'deliberations_attendance_check',
      sql`${t.attendees} is null or (${t.attendees} >= 0 and ${t.attendees} <= ${t.representatives})`,
    ),
    check(
      'deliberations_votes_check',
      sql`${t.votesFor} is null or ${t.votesFor} + ${t.votesAgainst} + ${t.votesAbstain} <= ${t.attendees}`,
    ),
  ],
);

/** The trail of a deliberation (全程留痕): one row per step, with its counts in `data`. */
export const deliberationEvents = pgTable(
  'deliberation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliberationId: uuid('deliberation_id')
      .notNull()
      .references(() => deliberations.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('deliberation_events_deliberation_idx').on(t.deliberationId, t.at)],
);

/**
 * 志愿者: a registered volunteer, a resident of the area (`residentId`) or from outside. The
 * phone is personal data: encrypted, found by its blind index, shown masked (DESIGN.md §6).
 * `userId` links the volunteer's own account (he signs up and checks in himself).
 */
export const volunteers = pgTable(
  'volunteers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    residentId: uuid('resident_id'),
    userId: uuid('user_id').references(() => users.id),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    availability: text('availability'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('volunteers_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    // One registration per person and community: the same phone twice is the same volunteer.
    uniqueIndex('volunteers_phone_unit_idx').on(t.phoneIdx, t.orgUnitId),
    uniqueIndex('volunteers_user_idx').on(t.userId),
  ],
);

/**
 * 双报到: a unit or an in-service party member registered with a community to serve there. The
 * phone is personal data: encrypted, shown masked by its last four digits. A member may link his
 * volunteer registration (his hours); one live registration per community, kind and name.
 */
export const dualRegistrations = pgTable(
  'dual_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull().$type<'unit' | 'member'>(),
    name: text('name').notNull(),
    employer: text('employer'),
    contactName: text('contact_name'),
    phoneEnc: text('phone_enc').notNull(),
    phoneTail: text('phone_tail').notNull(),
    services: text('services').array().notNull().default(sql`'{}'::text[]`),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    volunteerId: uuid('volunteer_id').references(() => volunteers.id),
    registeredOn: text('registered_on').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    retiredAt: ts('retired_at'),
  },
  (t) => [
    index('dual_registrations_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    uniqueIndex('dual_registrations_name_idx')
      .on(t.orgUnitId, t.kind, t.name)
      .where(sql`${t.retiredAt} is null`),
  ],
);

/** 联席会议: a community's quarterly meeting with its registrations and the service items agreed. */
export const jointMeetings = pgTable(
  'joint_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    heldOn: text('held_on').notNull(),
    place: text('place'),
    attendeeIds: uuid('attendee_ids').array().notNull(),
    items: jsonb('items').notNull().$type<{ registrationId: string; item: string }[]>(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('joint_meetings_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('joint_meetings_held_idx').on(t.heldOn),
  ],
);

/** 志愿活动: at a place (a point and a radius for GPS check-in), from start to end. */
export const volunteerActivities = pgTable(
  'volunteer_activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description'),
    placeName: text('place_name').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    radiusM: integer('radius_m').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    status: text('status').notNull().$type<'open' | 'cancelled'>(),
    capacity: integer('capacity'),
    /** The 志愿服务队 that runs it, if any: its hours count for the team. */
    teamId: uuid('team_id').references(() => volunteerTeams.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('volunteer_activities_team_idx').on(t.teamId),
    index('volunteer_activities_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('volunteer_activities_starts_idx').on(t.startsAt),
    check('volunteer_activities_time_check', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const volunteerSignUps = pgTable(
  'volunteer_sign_ups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    signedUpBy: uuid('signed_up_by').references(() => users.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.volunteerId] }),
    index('volunteer_sign_ups_volunteer_idx').on(t.volunteerId),
  ],
);

/**
 * One check-in/out pair. The minutes are credited once, at check-out, by the update that sets
 * `checked_out_at` where it was null; at most one open pair per volunteer and activity (the
 * partial unique index), so a second check-in while checked in, or two at once, cannot pass.
 */
export const volunteerAttendances = pgTable(
  'volunteer_attendances',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    checkedInAt: ts('checked_in_at').notNull(),
    /** From the place at a GPS check-in; none when he scanned the activity's code (扫码签到). */
    checkInDistanceM: integer('check_in_distance_m'),
    method: text('method').notNull().default('gps').$type<'gps' | 'qr'>(),
    checkedOutAt: ts('checked_out_at'),
    minutes: integer('minutes'),
    checkedInBy: uuid('checked_in_by').references(() => users.id),
    checkedOutBy: uuid('checked_out_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('volunteer_attendances_open_idx')
      .on(t.activityId, t.volunteerId)
      .where(sql`${t.checkedOutAt} is null`),
    index('volunteer_attendances_volunteer_idx').on(t.volunteerId),
    check(
      'volunteer_attendances_credit_check',
      sql`(${t.checkedOutAt} is null) = (${t.minutes} is null) and (${t.minutes} is null or ${t.minutes} >= 0)`,
    ),
  ],
);
