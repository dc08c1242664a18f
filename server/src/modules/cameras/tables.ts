import type { cameraTypes } from '@civicgrid/core/api/cameras';
import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 视频监控点位: the registry of public cameras (GB/T 28181 device codes), placed on the map
 * and in the grid their point falls in (its path scopes them). No analytics: a point, an owner
 * and, when there is one, the HLS address the browser plays.
 */
export const cameras = pgTable(
  'cameras',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    type: text('type').notNull().$type<(typeof cameraTypes)[number]>(),
    owner: text('owner').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    gridId: integer('grid_id').references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    streamUrl: text('stream_url'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('cameras_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('cameras_point_idx').on(t.lng, t.lat),
  ],
);
