import type { consentMethods } from '@civicgrid/core/api/proxy';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
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

/**
 * 请网格员帮办: a signed-in resident asks, from an item's guide in /r, that a grid worker carry
 * the matter for him. It goes to his grid (his resident file via his real-name binding), or to
 * the community he picks when he has none; his consent to being carried is recorded with its
 * time. A worker of that grid takes it (open → taken, naming him); when the taker starts the
 * proxy application for that resident and item it links to it and closes (done). The resident
 * may cancel it while it is open or taken.
 */
export const proxyRequests = pgTable(
  'proxy_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceItemId: integer('service_item_id').notNull(),
    serviceCode: text('service_code').notNull(),
    /** The resident's account (users row) that asked. */
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    /** His resident file when his binding finds one (a plain uuid: modules stay apart). */
    residentId: uuid('resident_id'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    note: text('note').notNull().default(''),
    contactTime: text('contact_time').notNull().default(''),
    phoneEnc: text('phone_enc'),
    consentAt: ts('consent_at').notNull(),
    status: text('status', { enum: ['open', 'taken', 'done', 'cancelled'] }).notNull(),
    takenBy: uuid('taken_by').references(() => users.id),
    takenAt: ts('taken_at'),
    applicationId: uuid('application_id').references(() => applications.id),
    closedAt: ts('closed_at'),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('proxy_requests_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('proxy_requests_requester_idx').on(t.requesterId, t.createdAt),
    uniqueIndex('proxy_requests_idem_idx').on(t.requesterId, t.idempotencyKey),
  ],
);

/** The trail (全程留痕) of a proxy request: every step, who, when, from and to. */
export const proxyRequestEvents = pgTable(
  'proxy_request_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => proxyRequests.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('proxy_request_events_request_idx').on(t.requestId, t.at)],
);
