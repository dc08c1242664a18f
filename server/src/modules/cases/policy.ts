import {
  type CaseAction,
  type CaseGuard,
  type CaseState,
  caseActions,
  reopenWindowDays,
  transitions,
} from '@civicgrid/core/cases/stateMachine';
import { and, arrayContains, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { defineScope, jurisdiction, pathInScope } from '../../platform/scope.js';
import { gridTeamMembers, orgUnits } from '../org/tables.js';
import type { NameBook } from './names.js';
import { caseCategories, cases } from './tables.js';

type CaseRow = typeof cases.$inferSelect;

/**
 * Who sees a case (DESIGN.md §3): a holder of case:read whose jurisdiction contains its
 * place; the departments it was dispatched to; the person who reported it and the person it
 * is assigned to. Residents (no case:read) see only their own reports, wherever they live.
 * Every case query of this module reads through this one scope.
 */
export const casesScope = defineScope(cases, {
  id: cases.id,
  path: cases.orgPath,
  rule: (actor, inJurisdiction) => {
    const parts: SQL[] = actor.permissions.has('case:read') ? [inJurisdiction] : [];
    if (actor.departmentId !== null) parts.push(arrayContains(cases.departmentIds, [actor.departmentId]));
    parts.push(eq(cases.reporterUserId, actor.userId), eq(cases.assigneeUserId, actor.userId));
    return or(...parts) ?? sql`false`;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    (actor.permissions.has('case:read') && inJurisdiction) ||
    (actor.departmentId !== null && row.departmentIds.includes(actor.departmentId)) ||
    row.reporterUserId === actor.userId ||
    row.assigneeUserId === actor.userId,
});

/**
 * Someone who sees a case only because he reported it (a resident: no case:read, not its
 * assignee, not of a department handling it). He follows it through the public view
 * (/api/my/cases); the staff view shows him no staff names and not the trail's notes.
 */
export function seesOnlyAsReporter(actor: Actor, row: CaseRow): boolean {
  return (
    !actor.permissions.has('case:read') &&
    row.assigneeUserId !== actor.userId &&
    !(actor.departmentId !== null && row.departmentIds.includes(actor.departmentId))
  );
}

export function canSeeCase(actor: Actor, row: CaseRow): boolean {
  return casesScope.visible(actor, row);
}

/**
 * Whether a case event on the bus concerns the actor's lists: a holder of case:read whose
 * jurisdiction holds it, or a department it went to (the event carries no reporter or assignee).
 */
export function caseEventVisible(
  actor: Actor,
  e: { orgPath: string; departmentIds: readonly number[] },
): boolean {
  return (
    (actor.permissions.has('case:read') && pathInScope(actor, e.orgPath)) ||
    (actor.departmentId !== null && e.departmentIds.includes(actor.departmentId))
  );
}

/**
 * Facts about the actor and the case that the guards need: whether the actor is on the
 * grid's team, whether the category may be resolved on the spot, the handling level.
 */
export async function guardFacts(db: Db, actor: Actor, row: CaseRow, book: NameBook): Promise<GuardFacts> {
  let onGridTeam = false;
  if (row.gridId !== null) {
    if (actor.orgUnitId === row.gridId) onGridTeam = true;
    else {
      const [m] = await db
        .select({ u: gridTeamMembers.userId })
        .from(gridTeamMembers)
        .where(and(eq(gridTeamMembers.gridId, row.gridId), eq(gridTeamMembers.userId, actor.userId)));
      onGridTeam = m !== undefined;
    }
  }
  return {
    onGridTeam,
    selfResolvable: book.categories.get(row.categoryCode)?.selfResolvable ?? false,
    handlingLevel: book.units.get(row.handlingUnitId)?.level ?? 'district',
  };
}

/** The path of the unit handling the case: a prefix of the case's own path. */
export function handlingPath(row: Pick<CaseRow, 'orgPath' | 'handlingUnitId'>): string {
  const marker = `/${row.handlingUnitId}/`;
  const at = row.orgPath.indexOf(marker);
  return at < 0 ? row.orgPath : row.orgPath.slice(0, at + marker.length);
}

/** Facts about the actor and the case that the guards need, loaded by the service. */
export interface GuardFacts {
  onGridTeam: boolean;
  selfResolvable: boolean;
  handlingLevel: string;
}

function isDispatcher(actor: Actor, row: CaseRow): boolean {
  if (actor.global) return true;
  if (actor.orgPath === null || actor.orgLevel === 'grid') return false;
  return handlingPath(row).startsWith(actor.orgPath);
}

export function isAssignee(actor: Actor, row: CaseRow, facts: GuardFacts): boolean {
  switch (row.assigneeKind) {
    case 'department':
      return actor.departmentId !== null && actor.departmentId === row.assigneeDepartmentId;
    case 'orgUnit':
      return (
        actor.orgUnitId !== null &&
        (actor.orgUnitId === row.assigneeUnitId || (row.assigneeUnitId === row.gridId && facts.onGridTeam))
      );
    case 'user':
      return row.assigneeUserId === actor.userId;
    default:
      return false;
  }
}

function guardHolds(guard: CaseGuard, actor: Actor, row: CaseRow, facts: GuardFacts): boolean {
  switch (guard) {
    case 'handlingLevel':
      return isDispatcher(actor, row);
    case 'assignee':
      return isAssignee(actor, row, facts);
    case 'gridTeam':
      return facts.onGridTeam;
    case 'selfResolvable':
      return facts.selfResolvable;
    case 'belowDistrict':
      return facts.handlingLevel !== 'district';
    case 'pendingExtension':
      return row.extension !== null;
    case 'handlingLevelOrGridTeam':
      return isDispatcher(actor, row) || facts.onGridTeam;
    case 'handlingLevelOrAssignee':
      return isDispatcher(actor, row) || isAssignee(actor, row, facts);
    case 'reporter':
      return row.reporterUserId === actor.userId;
    case 'reopenWindow':
      return row.closedAt !== null && Date.now() - row.closedAt.getTime() <= reopenWindowDays * 86_400_000;
  }
}

/**
 * Why an action is refused, in the order the API promises: a case outside the
 * jurisdiction is not found (checked before), no permission is 403, a state that does not
 * allow it is 409, and a guard that fails is 403 (not your step) or 409 (not now).
 */
export function refusal(actor: Actor, row: CaseRow, action: CaseAction, facts: GuardFacts): AppError | null {
  const t = transitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (!t.from.includes(row.status as CaseState)) return new AppError('CASE_INVALID_STATE');
  for (const g of t.guards) {
    if (guardHolds(g, actor, row, facts)) continue;
    if (g === 'belowDistrict' || g === 'pendingExtension' || g === 'selfResolvable' || g === 'reopenWindow')
      return new AppError('CASE_INVALID_STATE', `guard ${g}`);
    return new AppError('CASE_NOT_YOURS');
  }
  return null;
}

export function allowedActions(actor: Actor, row: CaseRow, facts: GuardFacts): CaseAction[] {
  return caseActions.filter((a) => refusal(actor, row, a, facts) === null);
}

// ——— the same rules as a WHERE condition, for lists and to-do counts ———

/** `handlingPath(row)` in SQL: the case's path up to and including its handling unit. */
const handlingPathSql = sql`(case when strpos(${cases.orgPath}, '/' || ${cases.handlingUnitId} || '/') > 0
  then left(${cases.orgPath}, strpos(${cases.orgPath}, '/' || ${cases.handlingUnitId} || '/') + length(${cases.handlingUnitId}::text) + 1)
  else ${cases.orgPath} end)`;

function dispatcherSql(actor: Actor): SQL {
  if (actor.global) return sql`true`;
  if (actor.orgPath === null || actor.orgLevel === 'grid') return sql`false`;
  // The handling path is a prefix of the case's own path: the second test is implied by the
  // first, and lets the planner use the path index.
  return and(sql`${handlingPathSql} like ${`${actor.orgPath}%`}`, jurisdiction(actor, cases.orgPath)) as SQL;
}

function onGridTeamSql(actor: Actor): SQL {
  const member = sql`exists (select 1 from ${gridTeamMembers} where ${gridTeamMembers.gridId} = ${cases.gridId} and ${gridTeamMembers.userId} = ${actor.userId})`;
  return actor.orgUnitId === null
    ? sql`(${cases.gridId} is not null and ${member})`
    : sql`(${cases.gridId} is not null and (${cases.gridId} = ${actor.orgUnitId} or ${member}))`;
}

function assigneeSql(actor: Actor): SQL {
  const parts: SQL[] = [and(eq(cases.assigneeKind, 'user'), eq(cases.assigneeUserId, actor.userId)) as SQL];
  if (actor.departmentId !== null)
    parts.push(
      and(eq(cases.assigneeKind, 'department'), eq(cases.assigneeDepartmentId, actor.departmentId)) as SQL,
    );
  if (actor.orgUnitId !== null)
    parts.push(
      and(
        eq(cases.assigneeKind, 'orgUnit'),
        or(
          eq(cases.assigneeUnitId, actor.orgUnitId),
          and(sql`${cases.assigneeUnitId} = ${cases.gridId}`, onGridTeamSql(actor)),
        ),
      ) as SQL,
    );
  return or(...parts) as SQL;
}

function guardSql(guard: CaseGuard, actor: Actor): SQL {
  switch (guard) {
    case 'handlingLevel':
      return dispatcherSql(actor);
    case 'assignee':
      return assigneeSql(actor);
    case 'gridTeam':
      return onGridTeamSql(actor);
    case 'selfResolvable':
      return sql`exists (select 1 from ${caseCategories} where ${caseCategories.code} = ${cases.categoryCode} and ${caseCategories.selfResolvable})`;
    case 'belowDistrict':
      return sql`exists (select 1 from ${orgUnits} where ${orgUnits.id} = ${cases.handlingUnitId} and ${orgUnits.level} <> 'district')`;
    case 'pendingExtension':
      return sql`${cases.extension} is not null`;
    case 'handlingLevelOrGridTeam':
      return or(dispatcherSql(actor), onGridTeamSql(actor)) as SQL;
    case 'handlingLevelOrAssignee':
      return or(dispatcherSql(actor), assigneeSql(actor)) as SQL;
    case 'reporter':
      return eq(cases.reporterUserId, actor.userId);
    case 'reopenWindow':
      return sql`${cases.closedAt} > now() - make_interval(days => ${reopenWindowDays})`;
  }
}

/**
 * The cases on which `refusal(actor, row, action)` is null, as a condition: permission,
 * state and every guard, read from the same transition table. The to-do views are built on
 * it, so a list counts exactly the cases whose detail page offers the action.
 */
export function actionAllowedSql(actor: Actor, action: CaseAction): SQL {
  const t = transitions[action];
  if (!actor.permissions.has(t.permission)) return sql`false`;
  return and(inArray(cases.status, [...t.from]), ...t.guards.map((g) => guardSql(g, actor))) as SQL;
}
