import { isNull, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { inScope } from '../../platform/scope.js';
import { users } from './tables.js';

/**
 * Which accounts an administrator manages: those bound inside the jurisdiction; accounts
 * of departments (no org unit) belong to the district level and to global admins.
 */
export function manageableUsers(actor: Actor): SQL {
  const unitScope = inScope(actor, users.orgPath);
  return districtWide(actor) ? (or(unitScope, isNull(users.orgPath)) as SQL) : unitScope;
}

export function districtWide(actor: Actor): boolean {
  return actor.global || actor.orgLevel === 'district';
}

/** 等保 2.0 separation of duties: no one holds two of the three administrator roles. */
export const separatedAdminRoles = ['systemAdmin', 'securityAdmin', 'auditAdmin'];
