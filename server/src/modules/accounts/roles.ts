import { builtInRoles, holdsAdminDuty, isPermission, type Permission, permissions } from '@civicgrid/core';
import { and, count, eq, inArray, ne } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { assertDutiesSeparate, assertGrantsNoDuty } from './policy.js';
import { roles, userRoles, users } from './tables.js';

export async function listRoles(db: Db) {
  const counts = await db
    .select({ roleId: userRoles.roleId, n: count() })
    .from(userRoles)
    .groupBy(userRoles.roleId);
  const byRole = new Map(counts.map((c) => [c.roleId, Number(c.n)]));
  const rows = await db.select().from(roles).orderBy(roles.id);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    builtIn: r.builtIn,
    permissions: r.permissions,
    totpRequired: r.totpRequired,
    userCount: byRole.get(r.id) ?? 0,
  }));
}

export function listPermissions() {
  return Object.entries(permissions).map(([name, description]) => ({ name, description }));
}

function checkPermissions(names: string[]): Permission[] {
  const bad = names.filter((p) => !isPermission(p));
  if (bad.length) {
    throw fieldError('permissions', 'known', 'PERMISSION_UNKNOWN', { permissions: bad.join('、') });
  }
  return [...new Set(names.filter(isPermission))];
}

export async function createRole(
  db: Db,
  actor: Actor,
  input: { code: string; name: string; permissions: string[]; totpRequired: boolean },
  meta: RequestMeta,
) {
  const perms = checkPermissions(input.permissions);
  // A role may carry one duty (given to an account only from the command line), never two.
  assertDutiesSeparate(perms, 'permissions');
  return db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, input.code));
    if (dup) throw fieldError('code', 'unique', 'ROLE_CODE_TAKEN');
    const [row] = await tx
      .insert(roles)
      .values({ code: input.code, name: input.name, permissions: perms, totpRequired: input.totpRequired })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'role.created',
      targetType: 'role',
      targetId: row.id,
      payload: { code: row.code, permissions: perms },
    });
    return row;
  });
}

/** The built-in roles whose second factor is part of the role (core roles.ts). */
const totpMandatory = new Set(builtInRoles.filter((r) => r.totpRequired).map((r) => r.code));

/**
 * Built-in roles keep their permissions (they are the product's); only 2FA may be required,
 * and the three administrators' cannot be turned off. A role in use is checked against
 * everyone who holds it: what each then holds together joins no duties; nobody edits a
 * role he holds, nor the permissions of a role an administrator holds (that would act on
 * another administrator's powers), nor makes its holders administrators.
 */
export async function updateRole(
  db: Db,
  actor: Actor,
  id: number,
  input: {
    name?: string | undefined;
    permissions?: string[] | undefined;
    totpRequired?: boolean | undefined;
  },
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    const [role] = await tx.select().from(roles).where(eq(roles.id, id));
    if (!role) throw new AppError('NOT_FOUND');
    if (role.builtIn && (input.name !== undefined || input.permissions !== undefined))
      throw new AppError('ROLE_BUILT_IN');
    if (input.totpRequired === false && totpMandatory.has(role.code))
      throw new AppError('ROLE_BUILT_IN', 'administrator roles always require two-factor authentication', [
        { field: 'totpRequired', rule: 'adminTotp', message: '管理员角色必须启用双因素认证，不能关闭' },
      ]);
    const perms = input.permissions ? checkPermissions(input.permissions) : undefined;
    const holders = await holdersOf(tx, id);
    if (perms) {
      assertDutiesSeparate(perms, 'permissions');
      for (const h of holders) assertDutiesSeparate([...h.others, ...perms], 'permissions', h.username);
    }
    if (holders.some((h) => h.id === actor.userId)) throw new AppError('ADMIN_ACCOUNT_PROTECTED');
    if (perms && holders.length > 0) {
      const current = new Set(role.permissions);
      if (holders.some((h) => holdsAdminDuty([...h.others, ...current])))
        throw new AppError('ADMIN_ACCOUNT_PROTECTED');
      assertGrantsNoDuty(perms, 'permissions');
    }
    const [row] = await tx
      .update(roles)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(perms ? { permissions: perms } : {}),
        ...(input.totpRequired === undefined ? {} : { totpRequired: input.totpRequired }),
      })
      .where(eq(roles.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'role.updated',
      targetType: 'role',
      targetId: id,
      payload: {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(perms ? { permissions: perms } : {}),
        ...(input.totpRequired === undefined ? {} : { totpRequired: input.totpRequired }),
      },
    });
    return row;
  });
}

/** Who holds a role, with the permissions each holds through his other roles. */
async function holdersOf(db: Db, roleId: number) {
  const rows = await db
    .select({ id: users.id, username: users.username })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(eq(userRoles.roleId, roleId));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const others = await db
    .select({ userId: userRoles.userId, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(inArray(userRoles.userId, ids), ne(userRoles.roleId, roleId)));
  return rows.map((r) => ({
    ...r,
    others: others.filter((o) => o.userId === r.id).flatMap((o) => o.permissions),
  }));
}

export async function deleteRole(db: Db, actor: Actor, id: number, meta: RequestMeta) {
  await db.transaction(async (tx) => {
    const [role] = await tx.select().from(roles).where(eq(roles.id, id));
    if (!role) throw new AppError('NOT_FOUND');
    if (role.builtIn) throw new AppError('ROLE_BUILT_IN');
    const [used] = await tx.select({ n: count() }).from(userRoles).where(eq(userRoles.roleId, id));
    if (Number(used?.n ?? 0) > 0) throw new AppError('ROLE_IN_USE');
    await tx.delete(roles).where(eq(roles.id, id));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'role.deleted',
      targetType: 'role',
      targetId: id,
      payload: { code: role.code },
    });
  });
}
