import type { AssessmentRules } from '@civicgrid/core/assessment/rules';
import {
  integer,
  jsonb,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A district's scoring rules, as its admin last saved them; no row: the product's defaults. */
export const assessmentRules = pgTable('assessment_rules', {
  districtId: integer('district_id')
    .primaryKey()
    .references(() => orgUnits.id),
  rules: jsonb('rules').$type<AssessmentRules>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by').notNull(),
  updatedByName: text('updated_by_name').notNull(),
});

/**
 * 部门评议: the scores a department gets from outside the case records — its self-assessment
 * (自评), the peer departments' mean (互评) and the third party's (第三方评) — per period.
 * 群众评 is not entered: it is the satisfaction rate of the department's rated cases.
 */
export const departmentEvaluations = pgTable(
  'department_evaluations',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    period: text('period', { enum: ['week', 'month', 'quarter', 'year'] }).notNull(),
    /** First day of the period (China date). */
    start: text('start').notNull(),
    kind: text('kind', { enum: ['self', 'peer', 'thirdParty'] }).notNull(),
    score: real('score').notNull(),
    note: text('note'),
    enteredBy: uuid('entered_by').notNull(),
    enteredByName: text('entered_by_name').notNull(),
    enteredAt: ts('entered_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('department_evaluations_key_idx').on(t.departmentId, t.period, t.start, t.kind)],
);
