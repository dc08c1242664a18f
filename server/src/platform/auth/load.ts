import { isPermission, type OrgLevel, type Permission } from '@civicgrid/core';
import { eq, inArray } from 'drizzle-orm';
import { roles, userRoles, type users } from '../../modules/accounts/tables.js';
import { departments, orgUnits } from '../../modules/org/tables.js';
import type { Db } from '../db.js';
import type { Actor } from './actor.js';

export type UserRow = typeof users.$inferSelect;

/** Builds the actor of a user row: roles, permissions and jurisdiction. */
export async function loadActor(
  db: Db,
  user: UserRow,
  via: Actor['via'],
  session: { id: string; csrfToken: string; display?: boolean } | null,
): Promise<Actor> {
  const roleRows = await db
    .select({ code: roles.code, name: roles.name, permissions: roles.permissions, totp: roles.totpRequired })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, user.id));
  const perms = new Set<Permission>();
  for (const r of roleRows) for (const p of r.permissions) if (isPermission(p)) perms.add(p);
  let unit: { name: string; level: OrgLevel; path: string } | undefined;
  if (user.orgUnitId !== null) {
    [unit] = await db
      .select({ name: orgUnits.name, level: orgUnits.level, path: orgUnits.path })
      .from(orgUnits)
      .where(eq(orgUnits.id, user.orgUnitId));
  }
  let departmentName: string | null = null;
  if (user.departmentId !== null) {
    const [d] = await db
      .select({ name: departments.name })
      .from(departments)
      .where(eq(departments.id, user.departmentId));
    departmentName = d?.name ?? null;
  }
  const totpRequired = roleRows.some((r) => r.totp);
  const totpEnabled = user.totpEnabledAt !== null;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: roleRows.map((r) => ({ code: r.code, name: r.name })),
    permissions: perms,
    orgUnitId: user.orgUnitId,
    orgUnitName: unit?.name ?? null,
    orgLevel: unit?.level ?? null,
    orgPath: unit?.path ?? null,
    departmentId: user.departmentId,
    departmentName,
    // A resident signed in by phone (/r) belongs to no unit, and is not the whole installation.
    global:
      user.orgUnitId === null &&
      user.departmentId === null &&
      !(roleRows.length > 0 && roleRows.every((r) => r.code === 'resident')),
    via,
    sessionId: session?.id ?? null,
    csrfToken: session?.csrfToken ?? null,
    display: session?.display ?? false,
    readOnly: perms.has('screen:display'),
    restricted: user.mustChangePassword
      ? 'mustChangePassword'
      : totpRequired && !totpEnabled
        ? 'totpEnrolment'
        : null,
    totpEnabled,
    totpRequired,
  };
}

export async function userIdsWithRoles(db: Db, roleIds: number[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ userId: userRoles.userId })
    .from(userRoles)
    .where(inArray(userRoles.roleId, roleIds));
  return rows.map((r) => r.userId);
}
