import { dutyConflict, holdsAdminDuty } from '@civicgrid/core';
import { eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { defineScope } from '../../platform/scope.js';
import { roles, userRoles, users } from './tables.js';

/**
 * Which accounts an administrator manages: those bound inside the jurisdiction; accounts
 * of departments (no org unit) belong to the district level and to global admins.
 */
export const userScope = defineScope(users, {
  id: users.id,
  path: users.orgPath,
  rule: (actor, inJurisdiction) =>
    districtWide(actor) ? (or(inJurisdiction, isNull(users.orgPath)) as SQL) : inJurisdiction,
  visibleRow: (actor, row, inJurisdiction) => inJurisdiction || (districtWide(actor) && row.orgPath === null),
});

export function districtWide(actor: Actor): boolean {
  return actor.global || actor.orgLevel === 'district';
}

/**
 * The role list is configuration of who may do what: it is shown to those who keep roles
 * and to those who give them to accounts (the user form picks from it), nobody else.
 */
export function mayListRoles(actor: Actor): boolean {
  return actor.permissions.has('role:read') || actor.permissions.has('user:write');
}

/** The permissions each user holds through all their roles (users without roles: empty). */
export async function permissionsOfUsers(db: Db, userIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map(userIds.map((id) => [id, new Set<string>()]));
  if (userIds.length === 0) return out;
  const rows = await db
    .select({ userId: userRoles.userId, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(inArray(userRoles.userId, userIds));
  for (const r of rows) for (const p of r.permissions) out.get(r.userId)?.add(p);
  return out;
}

/** 三员分立 over permissions: one role, or one user's roles together, may not join duties. */
export function assertDutiesSeparate(permissions: Iterable<string>, field: string, whose = ''): void {
  const conflict = dutyConflict(permissions);
  if (!conflict) return;
  const message = whose ? `${whose}：${conflict.message}` : conflict.message;
  throw new AppError('DUTIES_COMBINED', conflict.message, [{ field, rule: 'separationOfDuties', message }]);
}

/**
 * No administrator acts on another administrator's account — nor on his own — through the
 * console: a security admin who could reset the auditor's password could log in as the
 * auditor, and one who could change his own roles could give himself anything. Accounts
 * that hold a duty (system, security or audit) are created and maintained by whoever runs
 * the server, with `npm run admin:*` (server/src/cli/admin.ts), and that is audited too.
 * Own password: /api/auth/password.
 */
export function isProtectedAccount(actor: Actor, targetId: string, targetPermissions: Set<string>): boolean {
  return targetId === actor.userId || holdsAdminDuty(targetPermissions);
}

/**
 * Giving an account a duty gives whoever set its password that duty: the security admin
 * would create an auditor and log in as him. The console therefore grants no duty at all.
 */
export function assertGrantsNoDuty(permissions: Iterable<string>, field: string): void {
  if (!holdsAdminDuty(permissions)) return;
  throw new AppError('ADMIN_DUTY_GRANT', undefined, [
    {
      field,
      rule: 'adminDutyByCli',
      message: '管理员职责（系统管理、安全管理、审计）只能由运维人员使用命令行工具授予',
    },
  ]);
}
