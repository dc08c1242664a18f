import type { NoticeKind } from '@civicgrid/core/api/notices';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 通知公告: a notice, policy or public announcement sent to one area (an org unit); it is
 * out from `publish_at` until withdrawn. Its status is read from those dates, so a timed
 * notice needs no job to go out.
 */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    kind: text('kind').notNull().$type<NoticeKind>(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    /** The area's path: staff see the notices of their jurisdiction, residents those above them. */
    orgPath: text('org_path').notNull(),
    attachmentIds: uuid('attachment_ids').array().notNull().default(sql`'{}'::uuid[]`),
    publishAt: ts('publish_at').notNull().defaultNow(),
    pinned: boolean('pinned').notNull().default(false),
    withdrawnAt: ts('withdrawn_at'),
    withdrawReason: text('withdraw_reason'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    authorName: text('author_name').notNull(),
    authorUnit: text('author_unit'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('notices_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('notices_publish_idx').on(t.publishAt),
  ],
);

/** A resident who opened a notice, once (the primary key is the "once"). */
export const noticeReads = pgTable(
  'notice_reads',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: ts('read_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] }), index('notice_reads_user_idx').on(t.userId)],
);

/**
 * The community a resident bound to none (no dwelling, no real-name match) chose to read the
 * notices of. A bound resident's community comes from the binding instead.
 */
export const noticeReaderCommunities = pgTable('notice_reader_communities', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  communityId: integer('community_id')
    .notNull()
    .references(() => orgUnits.id),
  pickedAt: ts('picked_at').notNull().defaultNow(),
});
