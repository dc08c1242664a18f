import {
  type DeliberationStep,
  deliberationSteps,
  deliberationTransitions,
} from '@civicgrid/core/participation/deliberation';
import {
  type WishAction,
  type WishState,
  wishActions,
  wishTransitions,
} from '@civicgrid/core/participation/wishes';
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { defineScope } from '../../platform/scope.js';
import {
  deliberations,
  dualRegistrations,
  jointMeetings,
  volunteerActivities,
  volunteers,
  whistleDepartments,
  whistles,
  wishes,
} from './tables.js';
import { volunteerTeams } from './volunteerTeamTables.js';

export type WishRow = typeof wishes.$inferSelect;

/** What a volunteer sees of his community's wishes: those on the wall, not those under review. */
const onWall: WishState[] = ['published', 'claimed', 'fulfilled', 'rated'];

/**
 * Who sees a wish: the one who posted it; holders of wish:read whose jurisdiction holds its grid
 * (grid workers, community, street, district); a volunteer (wish:claim) of its community once it
 * is published, and the one who claimed it. Anyone else: it does not exist (404).
 */
export const wishesScope = defineScope(wishes, {
  id: wishes.id,
  path: wishes.orgPath,
  rule: (actor, inJurisdiction) => {
    const parts: SQL[] = [eq(wishes.postedBy, actor.userId)];
    if (actor.permissions.has('wish:read')) parts.push(inJurisdiction);
    if (actor.permissions.has('wish:claim')) {
      parts.push(and(inJurisdiction, inArray(wishes.status, onWall)) as SQL);
      parts.push(eq(wishes.claimedBy, actor.userId));
    }
    return or(...parts) ?? sql`false`;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    row.postedBy === actor.userId ||
    (actor.permissions.has('wish:read') && inJurisdiction) ||
    (actor.permissions.has('wish:claim') &&
      ((inJurisdiction && onWall.includes(row.status)) || row.claimedBy === actor.userId)),
});

/**
 * Why an action is refused, in the order the API promises (as for cases): outside sight is 404
 * (loadScoped, before), no permission or not one's own is 403, a state that does not allow it
 * is 409 — a wish someone else claimed first says so.
 */
export function wishRefusal(actor: Actor, row: WishRow, action: WishAction): AppError | null {
  const t = wishTransitions[action];
  const publisher = actor.permissions.has('wish:publish');
  if (t.party === 'posterOrPublisher') {
    if (!(row.postedBy === actor.userId && actor.permissions.has('wish:post')) && !publisher)
      return new AppError('FORBIDDEN');
  } else if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (t.party === 'poster' && row.postedBy !== actor.userId) return new AppError('WISH_NOT_YOURS');
  if (t.party === 'claimer' && row.claimedBy !== actor.userId)
    return row.claimedBy === null && row.status === 'published'
      ? new AppError('WISH_INVALID_STATE')
      : new AppError('WISH_NOT_YOURS');
  if (!t.from.includes(row.status)) {
    if (action === 'claim' && row.claimedBy !== null) return new AppError('WISH_ALREADY_CLAIMED');
    return new AppError('WISH_INVALID_STATE');
  }
  return null;
}

export function wishAllowedActions(actor: Actor, row: WishRow): WishAction[] {
  return wishActions.filter((a) => wishRefusal(actor, row, a) === null);
}

export type WhistleRow = typeof whistles.$inferSelect;

/**
 * Who sees a whistle: holders of whistle:read whose jurisdiction holds the street that raised
 * it, and the departments it summoned (their handlers, whatever their unit).
 */
export const whistlesScope = defineScope(whistles, {
  id: whistles.id,
  path: whistles.orgPath,
  rule: (actor, inJurisdiction) => {
    if (!actor.permissions.has('whistle:read')) return sql`false`;
    if (actor.departmentId === null) return inJurisdiction;
    return (
      or(
        inJurisdiction,
        sql`exists (select 1 from ${whistleDepartments} wd where wd.whistle_id = ${whistles.id} and wd.department_id = ${actor.departmentId})`,
      ) ?? sql`false`
    );
  },
  // A loaded whistle's departments are checked by the service (summonedTo) before it is shown.
  visibleRow: (actor, _row, inJurisdiction) =>
    actor.permissions.has('whistle:read') && (inJurisdiction || actor.departmentId !== null),
});

export type DeliberationRow = typeof deliberations.$inferSelect;

/**
 * Who sees a deliberation: holders of deliberation:read whose jurisdiction holds its community
 * or street; and the department it was sent to for review (its handlers, wherever they sit).
 */
export const deliberationsScope = defineScope(deliberations, {
  id: deliberations.id,
  path: deliberations.orgPath,
  rule: (actor, inJurisdiction) => {
    if (!actor.permissions.has('deliberation:read')) return sql`false`;
    if (actor.departmentId === null || !actor.permissions.has('deliberation:review')) return inJurisdiction;
    return or(inJurisdiction, eq(deliberations.reviewDepartmentId, actor.departmentId)) ?? sql`false`;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    actor.permissions.has('deliberation:read') &&
    (inJurisdiction ||
      (actor.departmentId !== null &&
        actor.permissions.has('deliberation:review') &&
        row.reviewDepartmentId === actor.departmentId)),
});

/**
 * Why a step is refused (after the scope's 404): without the step's permission 403; a
 * department reviews only what was sent to it (403); a step the deliberation is not at 409.
 */
export function deliberationRefusal(
  actor: Actor,
  row: DeliberationRow,
  step: DeliberationStep,
): AppError | null {
  const t = deliberationTransitions[step];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (step === 'review' && actor.departmentId !== null && row.reviewDepartmentId !== actor.departmentId)
    return new AppError('DELIBERATION_NOT_YOUR_REVIEW');
  if (!t.from.includes(row.status)) return new AppError('DELIBERATION_INVALID_STATE');
  return null;
}

export function deliberationAllowedActions(actor: Actor, row: DeliberationRow): DeliberationStep[] {
  return deliberationSteps.filter((s) => deliberationRefusal(actor, row, s) === null);
}

/** 双报到 and its joint meetings: the community's, read by volunteer:read holders in whose jurisdiction it is. */
export const dualRegistrationsScope = defineScope(dualRegistrations, {
  id: dualRegistrations.id,
  path: dualRegistrations.orgPath,
});
export const jointMeetingsScope = defineScope(jointMeetings, {
  id: jointMeetings.id,
  path: jointMeetings.orgPath,
});

export type VolunteerRow = typeof volunteers.$inferSelect;
export type ActivityRow = typeof volunteerActivities.$inferSelect;

/** Who sees a volunteer: holders of volunteer:read in whose jurisdiction he serves, and himself. */
export const volunteersScope = defineScope(volunteers, {
  id: volunteers.id,
  path: volunteers.orgPath,
  rule: (actor, inJurisdiction) => {
    const own = eq(volunteers.userId, actor.userId);
    return actor.permissions.has('volunteer:read') ? (or(inJurisdiction, own) ?? own) : own;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    row.userId === actor.userId || (actor.permissions.has('volunteer:read') && inJurisdiction),
});

/** Who sees an activity: staff of its area (volunteer:read) and the volunteers of it (volunteer:serve). */
export const activitiesScope = defineScope(volunteerActivities, {
  id: volunteerActivities.id,
  path: volunteerActivities.orgPath,
  rule: (actor, inJurisdiction) =>
    actor.permissions.has('volunteer:read') || actor.permissions.has('volunteer:serve')
      ? inJurisdiction
      : sql`false`,
  visibleRow: (actor, _row, inJurisdiction) =>
    (actor.permissions.has('volunteer:read') || actor.permissions.has('volunteer:serve')) && inJurisdiction,
});

/**
 * Whether the actor may sign up, check in or check out `volunteer` (null: he may): staff who
 * manage volunteers, for those they see; a volunteer, for himself only.
 */
export function actingForRefusal(actor: Actor, volunteer: VolunteerRow | undefined): AppError | null {
  if (actor.permissions.has('volunteer:manage')) {
    if (volunteer && volunteersScope.visible(actor, volunteer)) return null;
    if (!actor.permissions.has('volunteer:serve'))
      return fieldError('volunteerId', 'inJurisdiction', 'VOLUNTEER_UNKNOWN');
  }
  if (!actor.permissions.has('volunteer:serve')) return new AppError('FORBIDDEN');
  return volunteer?.userId === actor.userId ? null : new AppError('VOLUNTEER_NOT_YOURS');
}

export type TeamRow = typeof volunteerTeams.$inferSelect;

/** 志愿服务队: read by volunteer:read holders in whose jurisdiction it serves (others: 404). */
export const volunteerTeamsScope = defineScope(volunteerTeams, {
  id: volunteerTeams.id,
  path: volunteerTeams.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('volunteer:read') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('volunteer:read') && inJurisdiction,
});
