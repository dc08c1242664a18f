import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { volunteers } from './tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 志愿服务队 (issue 19 item 4): a team of volunteers of a community (or of a unit serving it,
 * `sponsor`: 包头供电局党员志愿服务队), with a leader among its members and what it serves
 * (`service_focus`: 助老、环保、文明劝导…). Activities may belong to a team; its hours are the
 * minutes credited at them. One team of a name per community.
 */
export const volunteerTeams = pgTable(
  'volunteer_teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    sponsor: text('sponsor'),
    serviceFocus: text('service_focus').array().notNull().default(sql`'{}'::text[]`),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    leaderVolunteerId: uuid('leader_volunteer_id').references(() => volunteers.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('volunteer_teams_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    uniqueIndex('volunteer_teams_name_idx').on(t.orgUnitId, t.name),
  ],
);

/** A volunteer in a team (a volunteer may serve in several). The pair is the key: added once. */
export const volunteerTeamMembers = pgTable(
  'volunteer_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    joinedAt: ts('joined_at').notNull().defaultNow(),
    addedBy: uuid('added_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.volunteerId] }),
    index('volunteer_team_members_volunteer_idx').on(t.volunteerId),
  ],
);
