import type { Geometry } from '@civicgrid/core/geo';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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
import { cases } from '../cases/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 红管家: a property company serving estates of one community. Its cases are handled through a
 * department row of its own (`departmentId`): the case workflow dispatches to it, its staff's
 * accounts belong to it and see what was sent to it, as any department's do.
 */
export const propertyCompanies = pgTable(
  'property_companies',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .unique()
      .references(() => departments.id),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull().unique(),
    contactName: text('contact_name').notNull(),
    /** Encrypted at rest; the list shows the masked tail only. */
    phoneEnc: text('phone_enc').notNull(),
    phoneTail: text('phone_tail').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    retiredAt: ts('retired_at'),
  },
  (t) => [index('property_companies_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`)],
);

/** An estate (小区) a company serves: a named outline within its community. */
export const propertyEstates = pgTable(
  'property_estates',
  {
    id: serial('id').primaryKey(),
    companyId: integer('company_id')
      .notNull()
      .references(() => propertyCompanies.id),
    name: text('name').notNull(),
    geometry: jsonb('geometry').$type<Geometry & { type: 'Polygon' }>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('property_estates_name_idx').on(t.companyId, t.name)],
);

/**
 * One dispatch of a case to a company, with the three deadlines it started
 * (15 分钟响应、30 分钟回复、24 小时解决). What was done when is read from the case's trail;
 * the flags are set by the sweep once a step ran late, so a late step is told once.
 */
export const propertyDispatches = pgTable(
  'property_dispatches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => propertyCompanies.id),
    estateId: integer('estate_id')
      .notNull()
      .references(() => propertyEstates.id),
    dispatchedAt: ts('dispatched_at').notNull(),
    respondBy: ts('respond_by').notNull(),
    replyBy: ts('reply_by').notNull(),
    resolveBy: ts('resolve_by').notNull(),
    respondLate: boolean('respond_late').notNull().default(false),
    replyLate: boolean('reply_late').notNull().default(false),
  },
  (t) => [
    index('property_dispatches_case_idx').on(t.caseId, t.dispatchedAt),
    index('property_dispatches_company_idx').on(t.companyId, t.dispatchedAt),
  ],
);
