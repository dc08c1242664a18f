import type {
  committeeKinds,
  DisputeType,
  disputeSources,
  ReceptionRoute,
  RiskLevel,
  referralKinds,
} from '@civicgrid/core/api/disputes';
import type { DisputeState, Performed } from '@civicgrid/core/disputes/stateMachine';
import {
  bigserial,
  boolean,
  date,
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
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * Mediation bodies of an area: 人民调解委员会, 行业性专业性调委会, 调解工作室 run by social
 * organizations ("家长里短"调解工作室), and the units departments station at the centre
 * (公安, 法院, 检察院, 司法所, 信访, 人社: "铁打的综治中心，流水的派驻人员").
 */
export const mediationCommittees = pgTable(
  'mediation_committees',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull().$type<(typeof committeeKinds)[number]>(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    /** Where the body sits and its office telephone (an office's, not a person's: not PII). */
    address: text('address'),
    phone: text('phone'),
    /** A disabled body stays on the disputes it took, but is offered for no new one. */
    disabledAt: ts('disabled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('mediation_committees_path_idx').on(t.orgPath)],
);

/** A mediator of a body; with an account when the mediator works in the platform. */
export const mediators = pgTable('mediators', {
  id: serial('id').primaryKey(),
  committeeId: integer('committee_id')
    .notNull()
    .references(() => mediationCommittees.id),
  name: text('name').notNull(),
  title: text('title'),
  userId: uuid('user_id').references(() => users.id),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** No longer mediates here: kept, for the disputes and agreements that name him. */
  retiredAt: ts('retired_at'),
});

export interface DisputeAgreement {
  terms: string[];
  performBy: string;
  performance: string | null;
  oral: boolean;
  at: string;
}
export interface DisputeFailure {
  reason: string;
  referral: { kind: (typeof referralKinds)[number]; unit: string; departmentId?: number } | null;
}
export interface DisputeFollowUp {
  performed: Performed;
  note: string | null;
  at: string;
}
export interface DisputeSession {
  at: string;
  place: string;
  attendees: string[];
  notes: string;
}

/**
 * 矛盾纠纷. `orgPath` is the grid's (or the registering unit's) path: the area that sees it.
 * `deadline` is the last day of the time limit (China date), 30 days from acceptance.
 */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    type: text('type').notNull().$type<DisputeType>(),
    description: text('description').notNull(),
    riskLevel: text('risk_level').notNull().$type<RiskLevel>(),
    source: text('source').notNull().$type<(typeof disputeSources)[number]>(),
    status: text('status').notNull().$type<DisputeState>(),
    location: jsonb('location').$type<{ lat: number; lng: number }>(),
    gridId: integer('grid_id').references(() => orgUnits.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    committeeId: integer('committee_id').references(() => mediationCommittees.id),
    mediatorId: integer('mediator_id').references(() => mediators.id),
    /** The assigned mediator's account (read by the scope: the mediator sees the dispute). */
    mediatorUserId: uuid('mediator_user_id'),
    acceptedAt: ts('accepted_at'),
    deadline: day('deadline').notNull(),
    sessions: jsonb('sessions').$type<DisputeSession[]>().notNull().default([]),
    agreement: jsonb('agreement').$type<DisputeAgreement>(),
    failure: jsonb('failure').$type<DisputeFailure>(),
    followUps: jsonb('follow_ups').$type<DisputeFollowUp[]>().notNull().default([]),
    /** The case it was turned from or into (a plain uuid: modules stay apart). */
    caseId: uuid('case_id'),
    receptionId: uuid('reception_id'),
    closedAt: ts('closed_at'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('disputes_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('disputes_path_idx').on(t.orgPath),
    index('disputes_case_idx').on(t.caseId),
  ],
);

/** A party: ID number (or credit code) and phone encrypted with a blind index (DESIGN.md §6). */
export const disputeParties = pgTable(
  'dispute_parties',
  {
    id: serial('id').primaryKey(),
    disputeId: uuid('dispute_id')
      .notNull()
      .references(() => disputes.id),
    position: integer('position').notNull(),
    kind: text('kind', { enum: ['person', 'organization'] }).notNull(),
    role: text('role', { enum: ['applicant', 'respondent'] }).notNull(),
    name: text('name').notNull(),
    idEnc: text('id_enc'),
    idIdx: text('id_idx'),
    phoneEnc: text('phone_enc'),
  },
  (t) => [index('dispute_parties_dispute_idx').on(t.disputeId), index('dispute_parties_id_idx').on(t.idIdx)],
);

/** The trail (全程留痕): every step, who, when, from and to. */
export const disputeEvents = pgTable(
  'dispute_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    disputeId: uuid('dispute_id')
      .notNull()
      .references(() => disputes.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('dispute_events_dispute_idx').on(t.disputeId, t.at)],
);

/** 排查: a grid's weekly report (Monday-based Beijing week), the disputes found or 零报告. */
export const disputeScreenings = pgTable(
  'dispute_screenings',
  {
    id: serial('id').primaryKey(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    weekFrom: day('week_from').notNull(),
    disputeIds: uuid('dispute_ids').array().notNull(),
    zero: boolean('zero').notNull(),
    note: text('note'),
    reportedBy: uuid('reported_by')
      .notNull()
      .references(() => users.id),
    reportedAt: ts('reported_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dispute_screenings_grid_week_idx').on(t.gridId, t.weekFrom)],
);

/**
 * 群众接待: one visit to the front desk. The visitor's ID number and phone as for parties;
 * `residentId` is the resident file found by the ID number. `number` is the day's queue number.
 */
export const receptions = pgTable(
  'receptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    visitDay: day('visit_day').notNull(),
    number: integer('number').notNull(),
    visitorName: text('visitor_name').notNull(),
    idEnc: text('id_enc'),
    idIdx: text('id_idx'),
    phoneEnc: text('phone_enc'),
    residentId: uuid('resident_id'),
    matter: text('matter').notNull(),
    route: text('route').notNull().$type<ReceptionRoute>(),
    answer: text('answer'),
    status: text('status', { enum: ['waiting', 'done'] }).notNull(),
    disputeId: uuid('dispute_id'),
    caseId: uuid('case_id'),
    grievanceId: uuid('grievance_id'),
    receivedBy: uuid('received_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    visitedAt: ts('visited_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [
    uniqueIndex('receptions_idempotency_idx').on(t.receivedBy, t.idempotencyKey),
    uniqueIndex('receptions_number_idx').on(t.orgUnitId, t.visitDay, t.number),
    index('receptions_path_idx').on(t.orgPath, t.visitDay),
  ],
);
