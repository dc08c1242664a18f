import {
  isUnderWay,
  type SocialProjectAction,
  socialProjectActions,
  socialProjectTransitions,
} from '@civicgrid/core/participation/socialOrgs';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope } from '../../platform/scope.js';
import { socialOrgs, socialProjects } from './socialOrgTables.js';

export type SocialOrgRow = typeof socialOrgs.$inferSelect;
export type SocialProjectRow = typeof socialProjects.$inferSelect;

/** A social organization is seen by the socialOrg:read holders whose jurisdiction holds the area it serves. */
export const socialOrgsScope = defineScope(socialOrgs, { id: socialOrgs.id, path: socialOrgs.orgPath });

/** A 公益创投 project is seen where its buyer (street or community) is in the jurisdiction. */
export const socialProjectsScope = defineScope(socialProjects, {
  id: socialProjects.id,
  path: socialProjects.orgPath,
});

/**
 * Why an action on a project is refused, after the scope's 404: without the action's permission
 * 403 (立项、结项、终止 are the buyer's, socialOrg:fund); a state that does not allow it 409.
 */
export function socialProjectRefusal(
  actor: Actor,
  row: SocialProjectRow,
  action: SocialProjectAction,
): AppError | null {
  const t = socialProjectTransitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (!t.from.includes(row.status)) return new AppError('SOCIAL_PROJECT_INVALID_STATE');
  return null;
}

export function socialProjectAllowedActions(actor: Actor, row: SocialProjectRow): SocialProjectAction[] {
  return socialProjectActions.filter((a) => socialProjectRefusal(actor, row, a) === null);
}

/** Ticking a milestone or recording money spent: socialOrg:manage (403), while under way (409). */
export function recordRefusal(actor: Actor, row: SocialProjectRow): AppError | null {
  if (!actor.permissions.has('socialOrg:manage')) return new AppError('FORBIDDEN');
  if (!isUnderWay(row.status)) return new AppError('SOCIAL_PROJECT_INVALID_STATE');
  return null;
}
