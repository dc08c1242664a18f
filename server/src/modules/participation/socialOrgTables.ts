import type {
  IncubationStage,
  SocialOrgField,
  SocialOrgType,
  SocialProjectState,
} from '@civicgrid/core/participation/socialOrgs';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
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
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * 社会组织: an NGO serving a street or community (`orgPath` is the area served). A registered
 * one has its GB 32100 credit code (unique); a community group filed (备案) with the street has
 * none. The contact's phone is personal data: encrypted, shown masked (DESIGN.md §6). The
 * current incubation stage is kept here; its history in `social_org_incubations`.
 */
export const socialOrgs = pgTable(
  'social_orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: text('type').notNull().$type<SocialOrgType>(),
    creditCode: text('credit_code'),
    registrationAuthority: text('registration_authority').notNull(),
    registeredOn: day('registered_on').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    fields: jsonb('fields').notNull().$type<SocialOrgField[]>(),
    services: text('services').notNull(),
    legalRepresentative: text('legal_representative').notNull(),
    contactName: text('contact_name').notNull(),
    contactPhoneEnc: text('contact_phone_enc').notNull(),
    staffCount: integer('staff_count').notNull(),
    volunteerCount: integer('volunteer_count').notNull(),
    incubationStage: text('incubation_stage').$type<IncubationStage>(),
    incubationSince: day('incubation_since'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('social_orgs_credit_code_idx').on(t.creditCode),
    // One name per area served: a second registration of the same group is the same group.
    uniqueIndex('social_orgs_name_unit_idx').on(t.name, t.orgUnitId),
    index('social_orgs_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    check('social_orgs_counts_check', sql`${t.staffCount} >= 0 and ${t.volunteerCount} >= 0`),
  ],
);

/** The incubation trail: each stage reached once (入驻孵化, 培育中, 出壳), with its date and base. */
export const socialOrgIncubations = pgTable(
  'social_org_incubations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    socialOrgId: uuid('social_org_id')
      .notNull()
      .references(() => socialOrgs.id),
    stage: text('stage').notNull().$type<IncubationStage>(),
    on: day('on').notNull(),
    base: text('base'),
    note: text('note'),
    actorId: uuid('actor_id').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('social_org_incubations_stage_idx').on(t.socialOrgId, t.stage)],
);

/**
 * 公益创投: a project bought from a social organization by a street or community (`orgPath` is
 * the buyer's). `amountFen` is what was applied for, `budgetFen` what was approved (立项).
 */
export const socialProjects = pgTable(
  'social_projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    socialOrgId: uuid('social_org_id')
      .notNull()
      .references(() => socialOrgs.id),
    title: text('title').notNull(),
    summary: text('summary'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    amountFen: integer('amount_fen').notNull(),
    budgetFen: integer('budget_fen'),
    startsOn: day('starts_on').notNull(),
    endsOn: day('ends_on').notNull(),
    status: text('status').notNull().$type<SocialProjectState>(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('social_projects_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('social_projects_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('social_projects_org_idx').on(t.socialOrgId),
    check('social_projects_period_check', sql`${t.endsOn} >= ${t.startsOn}`),
    check(
      'social_projects_money_check',
      sql`${t.amountFen} > 0 and (${t.budgetFen} is null or (${t.budgetFen} > 0 and ${t.budgetFen} <= ${t.amountFen}))`,
    ),
  ],
);

/** A project's milestones, set when it is applied for; done with a date and evidence files. */
export const socialProjectMilestones = pgTable(
  'social_project_milestones',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => socialProjects.id),
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    dueOn: day('due_on').notNull(),
    doneOn: day('done_on'),
    note: text('note'),
    fileIds: uuid('file_ids').array().notNull().default(sql`'{}'::uuid[]`),
    doneBy: uuid('done_by').references(() => users.id),
  },
  (t) => [uniqueIndex('social_project_milestones_seq_idx').on(t.projectId, t.seq)],
);

/** Money spent on a project; the sum never passes the approved budget (checked under the project's lock). */
export const socialProjectSpendings = pgTable(
  'social_project_spendings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => socialProjects.id),
    item: text('item').notNull(),
    amountFen: integer('amount_fen').notNull(),
    spentOn: day('spent_on').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('social_project_spendings_idempotency_idx').on(t.projectId, t.idempotencyKey),
    check('social_project_spendings_amount_check', sql`${t.amountFen} > 0`),
  ],
);

/** The trail of a project (全程留痕): one row per state change, the application included. */
export const socialProjectEvents = pgTable(
  'social_project_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => socialProjects.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('social_project_events_project_idx').on(t.projectId, t.at)],
);
