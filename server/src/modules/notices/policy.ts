import { and, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { defineScope } from '../../platform/scope.js';
import { notices } from './tables.js';

export type NoticeRow = typeof notices.$inferSelect;

/**
 * Staff manage the notices sent to an area of their jurisdiction: a street sees its own and
 * its communities'; a community only its own (and its grids'), never a neighbour's.
 */
export const noticesScope = defineScope(notices, {
  id: notices.id,
  path: notices.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('notice:manage') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('notice:manage') && inJurisdiction,
});

/** Whether a path is an org path (digits and slashes), so it may be inlined below. */
const pathShape = /^\/(\d+\/)+$/;

/**
 * What a reader living at `home` (a grid's or a community's path) sees: the notices that are
 * out (published, not withdrawn) and sent to his area or to an area above it — the district's
 * and the street's reach every community under them; a neighbouring community's never does.
 */
export function readableAt(home: string): SQL {
  if (!pathShape.test(home)) throw new Error('corrupt org path');
  return (
    and(
      sql`${sql.raw(`'${home}'`)} like ${notices.orgPath} || '%'`,
      lte(notices.publishAt, sql`now()`),
      isNull(notices.withdrawnAt),
    ) ?? sql`false`
  );
}

export function readableRow(home: string, row: NoticeRow, now = new Date()): boolean {
  return home.startsWith(row.orgPath) && row.publishAt <= now && row.withdrawnAt === null;
}

export type NoticeAction = 'edit' | 'withdraw' | 'pin';
const noticeActions: NoticeAction[] = ['edit', 'withdraw', 'pin'];

/** What a manager who sees the notice (the scope, before) may do to it: nothing once withdrawn. */
export function allowedNoticeActions(actor: Actor, row: NoticeRow): NoticeAction[] {
  if (!actor.permissions.has('notice:manage') || row.withdrawnAt !== null) return [];
  return noticeActions;
}

/** Rows in a status, read from the dates. */
export function statusCondition(status: 'scheduled' | 'published' | 'withdrawn'): SQL {
  if (status === 'withdrawn') return sql`${notices.withdrawnAt} is not null`;
  const due = status === 'published' ? sql`${notices.publishAt} <= now()` : sql`${notices.publishAt} > now()`;
  return and(isNull(notices.withdrawnAt), due) ?? sql`false`;
}

export function searchCondition(q: string): SQL {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(sql`${notices.title} ilike ${like}`, sql`${notices.body} ilike ${like}`) ?? sql`false`;
}
