import type { consentMethods } from '@civicgrid/core/api/proxy';
import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { applications } from '../services/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 代办点: a place where proxy agents take residents' matters in (seed 004: 65 in the district),
 * a point on the map inside the grid (or community) it serves. `orgPath` is that unit's path:
 * its jurisdiction sees and keeps it. Closing keeps the row (`retiredAt`).
 */
export const proxyPoints = pgTable(
  'proxy_points',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    contactName: text('contact_name').notNull().default(''),
    contactPhone: text('contact_phone').notNull().default(''),
    openingHours: text('opening_hours').notNull().default(''),
    retiredAt: ts('retired_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('proxy_points_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`)],
);

/** 代办员 of a point: users (grid workers, community staff) who carry matters there. */
export const proxyPointAgents = pgTable(
  'proxy_point_agents',
  {
    pointId: integer('point_id')
      .notNull()
      .references(() => proxyPoints.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.pointId, t.userId] }), index('proxy_point_agents_user_idx').on(t.userId)],
);

/**
 * The proxy side of an application taken in with channel "proxy": who carries it for the
 * resident (the agent follows it to the end and is credited in the assessment), at which
 * point, and how and when the resident agreed. One row per application, written in the
 * intake's transaction.
 */
export const proxyApplications = pgTable(
  'proxy_applications',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    proxyPointId: integer('proxy_point_id').references(() => proxyPoints.id),
    /** The resident on file the matter is carried for (a plain uuid: modules stay apart). */
    residentId: uuid('resident_id').notNull(),
    consentMethod: text('consent_method', { enum: ['signedForm', 'verbal'] })
      .notNull()
      .$type<(typeof consentMethods)[number]>(),
    consentAt: ts('consent_at').notNull(),
    consentFileId: uuid('consent_file_id'),
    consentNote: text('consent_note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('proxy_applications_agent_idx').on(t.agentId, t.createdAt),
    index('proxy_applications_point_idx').on(t.proxyPointId),
  ],
);
