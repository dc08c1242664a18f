import type {
  applicationChannels,
  materialForms,
  serviceCategories,
  serviceFormField,
  serviceLevels,
} from '@civicgrid/core/api/services';
import type { ApplicationState } from '@civicgrid/core/services/stateMachine';
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
import type { z } from 'zod';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export interface ItemMaterial {
  name: string;
  form: (typeof materialForms)[number];
  copies: number;
  required: boolean;
  waivable: boolean;
  note: string | null;
}
export type ItemFormField = z.infer<typeof serviceFormField>;

/**
 * 事项清单, one row per version of an item: an edit inserts the next version and moves
 * `current` to it, so an application keeps pointing at the rules it was taken in under
 * (materials, form, time limit). Materials and the form schema belong to the version.
 */
export const serviceItems = pgTable(
  'service_items',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    current: boolean('current').notNull().default(true),
    name: text('name').notNull(),
    category: text('category', {
      enum: ['certificate', 'communityDirect', 'communityProxy', 'street', 'districtDepartment'],
    })
      .notNull()
      .$type<(typeof serviceCategories)[number]>(),
    level: text('level', { enum: ['community', 'street', 'district'] })
      .notNull()
      .$type<(typeof serviceLevels)[number]>(),
    departmentId: integer('department_id').references(() => departments.id),
    legalBasis: text('legal_basis').notNull().default(''),
    conditions: text('conditions').notNull().default(''),
    materials: jsonb('materials').$type<ItemMaterial[]>().notNull(),
    formFields: jsonb('form_fields').$type<ItemFormField[]>().notNull(),
    timeLimitDays: integer('time_limit_days').notNull(),
    statutoryDays: integer('statutory_days').notNull(),
    fee: text('fee').notNull().default('免费'),
    issuesCertificate: boolean('issues_certificate').notNull().default(false),
    certificateTemplate: text('certificate_template'),
    immediate: boolean('immediate').notNull().default(false),
    retiredAt: ts('retired_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_items_code_version_idx').on(t.code, t.version),
    uniqueIndex('service_items_current_idx').on(t.code).where(sql`${t.current}`),
  ],
);

export interface AppliedMaterial {
  name: string;
  required: boolean;
  provided: boolean;
  fileId: string | null;
  promisedDate: string | null;
}

/**
 * 办件. The applicant's ID number and phone are encrypted with a blind index (as residents
 * are, DESIGN.md §6). `orgPath` is the accepting unit's path (the window's area sees it);
 * `handlingPath`/`departmentId` are who handles it now (a transfer moves them).
 * The time limit runs on the work calendar while `accepted`: `dueAt`/`warnAt` (80 %) are
 * set when the clock runs; waiting for material stops it (`pausedAt`), and the working
 * minutes it stood still add up in `pausedMinutes`.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    serviceItemId: integer('service_item_id')
      .notNull()
      .references(() => serviceItems.id),
    serviceCode: text('service_code').notNull(),
    status: text('status').notNull().$type<ApplicationState>(),
    channel: text('channel', { enum: ['window', 'proxy', 'online'] })
      .notNull()
      .$type<(typeof applicationChannels)[number]>(),
    applicantName: text('applicant_name').notNull(),
    applicantIdEnc: text('applicant_id_enc').notNull(),
    applicantIdIdx: text('applicant_id_idx').notNull(),
    applicantIdTail: text('applicant_id_tail').notNull(),
    applicantPhoneEnc: text('applicant_phone_enc'),
    /** The resident file found by the ID number, if any (a plain uuid: modules stay apart). */
    residentId: uuid('resident_id'),
    materials: jsonb('materials').$type<AppliedMaterial[]>().notNull(),
    form: jsonb('form').$type<Record<string, string | number>>().notNull(),
    missing: text('missing').array().notNull().default(sql`'{}'::text[]`),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    handlingUnitId: integer('handling_unit_id').references(() => orgUnits.id),
    handlingPath: text('handling_path'),
    departmentId: integer('department_id').references(() => departments.id),
    acceptedAt: ts('accepted_at'),
    dueAt: ts('due_at'),
    warnAt: ts('warn_at'),
    pausedAt: ts('paused_at'),
    pausedMinutes: integer('paused_minutes').notNull().default(0),
    completedAt: ts('completed_at'),
    result: text('result'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_idempotency_idx').on(t.createdBy, t.idempotencyKey),
    index('applications_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('applications_handling_path_idx').using('btree', sql`${t.handlingPath} text_pattern_ops`),
    index('applications_department_idx').on(t.departmentId),
    index('applications_status_idx').on(t.status, t.dueAt),
    index('applications_applicant_idx').on(t.applicantIdIdx),
    index('applications_created_idx').on(t.createdAt),
  ],
);

/** The application's trail: every step, who, from which state to which. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('application_events_application_idx').on(t.applicationId, t.at)],
);

/**
 * 证明: the certificate an item ends in, made when the result is issued. The public code is
 * the number with an HMAC of it (certificates.ts), so it is not stored: a forged or edited
 * code fails its signature before any row is read. Revoking keeps the row and says why.
 */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    serviceName: text('service_name').notNull(),
    issuerUnitId: integer('issuer_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    holderName: text('holder_name').notNull(),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    issuedBy: uuid('issued_by').references(() => users.id),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedReason: text('revoked_reason'),
  },
  (t) => [uniqueIndex('certificates_application_idx').on(t.applicationId)],
);

/**
 * 好差评: one rating per application, on the national five levels (1 非常满意 … 5 非常不满意),
 * and the channel it came through. A rating of 4 or 5 opens a rectification (整改) with a
 * deadline, closed by the unit's back office with a note.
 */
export const applicationRatings = pgTable(
  'application_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    level: integer('level').notNull(),
    comment: text('comment'),
    channel: text('channel', { enum: ['window', 'phone', 'online'] }).notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    ratedAt: ts('rated_at').notNull().defaultNow(),
    rectifyBy: ts('rectify_by'),
    rectifiedAt: ts('rectified_at'),
    rectifiedBy: uuid('rectified_by').references(() => users.id),
    rectifyNote: text('rectify_note'),
  },
  (t) => [
    uniqueIndex('application_ratings_application_idx').on(t.applicationId),
    index('application_ratings_open_idx').on(t.rectifyBy).where(sql`${t.rectifiedAt} is null`),
  ],
);

/**
 * Scans and photos of an application's materials, uploaded at the window before the intake
 * names them (`materials[].fileId`): a PDF or an image, its kind read from its first bytes.
 * The owner is who uploaded it; an intake may link only its own uploads.
 */
export const materialFiles = pgTable(
  'material_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('material_files_owner_idx').on(t.ownerId, t.createdAt)],
);
