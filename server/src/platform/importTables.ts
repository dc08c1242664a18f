import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Imports run in the background; their progress and every bad row are kept here. The
 * importer is platform machinery for every module's imports (residents, buildings,
 * organizations), so it owns this table: no module's tables are imported by platform/.
 */
export const importJobs = pgTable('import_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull(),
  fileName: text('file_name').notNull(),
  total: integer('total').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  errors: jsonb('errors')
    .$type<{ row: number; reason: string; rule?: string; values: Record<string, string> }[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  message: text('message'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});
