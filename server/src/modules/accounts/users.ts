import { holdsAdminDuty, type Permission } from '@civicgrid/core';
import { and, count, eq, ilike, inArray, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { hashPassword } from '../../platform/auth/password.js';
import { assertStrongPassword, auditActorOf } from '../../platform/auth/service.js';
import { endUserSessions, revokeUserTokens } from '../../platform/auth/sessions.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import { orgUnitScope } from '../org/policy.js';
import { departments, orgUnits } from '../org/tables.js';
import {
  assertDutiesSeparate,
  assertGrantsNoDuty,
  districtWide,
  isProtectedAccount,
  permissionsOfUsers,
  userScope,
} from './policy.js';
import { presentUser, type UserRow } from './presenter.js';
import { roles, userRoles, users } from './tables.js';

interface Deps {
  db: Db;
  crypto: FieldCrypto;
}

export interface UserQuery {
  q?: string | undefined;
  orgUnitId?: number | undefined;
  departmentId?: number | undefined;
  role?: string | undefined;
  page: number;
  pageSize: number;
}

/** Users as the API shows them, with role codes and unit names, in one pass. */
async function present({ db, crypto }: Deps, rows: UserRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const roleRows = await db
    .select({ userId: userRoles.userId, code: roles.code, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(inArray(userRoles.userId, ids));
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId).filter((x): x is number => x !== null))];
  const deptIds = [...new Set(rows.map((r) => r.departmentId).filter((x): x is number => x !== null))];
  const units = unitIds.length
    ? await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, unitIds))
    : [];
  const depts = deptIds.length
    ? await db
        .select({ id: departments.id, name: departments.name })
        .from(departments)
        .where(inArray(departments.id, deptIds))
    : [];
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const deptName = new Map(depts.map((d) => [d.id, d.name]));
  return rows.map((u) => {
    const own = roleRows.filter((r) => r.userId === u.id);
    return presentUser(crypto, u, {
      roles: own.map((r) => r.code),
      administrator: holdsAdminDuty(own.flatMap((r) => r.permissions)),
      orgUnitName: u.orgUnitId === null ? null : (unitName.get(u.orgUnitId) ?? null),
      departmentName: u.departmentId === null ? null : (deptName.get(u.departmentId) ?? null),
    });
  });
}

async function presentOne(deps: Deps, row: UserRow) {
  const [u] = await present(deps, [row]);
  if (!u) throw new Error('present returned nothing');
  return u;
}

export async function listUsers(deps: Deps, actor: Actor, query: UserQuery) {
  const { db } = deps;
  const conds: (SQL | undefined)[] = [userScope.where(actor)];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    conds.push(or(ilike(users.username, pattern), ilike(users.displayName, pattern)));
  }
  if (query.orgUnitId) conds.push(eq(users.orgUnitId, query.orgUnitId));
  if (query.departmentId) conds.push(eq(users.departmentId, query.departmentId));
  if (query.role) {
    const withRole = db
      .select({ id: userRoles.userId })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(eq(roles.code, query.role));
    conds.push(inArray(users.id, withRole));
  }
  const where = and(...conds);
  const [total] = await db.select({ n: count() }).from(users).where(where);
  const rows = await db
    .select()
    .from(users)
    .where(where)
    .orderBy(users.username)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: await present(deps, rows), total: Number(total?.n ?? 0) };
}

function loadUser(db: Db, actor: Actor, id: string): Promise<UserRow> {
  return loadScoped(db, actor, userScope, id);
}

export async function getUser(deps: Deps, actor: Actor, id: string) {
  return presentOne(deps, await loadUser(deps.db, actor, id));
}

/** Resolves where an account is bound; the binding must lie in the admin's jurisdiction. */
async function binding(
  db: Db,
  actor: Actor,
  orgUnitId: number | null | undefined,
  departmentId: number | null | undefined,
) {
  if (orgUnitId) {
    const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId));
    if (!unit || !orgUnitScope.visible(actor, unit))
      throw fieldError('orgUnitId', 'inJurisdiction', 'USER_UNIT_NOT_IN_JURISDICTION');
    return { orgUnitId: unit.id, orgPath: unit.path, departmentId: null };
  }
  if (departmentId) {
    if (!districtWide(actor))
      throw fieldError('departmentId', 'districtLevel', 'USER_DEPARTMENT_DISTRICT_ONLY');
    const [d] = await db.select().from(departments).where(eq(departments.id, departmentId));
    if (!d) throw fieldError('departmentId', 'exists', 'USER_DEPARTMENT_NOT_FOUND');
    return { orgUnitId: null, orgPath: null, departmentId: d.id };
  }
  throw fieldError('orgUnitId', 'required', 'USER_BINDING_REQUIRED');
}

/**
 * The roles an account is given from the console: known, their permissions together
 * joining no duties (三员分立), and carrying no duty at all (see assertGrantsNoDuty).
 */
async function grantableRoleIds(db: Db, codes: string[]): Promise<number[]> {
  const unique = [...new Set(codes)];
  const rows = await db
    .select({ id: roles.id, code: roles.code, permissions: roles.permissions })
    .from(roles)
    .where(inArray(roles.code, unique));
  if (rows.length !== unique.length) {
    const missing = unique.filter((c) => !rows.some((r) => r.code === c));
    throw fieldError('roles', 'known', 'ROLE_UNKNOWN', { roles: missing.join('、') });
  }
  const union = rows.flatMap((r) => r.permissions);
  assertDutiesSeparate(union, 'roles');
  assertGrantsNoDuty(union, 'roles');
  return rows.map((r) => r.id);
}

type TargetAction = 'update' | 'passwordReset' | 'unlock';

/**
 * Refuses, and audits the attempt, when the account is the actor's own or an
 * administrator's (policy.ts isProtectedAccount). Checked before the use case's
 * transaction so the audit row of the refusal is kept; the use case checks again inside.
 */
async function guardTarget(db: Db, actor: Actor, id: string, action: TargetAction, meta: RequestMeta) {
  const target = await loadUser(db, actor, id);
  if (!(await isProtected(db, actor, target.id))) return;
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'user.adminActionRefused',
      targetType: 'user',
      targetId: id,
      payload: { attempted: action, own: id === actor.userId },
    }),
  );
  throw new AppError('ADMIN_ACCOUNT_PROTECTED');
}

async function isProtected(db: Db, actor: Actor, id: string): Promise<boolean> {
  const perms = (await permissionsOfUsers(db, [id])).get(id) ?? new Set<string>();
  return isProtectedAccount(actor, id, perms);
}

async function assertNotProtected(db: Db, actor: Actor, id: string): Promise<void> {
  if (await isProtected(db, actor, id)) throw new AppError('ADMIN_ACCOUNT_PROTECTED');
}

export interface UserCreateInput {
  username: string;
  displayName: string;
  phone?: string | undefined;
  password: string;
  orgUnitId?: number | undefined;
  departmentId?: number | undefined;
  roles: string[];
}

export async function createUser(deps: Deps, actor: Actor, input: UserCreateInput, meta: RequestMeta) {
  const { db, crypto } = deps;
  assertStrongPassword(input.password, 'password');
  const passwordHash = await hashPassword(input.password);
  const row = await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw fieldError('username', 'unique', 'USERNAME_TAKEN');
    const bound = await binding(tx, actor, input.orgUnitId, input.departmentId);
    const roleIds = await grantableRoleIds(tx, input.roles);
    const [u] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        phoneEnc: input.phone ? crypto.encrypt(input.phone) : null,
        passwordHash,
        // Admin-created accounts change the password at first login (等保 2.0).
        mustChangePassword: true,
        ...bound,
      })
      .returning();
    if (!u) throw new Error('insert returned nothing');
    await tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: u.id, roleId })));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'user.created',
      targetType: 'user',
      targetId: u.id,
      payload: {
        username: u.username,
        roles: input.roles,
        orgUnitId: bound.orgUnitId,
        departmentId: bound.departmentId,
      },
    });
    return u;
  });
  return presentOne(deps, row);
}

export interface UserUpdateInput {
  displayName?: string | undefined;
  phone?: string | null | undefined;
  orgUnitId?: number | null | undefined;
  departmentId?: number | null | undefined;
  roles?: string[] | undefined;
  disabled?: boolean | undefined;
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UserUpdateInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  await guardTarget(db, actor, id, 'update', meta);
  const row = await db.transaction(async (tx) => {
    const current = await loadUser(tx, actor, id);
    await assertNotProtected(tx, actor, id);
    const rebind = input.orgUnitId !== undefined || input.departmentId !== undefined;
    const bound = rebind ? await binding(tx, actor, input.orgUnitId, input.departmentId) : {};
    const [u] = await tx
      .update(users)
      .set({
        ...bound,
        ...(input.displayName ? { displayName: input.displayName } : {}),
        ...(input.phone === undefined ? {} : { phoneEnc: input.phone ? crypto.encrypt(input.phone) : null }),
        ...(input.disabled === undefined
          ? {}
          : { disabledAt: input.disabled ? (current.disabledAt ?? new Date()) : null }),
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning();
    if (input.roles) {
      const roleIds = await grantableRoleIds(tx, input.roles);
      await tx.delete(userRoles).where(eq(userRoles.userId, id));
      await tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: id, roleId })));
    }
    if (input.disabled) await endUserSessions(tx, id);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'user.updated',
      targetType: 'user',
      targetId: id,
      payload: {
        fields: Object.keys(input),
        ...(input.roles ? { roles: input.roles } : {}),
        ...(input.disabled === undefined ? {} : { disabled: input.disabled }),
      },
    });
    return u as UserRow;
  });
  return presentOne(deps, row);
}

export async function resetPassword(
  deps: Deps,
  actor: Actor,
  id: string,
  password: string,
  meta: RequestMeta,
) {
  await guardTarget(deps.db, actor, id, 'passwordReset', meta);
  assertStrongPassword(password, 'password');
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await loadUser(tx, actor, id);
    await assertNotProtected(tx, actor, id);
    await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id));
    await endUserSessions(tx, id);
    await revokeUserTokens(tx, id);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'user.passwordReset',
      targetType: 'user',
      targetId: id,
    });
  });
}

export async function unlockUser(deps: Deps, actor: Actor, id: string, meta: RequestMeta) {
  await guardTarget(deps.db, actor, id, 'unlock', meta);
  await deps.db.transaction(async (tx) => {
    await loadUser(tx, actor, id);
    await assertNotProtected(tx, actor, id);
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, id));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'user.unlocked',
      targetType: 'user',
      targetId: id,
    });
  });
}

/**
 * A staff member's full phone number: for whoever may read accounts (user:read) and reveal
 * personal data (pii:reveal), within the accounts he may read; each reveal is audited.
 * pii:reveal alone opened every account's phone to the command centre, administrators'
 * included. Nothing else shows staff phones unmasked (grid teams, case assignees and
 * care workers are presented by name only), so no other path needs this rule.
 */
export async function revealUserPhone(deps: Deps, actor: Actor, id: string, meta: RequestMeta) {
  if (!actor.permissions.has('user:read') || !actor.permissions.has('pii:reveal'))
    throw new AppError('FORBIDDEN');
  return deps.db.transaction(async (tx) => {
    const u = await loadUser(tx, actor, id);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'pii.revealed',
      targetType: 'user',
      targetId: id,
      payload: { fields: ['phone'] },
    });
    return { phone: u.phoneEnc ? deps.crypto.decrypt(u.phoneEnc) : null };
  });
}

/**
 * Active accounts of an area holding a permission — with fieldwork:record, the grid workers
 * whose logs, patrols and scores the reviews count.
 */
export function activeUsersWith(db: Db, permission: Permission, path: string) {
  return db
    .selectDistinct({
      id: users.id,
      name: users.displayName,
      orgUnitId: users.orgUnitId,
      orgPath: users.orgPath,
    })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(
        like(users.orgPath, `${path}%`),
        isNull(users.disabledAt),
        sql`${roles.permissions} @> ${JSON.stringify([permission])}::jsonb`,
      ),
    )
    .orderBy(users.orgPath, users.displayName);
}
