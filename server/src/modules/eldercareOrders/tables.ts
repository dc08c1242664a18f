import type { OrderState, ServiceKind, SubsidyRule } from '@civicgrid/core/api/eldercareOrders';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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
import { residents } from '../residents/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 为老服务项目: the district's service list (10 kinds × services), each with its price (fen),
 * unit and subsidy rule (core/eldercareOrders/subsidy.ts). Providers offer a subset.
 */
export const elderServices = pgTable('elder_services', {
  code: text('code').primaryKey(),
  kind: text('kind').$type<ServiceKind>().notNull(),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  priceFen: integer('price_fen').notNull(),
  subsidyRule: jsonb('subsidy_rule').$type<SubsidyRule>(),
  sort: integer('sort').notNull().default(0),
});

/** 服务商: a company signed by the district to serve elders in some areas. */
export const providers = pgTable(
  'providers',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    contactName: text('contact_name').notNull().default(''),
    /** The company's office phone (not a person's): kept in clear. */
    phone: text('phone').notNull(),
    address: text('address').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** The unit that registered it: its jurisdiction maintains it. */
    orgPath: text('org_path').notNull(),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('providers_name_idx').on(t.name)],
);

/** The areas (communities or streets) a provider serves: an order is dispatched within them only. */
export const providerAreas = pgTable(
  'provider_areas',
  {
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.providerId, t.orgUnitId] }),
    index('provider_areas_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

export const providerServices = pgTable(
  'provider_services',
  {
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    serviceCode: text('service_code')
      .notNull()
      .references(() => elderServices.code),
  },
  (t) => [
    primaryKey({ columns: [t.providerId, t.serviceCode] }),
    index('provider_services_code_idx').on(t.serviceCode),
  ],
);

/** A provider's staff account: it sees and serves the orders of this provider only. */
export const providerStaff = pgTable('provider_staff', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  providerId: integer('provider_id')
    .notNull()
    .references(() => providers.id),
});

/**
 * 12349 工单. The elder's grid path scopes it; the home position is fixed when the call is
 * taken (the building of the household, else the wearable's safe-area centre, else the
 * grid's centre), so the arrival check and the dispatch distance read one place.
 */
export const elderOrders = pgTable(
  'elder_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    no: text('no').notNull(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    serviceCode: text('service_code')
      .notNull()
      .references(() => elderServices.code),
    kind: text('kind').$type<ServiceKind>().notNull(),
    status: text('status').$type<OrderState>().notNull().default('pending'),
    requestedAt: ts('requested_at').notNull(),
    note: text('note'),
    callerName: text('caller_name'),
    callerPhoneEnc: text('caller_phone_enc'),
    callerPhoneTail: text('caller_phone_tail'),
    callerRelation: text('caller_relation'),
    address: text('address').notNull().default(''),
    homeLat: doublePrecision('home_lat'),
    homeLng: doublePrecision('home_lng'),
    careLevel: text('care_level').notNull().default('selfCare'),
    providerId: integer('provider_id').references(() => providers.id),
    dispatchedAt: ts('dispatched_at'),
    acceptedAt: ts('accepted_at'),
    arrivedAt: ts('arrived_at'),
    arriveLat: doublePrecision('arrive_lat'),
    arriveLng: doublePrecision('arrive_lng'),
    finishedAt: ts('finished_at'),
    finishNote: text('finish_note'),
    fileIds: jsonb('file_ids').$type<string[]>().notNull().default([]),
    /** Fixed at finish by the service's subsidy rule: the bill reads them. */
    amountFen: integer('amount_fen'),
    subsidyFen: integer('subsidy_fen'),
    selfPaidFen: integer('self_paid_fen'),
    rating: integer('rating'),
    ratedAt: ts('rated_at'),
    followUpAt: ts('follow_up_at'),
    followUpNote: text('follow_up_note'),
    closedAt: ts('closed_at'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('elder_orders_no_idx').on(t.no),
    index('elder_orders_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('elder_orders_provider_idx').on(t.providerId, t.status),
    index('elder_orders_status_idx').on(t.status, t.createdAt),
    index('elder_orders_finished_idx').on(t.finishedAt),
  ],
);

/** The trail (全程留痕) of an order: every action, who, when, from and to. */
export const elderOrderEvents = pgTable(
  'elder_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => elderOrders.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('elder_order_events_order_idx').on(t.orderId, t.id)],
);
