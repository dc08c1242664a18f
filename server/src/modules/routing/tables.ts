import type { RoutingModel } from '@civicgrid/core/routing/classifier';
import { index, integer, jsonb, pgTable, real, serial, timestamp, uuid } from 'drizzle-orm/pg-core';
import { cases } from '../cases/tables.js';
import { departments } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Trained routing models (智能派单), newest last. A model holds word counts per category —
 * nothing about any person — and the accuracy it scored on the closed cases held back.
 */
export const routingModels = pgTable('routing_models', {
  id: serial('id').primaryKey(),
  trainedAt: ts('trained_at').notNull().defaultNow(),
  /** Closed cases it was trained on (all of them; the hold-out figures come from a separate 80 % model). */
  trainedOn: integer('trained_on').notNull(),
  categories: integer('categories').notNull(),
  holdoutN: integer('holdout_n').notNull(),
  holdoutTop1: real('holdout_top1').notNull(),
  holdoutTop3: real('holdout_top3').notNull(),
  model: jsonb('model').$type<RoutingModel>().notNull(),
});

/**
 * The suggestion made when a case arrived, kept as it was (so its accuracy can be measured
 * against the category the case was finally closed under). One per case.
 */
export const caseRoutingSuggestions = pgTable(
  'case_routing_suggestions',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => routingModels.id),
    /** Up to three [categoryCode, confidence] pairs, likeliest first. */
    candidates: jsonb('candidates').$type<[string, number][]>().notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('case_routing_suggestions_model_idx').on(t.modelId)],
);
