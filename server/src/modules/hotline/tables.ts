import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseCategories, cases } from '../cases/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 12345 work orders taken in. The order number is the primary key: the same order sent
 * twice, even at the same moment, makes one row and so one case.
 */
export const hotlineOrders = pgTable('hotline_orders', {
  orderNo: text('order_no').primaryKey(),
  caseId: uuid('case_id')
    .notNull()
    .unique()
    .references(() => cases.id),
  hotlineCategory: text('hotline_category').notNull(),
  /** When the 12345 centre took the call. */
  receivedAt: ts('received_at').notNull(),
  /** The hotline's own reply deadline (办结时限) from the mapping, when it sets one. */
  replyDueAt: ts('reply_due_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** Set once the closing callback is queued: the collector stops looking at the order. */
  finishedAt: ts('finished_at'),
});

/** The 12345 centre's category → the platform's taxonomy leaf, edited by an admin. */
export const hotlineCategoryMappings = pgTable('hotline_category_mappings', {
  hotlineCategory: text('hotline_category').primaryKey(),
  categoryCode: text('category_code')
    .notNull()
    .references(() => caseCategories.code),
  /** The hotline's own limits, in natural hours (12345 counts calendar time); null = the category's. */
  acceptHours: integer('accept_hours'),
  replyHours: integer('reply_hours'),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Status callbacks to the 12345 centre (an outbox): one row per case event it is told about
 * (`eventId` unique, so collecting twice queues once), retried with exponential backoff until
 * `giveUpAt`, then dead-lettered for an admin to resend.
 */
export const hotlineCallbacks = pgTable(
  'hotline_callbacks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderNo: text('order_no')
      .notNull()
      .references(() => hotlineOrders.orderNo),
    eventId: bigint('event_id', { mode: 'number' }).notNull().unique(),
    kind: text('kind', { enum: ['accepted', 'dispatched', 'resolved', 'closed'] }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    giveUpAt: ts('give_up_at').notNull(),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('hotline_callbacks_due_idx').on(t.status, t.nextAttemptAt),
    index('hotline_callbacks_order_idx').on(t.orderNo, t.id),
  ],
);

/**
 * The bridge's own settings, set by an admin in the console (one row). Unset fields fall back
 * to HOTLINE_SECRET / HOTLINE_CALLBACK_URL. The shared secret is stored encrypted (platform
 * crypto) and never read back out through the API: the console shows its last four characters.
 */
export const hotlineSettings = pgTable(
  'hotline_settings',
  {
    id: smallint('id').primaryKey().default(1),
    secretEnc: text('secret_enc'),
    secretHint: text('secret_hint'),
    secretSetAt: ts('secret_set_at'),
    callbackUrl: text('callback_url'),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('hotline_settings_one_row', sql`${t.id} = 1`)],
);
