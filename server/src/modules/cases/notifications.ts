import type { Permission } from '@civicgrid/core';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { users } from '../accounts/tables.js';
import { type HolderScope, holderCondition } from './recipients.js';
import { notifications } from './tables.js';

export interface NotificationInput {
  kind: string;
  title: string;
  body?: string | null;
  caseId?: string | null;
  /** What it is about; a caseId alone stands for the case. */
  subject?: { type: 'case' | 'application'; id: string } | null;
  /** The page the recipients open; by default the console's page of the subject. */
  link?: string | null;
}

const consolePages = { case: '/cases/', application: '/applications/' } as const;

/** The subject and link a notification is written with (a caseId alone: that case). */
export function subjectOf(n: NotificationInput) {
  const subject = n.subject ?? (n.caseId ? { type: 'case' as const, id: n.caseId } : null);
  return {
    caseId: n.caseId ?? (subject?.type === 'case' ? subject.id : null),
    subjectType: subject?.type ?? null,
    subjectId: subject?.id ?? null,
    link: n.link ?? (subject ? `${consolePages[subject.type]}${subject.id}` : null),
  };
}

type NotificationRow = typeof notifications.$inferSelect;

/** Writes in-app notifications in the caller's transaction; returns them for publishing after commit. */
export async function notifyUsers(
  tx: Db,
  userIds: Iterable<string>,
  n: NotificationInput,
): Promise<NotificationRow[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const about = subjectOf(n);
  return tx
    .insert(notifications)
    .values(
      ids.map((userId) => ({
        userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        ...about,
      })),
    )
    .returning();
}

/**
 * `notifyUsers(tx, await holders(tx, where, permission), n)` in one statement: the rows are
 * inserted from the select of the recipients (a report runs this on every case).
 */
export async function notifyHolders(
  tx: Db,
  where: HolderScope,
  permission: Permission,
  n: NotificationInput,
): Promise<NotificationRow[]> {
  const about = subjectOf(n);
  // Every column in the table's order (drizzle checks it), typed where PostgreSQL cannot infer it.
  const recipients = tx
    .select({
      id: sql<number>`nextval('notifications_id_seq')`.as('id'),
      userId: users.id,
      kind: sql<string>`cast(${n.kind} as text)`.as('kind'),
      title: sql<string>`cast(${n.title} as text)`.as('title'),
      body: sql<string | null>`cast(${n.body ?? null} as text)`.as('body'),
      caseId: sql<string | null>`cast(${about.caseId} as uuid)`.as('case_id'),
      subjectType: sql<string | null>`cast(${about.subjectType} as text)`.as('subject_type'),
      subjectId: sql<string | null>`cast(${about.subjectId} as uuid)`.as('subject_id'),
      link: sql<string | null>`cast(${about.link} as text)`.as('link'),
      createdAt: sql<Date>`now()`.as('created_at'),
      readAt: sql<Date | null>`cast(null as timestamptz)`.as('read_at'),
    })
    .from(users)
    .where(holderCondition(where, permission));
  return tx.insert(notifications).select(recipients).returning();
}

/** A page of one user's notifications, newest first, with the total and the unread count. */
export async function listNotifications(db: Db, userId: string, page: number, pageSize: number) {
  const mine = eq(notifications.userId, userId);
  const [rows, [total], [unread]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(mine)
      .orderBy(desc(notifications.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(notifications).where(mine),
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt?.toISOString() ?? null,
    })),
    total: Number(total?.n ?? 0),
    unread: Number(unread?.n ?? 0),
  };
}

/** Marks one of the user's notifications read, or all of them without an id. */
export async function markRead(db: Db, userId: string, id?: number): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      id === undefined
        ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
        : and(eq(notifications.id, id), eq(notifications.userId, userId)),
    );
}
