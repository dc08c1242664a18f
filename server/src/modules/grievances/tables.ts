import type {
  GrievanceChannel,
  GrievanceState,
  satisfactionLevels,
} from '@civicgrid/core/grievances/stateMachine';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });
/** A China date (YYYY-MM-DD): the 条例 counts its limits in whole days. */
const day = (name: string) => date(name, { mode: 'string' });

/**
 * 信访事项. The person's ID number and phone are encrypted and shown masked; there is no
 * blind index: a grievance is found by its code, its unit and its state, never by the person
 * who brought it (DESIGN.md §6 — no tracking of petitioners).
 * `orgPath` is the registering unit's path, `handlingPath`/`departmentId` who handles it.
 * Each statutory step keeps its last day and the day it was done; `dueOn`/`warnOn`/`dueStep`
 * are the deadline now running (null when none runs), so lists and counts read one column.
 */
export const grievances = pgTable(
  'grievances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    channel: text('channel').notNull().$type<GrievanceChannel>(),
    subject: text('subject').notNull(),
    content: text('content').notNull(),
    personName: text('person_name').notNull(),
    personIdEnc: text('person_id_enc'),
    personIdTail: text('person_id_tail'),
    personPhoneEnc: text('person_phone_enc'),
    status: text('status').notNull().$type<GrievanceState>(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    handlingUnitId: integer('handling_unit_id').references(() => orgUnits.id),
    handlingPath: text('handling_path'),
    departmentId: integer('department_id').references(() => departments.id),
    receivedOn: day('received_on').notNull(),
    acknowledgeBy: day('acknowledge_by').notNull(),
    acknowledgedOn: day('acknowledged_on'),
    answerBy: day('answer_by'),
    answeredOn: day('answered_on'),
    opinion: text('opinion'),
    extensionDays: integer('extension_days'),
    extensionReason: text('extension_reason'),
    extendedOn: day('extended_on'),
    reviewRequestBy: day('review_request_by'),
    reviewRequestedOn: day('review_requested_on'),
    reviewReason: text('review_reason'),
    reviewAnswerBy: day('review_answer_by'),
    reviewedOn: day('reviewed_on'),
    reviewOpinion: text('review_opinion'),
    reviewUpheld: boolean('review_upheld'),
    satisfaction: text('satisfaction').$type<(typeof satisfactionLevels)[number]>(),
    closedOn: day('closed_on'),
    dueStep: text('due_step').$type<'acknowledge' | 'answer' | 'reviewAnswer'>(),
    dueOn: day('due_on'),
    warnOn: day('warn_on'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grievances_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('grievances_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('grievances_handling_path_idx').using('btree', sql`${t.handlingPath} text_pattern_ops`),
    index('grievances_department_idx').on(t.departmentId),
    index('grievances_due_idx').on(t.status, t.dueOn),
    index('grievances_created_idx').on(t.createdAt),
  ],
);

/** The trail of a grievance (全程留痕): one row per step, who, when, from, to, note. */
export const grievanceEvents = pgTable(
  'grievance_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    grievanceId: uuid('grievance_id')
      .notNull()
      .references(() => grievances.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('grievance_events_grievance_idx').on(t.grievanceId, t.at)],
);
