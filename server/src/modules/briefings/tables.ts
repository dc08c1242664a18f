import type { AgendaItem } from '@civicgrid/core/api/briefings';
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** 会商研判: a street's or district's meeting, with the agenda it discussed and its minutes. */
export const briefings = pgTable(
  'briefings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    orgPath: text('org_path').notNull(),
    title: text('title').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    attendees: text('attendees').notNull(),
    minutes: text('minutes').notNull().default(''),
    agenda: jsonb('agenda').$type<AgendaItem[]>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('briefings_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.heldOn)],
);

/** A decision of a briefing as a supervised task (督办): one owner, a deadline, its completion. */
export const briefingTasks = pgTable(
  'briefing_tasks',
  {
    id: serial('id').primaryKey(),
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id),
    text: text('text').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    departmentId: integer('department_id').references(() => departments.id),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    doneAt: ts('done_at'),
    doneNote: text('done_note'),
    doneBy: uuid('done_by').references(() => users.id),
  },
  (t) => [
    index('briefing_tasks_briefing_idx').on(t.briefingId),
    index('briefing_tasks_owner_idx').on(t.ownerUserId),
    index('briefing_tasks_department_idx').on(t.departmentId),
  ],
);
