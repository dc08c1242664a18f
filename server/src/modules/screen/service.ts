import {
  type ScreenCase,
  type ScreenFeedItem,
  type ScreenGrid,
  screenCaseCap,
  screenFeedCap,
} from '@civicgrid/core/api/screen';
import { finalStates } from '@civicgrid/core/cases/stateMachine';
import {
  and,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { nameBook } from '../cases/names.js';
import { caseEvents, cases } from '../cases/tables.js';
import { orgUnits } from '../org/tables.js';
import { screenCasesWhere, screenGridsWhere } from './policy.js';
import { feedActions, presentCase, presentFeedItem, presentGrid } from './presenter.js';

/**
 * The big screen's data. Every query goes through the scopes of policy.ts, and every reply
 * is built by presenter.ts field by field from non-personal columns (DESIGN.md §6).
 */

const open = notInArray(cases.status, [...finalStates]);

/**
 * Every grid in the jurisdiction with its open and overdue cases: one query, the cases
 * grouped by grid first (a join per grid row would test the scope once per grid × case).
 */
export async function screenGrids(db: Db, actor: Actor): Promise<ScreenGrid[]> {
  const load = db
    .select({
      gridId: cases.gridId,
      open: sql<number>`count(*)::int`.as('open'),
      overdue: sql<number>`count(*) filter (where ${cases.overdue})::int`.as('overdue'),
    })
    .from(cases)
    .where(and(open, screenCasesWhere(actor), isNotNull(cases.gridId)))
    .groupBy(cases.gridId)
    .as('load');
  const [book, rows] = await Promise.all([
    nameBook(db),
    db
      .select({
        id: orgUnits.id,
        name: orgUnits.name,
        parentId: orgUnits.parentId,
        geometry: orgUnits.geometry,
        open: sql<number>`coalesce(${load.open}, 0)`,
        overdue: sql<number>`coalesce(${load.overdue}, 0)`,
      })
      .from(orgUnits)
      .leftJoin(load, eq(load.gridId, orgUnits.id))
      .where(
        and(
          eq(orgUnits.level, 'grid'),
          isNull(orgUnits.retiredAt),
          isNotNull(orgUnits.geometry),
          screenGridsWhere(actor),
        ),
      )
      .orderBy(orgUnits.id),
  ]);
  return rows.map((r) => presentGrid(book, r));
}

/** The newest open cases with a location: points for the map and the heat layer. */
export async function screenCases(db: Db, actor: Actor): Promise<{ items: ScreenCase[]; capped: boolean }> {
  const [book, rows] = await Promise.all([
    nameBook(db),
    db
      .select({
        id: cases.id,
        code: cases.code,
        categoryCode: cases.categoryCode,
        status: cases.status,
        overdue: cases.overdue,
        lng: cases.lng,
        lat: cases.lat,
        reportedAt: cases.reportedAt,
      })
      .from(cases)
      .where(and(screenCasesWhere(actor), open, isNotNull(cases.lat), isNotNull(cases.lng)))
      .orderBy(desc(cases.reportedAt))
      .limit(screenCaseCap + 1),
  ]);
  return {
    capped: rows.length > screenCaseCap,
    items: rows.slice(0, screenCaseCap).map((r) => presentCase(book, r)),
  };
}

const weekMs = 7 * 86_400_000;

/**
 * The live feed from the trail (全程留痕): cases reported, warnings, overdue, supervision,
 * escalation and closing, newest first by when they happened (`feedOrder`). The screen asks
 * again with `after` (an event id: what was written since) whenever the event stream says a
 * case changed, and puts the new lines in their place by time.
 */
export async function screenFeed(db: Db, actor: Actor, after: number | undefined): Promise<ScreenFeedItem[]> {
  const [book, rows] = await Promise.all([
    nameBook(db),
    db
      .select({
        id: caseEvents.id,
        action: caseEvents.action,
        toState: caseEvents.toState,
        at: caseEvents.at,
        caseId: cases.id,
        code: cases.code,
        categoryCode: cases.categoryCode,
        gridId: cases.gridId,
        communityId: cases.communityId,
        streetId: cases.streetId,
        status: cases.status,
        overdue: cases.overdue,
        lng: cases.lng,
        lat: cases.lat,
      })
      .from(caseEvents)
      .innerJoin(cases, eq(cases.id, caseEvents.caseId))
      .where(
        and(
          or(
            inArray(caseEvents.action, Object.keys(feedActions)),
            and(eq(caseEvents.toState, 'closed'), sql`${caseEvents.fromState} is distinct from 'closed'`),
          ),
          // The first read looks back a week at most: a live feed, not the archive.
          after === undefined ? gte(caseEvents.at, new Date(Date.now() - weekMs)) : gt(caseEvents.id, after),
          screenCasesWhere(actor),
        ) as SQL,
      )
      .orderBy(desc(caseEvents.at), desc(caseEvents.id))
      .limit(screenFeedCap),
  ]);
  return rows.map((r) => presentFeedItem(book, r));
}
