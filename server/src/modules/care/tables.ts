import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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
import { orgUnits } from '../org/tables.js';
import { residents } from '../residents/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 特殊人群服务管理 as social-services casework (DESIGN.md §6). Categories are configuration:
 * how often each risk level is visited, and how long a closed case is kept before it is
 * anonymised.
 */
export const careCategories = pgTable('care_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  /** Days between visits per risk level. */
  visitDays: jsonb('visit_days').$type<{ high: number; medium: number; low: number }>().notNull(),
  retentionDays: integer('retention_days').notNull().default(1095),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
});

export const careCases = pgTable(
  'care_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null once the case is anonymised. */
    residentId: uuid('resident_id').references(() => residents.id),
    categoryCode: text('category_code')
      .notNull()
      .references(() => careCategories.code),
    riskLevel: text('risk_level', { enum: ['high', 'medium', 'low'] }).notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    /** What the work is for: needs, support plan. Cleared on anonymisation. */
    plan: text('plan'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    closeReason: text('close_reason'),
    lastVisitAt: ts('last_visit_at'),
    nextVisitDue: ts('next_visit_due'),
    anonymisedAt: ts('anonymised_at'),
    createdBy: uuid('created_by').notNull(),
  },
  (t) => [
    index('care_cases_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('care_cases_resident_idx').on(t.residentId),
    index('care_cases_due_idx').on(t.nextVisitDue).where(sql`${t.status} = 'open'`),
  ],
);

export const careCaseWorkers = pgTable(
  'care_case_workers',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => careCases.id),
    userId: uuid('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.userId] }), index('care_case_workers_user_idx').on(t.userId)],
);

export const careVisits = pgTable(
  'care_visits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Made on the phone: a visit recorded offline and sent twice is one visit. */
    clientId: uuid('client_id'),
    caseId: uuid('case_id')
      .notNull()
      .references(() => careCases.id),
    visitedAt: ts('visited_at').notNull(),
    place: text('place').notNull(),
    notes: text('notes').notNull(),
    photoIds: text('photo_ids').array().notNull().default(sql`'{}'::text[]`),
    byUserId: uuid('by_user_id').notNull(),
    byName: text('by_name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('care_visits_case_idx').on(t.caseId, t.visitedAt),
    uniqueIndex('care_visits_client_idx').on(t.clientId),
  ],
);
