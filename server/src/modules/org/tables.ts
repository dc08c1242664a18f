import type { AreaGeometry } from '@civicgrid/core/api/org';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The org tree district → street → community → grid. `path` is the materialised path
 * of ids (`/1/4/17/`), so a jurisdiction is a prefix and a subtree one index range.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level', { enum: ['district', 'street', 'community', 'grid'] }).notNull(),
    parentId: integer('parent_id'),
    path: text('path').notNull(),
    geometry: jsonb('geometry').$type<AreaGeometry>(),
    householdsTarget: integer('households_target'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
    check('org_units_level_check', sql`${t.level} in ('district','street','community','grid')`),
  ],
);

/** A grid's team: one manager, 2–5 assistants, any number of informants. */
export const gridTeamMembers = pgTable(
  'grid_team_members',
  {
    gridId: integer('grid_id')
      .notNull()
      .references(() => orgUnits.id),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ['gridManager', 'gridAssistant', 'gridInformant'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.gridId, t.userId] }), index('grid_team_user_idx').on(t.userId)],
);

/** Line departments (职能部门), a flat list. */
export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull().unique(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
