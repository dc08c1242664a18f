import { randomInt } from 'node:crypto';
import { userInfo } from 'node:os';
import { isStrongPassword } from '@civicgrid/core';
import { eq, inArray } from 'drizzle-orm';
import { type AuditActor, appendAudit } from '../../platform/audit/trail.js';
import { hashPassword } from '../../platform/auth/password.js';
import { endUserSessions, revokeUserTokens } from '../../platform/auth/sessions.js';
import type { Db } from '../../platform/db.js';
import { departments, orgUnits } from '../org/tables.js';
import { assertDutiesSeparate } from './policy.js';
import { roles, userRoles, users } from './tables.js';

/**
 * What whoever runs the server does to accounts from its shell (`npm run admin:*`,
 * server/src/cli/admin.ts): the accounts the console may not touch — the three
 * administrators' (policy.ts isProtectedAccount) — and the break-glass for a locked-out
 * or forgotten administrator. Shell access to the server is the trust already needed to
 * read its keys and database, so this adds no power; it is audited like the console's
 * actions, under the name of the operating-system user who ran it.
 */
export class OperatorError extends Error {}

function operator(): AuditActor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {}
  return { userId: null, username: `cli:${who}`, ip: null, userAgent: 'civicgrid-cli' };
}

/** A one-time password: 16 characters of four classes, without look-alikes (0/O, 1/l/I). */
export function oneTimePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '#%+=@'];
  const all = sets.join('');
  for (;;) {
    const pw = Array.from({ length: 16 }, () => all[randomInt(all.length)]).join('');
    if (sets.every((s) => [...pw].some((c) => s.includes(c))) && isStrongPassword(pw)) return pw;
  }
}

async function accountOf(db: Db, username: string) {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  if (!u) throw new OperatorError(`no account ${username}`);
  return u;
}

/**
 * A new password that only works once: the account changes it at the next login. Ends the
 * account's sessions and tokens and lifts a lockout. With `resetTotp`, the authenticator
 * and recovery codes go too (a lost phone): an administrator then enrols again at login.
 */
export async function resetPasswordByOperator(
  db: Db,
  username: string,
  opts: { resetTotp?: boolean } = {},
): Promise<{ password: string }> {
  const u = await accountOf(db, username);
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: new Date(),
        ...(opts.resetTotp ? { totpSecretEnc: null, totpEnabledAt: null, recoveryCodes: [] } : {}),
      })
      .where(eq(users.id, u.id));
    await endUserSessions(tx, u.id);
    await revokeUserTokens(tx, u.id);
    await appendAudit(tx, operator(), {
      action: 'user.passwordReset',
      targetType: 'user',
      targetId: u.id,
      payload: { via: 'cli', totpReset: opts.resetTotp === true },
    });
  });
  return { password };
}

export interface OperatorAccount {
  username: string;
  displayName: string;
  roles: string[];
  /** Code of the org unit the account is bound to; neither this nor department = global. */
  unitCode?: string | undefined;
  departmentCode?: string | undefined;
}

/**
 * An account with any roles, administrators' included; still never two duties (三员分立).
 * Its one-time password is changed at first login, and an administrator then enrols TOTP.
 */
export async function createAccountByOperator(db: Db, input: OperatorAccount): Promise<{ password: string }> {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw new OperatorError(`account ${input.username} exists`);
    const codes = [...new Set(input.roles)];
    const rows = codes.length ? await tx.select().from(roles).where(inArray(roles.code, codes)) : [];
    const missing = codes.filter((c) => !rows.some((r) => r.code === c));
    if (codes.length === 0) throw new OperatorError('name at least one role');
    if (missing.length) throw new OperatorError(`unknown roles: ${missing.join(', ')}`);
    try {
      assertDutiesSeparate(
        rows.flatMap((r) => r.permissions),
        'roles',
      );
    } catch (e) {
      throw new OperatorError((e as Error).message);
    }
    let binding = {
      orgUnitId: null as number | null,
      orgPath: null as string | null,
      departmentId: null as number | null,
    };
    if (input.unitCode) {
      const [unit] = await tx.select().from(orgUnits).where(eq(orgUnits.code, input.unitCode));
      if (!unit) throw new OperatorError(`no org unit ${input.unitCode}`);
      binding = { orgUnitId: unit.id, orgPath: unit.path, departmentId: null };
    } else if (input.departmentCode) {
      const [d] = await tx.select().from(departments).where(eq(departments.code, input.departmentCode));
      if (!d) throw new OperatorError(`no department ${input.departmentCode}`);
      binding = { orgUnitId: null, orgPath: null, departmentId: d.id };
    }
    const [u] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        mustChangePassword: true,
        ...binding,
      })
      .returning();
    if (!u) throw new Error('insert returned nothing');
    await tx.insert(userRoles).values(rows.map((r) => ({ userId: u.id, roleId: r.id })));
    await appendAudit(tx, operator(), {
      action: 'user.created',
      targetType: 'user',
      targetId: u.id,
      payload: {
        via: 'cli',
        username: u.username,
        roles: codes,
        orgUnitId: binding.orgUnitId,
        departmentId: binding.departmentId,
      },
    });
  });
  return { password };
}

/** Disables (ending its sessions and tokens) or re-enables an account. */
export async function setDisabledByOperator(db: Db, username: string, disabled: boolean): Promise<void> {
  const u = await accountOf(db, username);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ disabledAt: disabled ? (u.disabledAt ?? new Date()) : null, updatedAt: new Date() })
      .where(eq(users.id, u.id));
    if (disabled) {
      await endUserSessions(tx, u.id);
      await revokeUserTokens(tx, u.id);
    }
    await appendAudit(tx, operator(), {
      action: 'user.updated',
      targetType: 'user',
      targetId: u.id,
      payload: { via: 'cli', fields: ['disabled'], disabled },
    });
  });
}
