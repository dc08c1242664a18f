import type { Permission } from '@civicgrid/core';
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { gridTeamMembers } from '../org/tables.js';
import type { cases } from './tables.js';

type CaseRow = typeof cases.$inferSelect;

export interface HolderScope {
  unitId?: number;
  departmentId?: number;
  userId?: string;
}

/** Active users bound to a unit (or department, or one user) holding a permission through a role. */
export function holderCondition(where: HolderScope, permission: Permission): SQL | undefined {
  const cond: SQL[] = [
    isNull(users.disabledAt),
    sql`exists (select 1 from ${userRoles} inner join ${roles} on ${roles.id} = ${userRoles.roleId}
      where ${userRoles.userId} = ${users.id} and ${roles.permissions} ? ${permission})`,
  ];
  if (where.unitId !== undefined) cond.push(eq(users.orgUnitId, where.unitId));
  if (where.departmentId !== undefined) cond.push(eq(users.departmentId, where.departmentId));
  if (where.userId !== undefined) cond.push(eq(users.id, where.userId));
  return and(...cond);
}

/** Active users bound to a unit (or department, or one user) holding a permission: who gets told. */
export async function holders(db: Db, where: HolderScope, permission: Permission): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(holderCondition(where, permission));
  return rows.map((r) => r.id);
}

export async function gridTeamIds(db: Db, gridId: number | null): Promise<string[]> {
  if (gridId === null) return [];
  const rows = await db
    .select({ id: gridTeamMembers.userId })
    .from(gridTeamMembers)
    .where(eq(gridTeamMembers.gridId, gridId));
  return rows.map((r) => r.id);
}

/** The dispatchers of a unit: who accepts and sends on what it handles. */
export function dispatchers(db: Db, unitId: number): Promise<string[]> {
  return holders(db, { unitId }, 'case:dispatch');
}

/** Whoever the case is assigned to: the department's handlers, the unit's (or grid's team), or the person. */
export async function assigneeUsers(db: Db, row: CaseRow): Promise<string[]> {
  if (row.assigneeKind === 'department' && row.assigneeDepartmentId)
    return holders(db, { departmentId: row.assigneeDepartmentId }, 'case:handle');
  if (row.assigneeKind === 'orgUnit' && row.assigneeUnitId)
    return row.assigneeUnitId === row.gridId
      ? gridTeamIds(db, row.gridId)
      : holders(db, { unitId: row.assigneeUnitId }, 'case:handle');
  return row.assigneeUserId ? [row.assigneeUserId] : [];
}

export async function userNamesOf(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}
