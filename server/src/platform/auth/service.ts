import { isStrongPassword } from '@civicgrid/core';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { users } from '../../modules/accounts/tables.js';
import { type AuditActor, appendAudit } from '../audit/trail.js';
import type { FieldCrypto } from '../crypto.js';
import type { Db } from '../db.js';
import { AppError } from '../errors.js';
import type { Actor, RequestMeta } from './actor.js';
import { loadActor } from './load.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.js';
import {
  createSession,
  endSession,
  endUserSessions,
  newSecret,
  revokeUserTokens,
  tokenPrefix,
} from './sessions.js';
import { accessTokens, rateLimits } from './tables.js';
import { matchTotpStep, newRecoveryCodes, newTotpSecret, otpauthUrl, verifyTotp } from './totp.js';

/** 等保 2.0: five failures lock the account for fifteen minutes. */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60 * 1000;

interface Deps {
  db: Db;
  crypto: FieldCrypto;
}

export function auditActorOf(
  actor: Pick<Actor, 'userId' | 'username'> | null,
  meta: RequestMeta,
): AuditActor {
  return { userId: actor?.userId ?? null, username: actor?.username ?? null, ...meta };
}

export async function login(
  { db, crypto }: Deps,
  input: { username: string; password: string; totp?: string | undefined; display?: boolean | undefined },
  meta: RequestMeta,
): Promise<{ token: string; actor: Actor }> {
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  if (!user) {
    await burnPasswordCheck(input.password);
    await db.transaction((tx) =>
      appendAudit(
        tx,
        { userId: null, username: input.username, ...meta },
        {
          action: 'auth.loginFailed',
          payload: { reason: 'unknownUser' },
        },
      ),
    );
    throw new AppError('LOGIN_FAILED');
  }
  const who = { userId: user.id, username: user.username, ...meta };
  // Counted before the password is checked: parallel tries cannot all pass the lock check
  // before the first failure is written (issue 12 §3).
  const attempt = await countAttempt(db, user.id, who);
  if (attempt === 'locked') throw new AppError('ACCOUNT_LOCKED');
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (!passwordOk) {
    await recordFailure(db, user.id, who, 'password', attempt);
    throw new AppError('LOGIN_FAILED');
  }
  if (user.disabledAt) {
    await forgiveAttempt(db, user.id, attempt);
    throw new AppError('ACCOUNT_DISABLED');
  }

  let secondFactor = false;
  // Enabled is enough to demand the code: a missing secret fails closed, never open.
  if (user.totpEnabledAt) {
    if (!input.totp) {
      // The first step of a two-step login: the password was right, so this try did not fail.
      await forgiveAttempt(db, user.id, attempt);
      throw new AppError('TOTP_REQUIRED');
    }
    const ok = await checkSecondFactor(db, crypto, user, input.totp, who);
    if (!ok) {
      await recordFailure(db, user.id, who, 'totp', attempt);
      throw new AppError('TOTP_INVALID');
    }
    secondFactor = true;
  }

  // Only an account made for it gets a wall display's long, read-only session.
  const display =
    input.display === true && (await loadActor(db, user, 'session', null)).permissions.has('screen:display');
  const { token, csrfToken } = await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() })
      .where(eq(users.id, user.id));
    const s = await createSession(tx, crypto, user.id, { ...meta, secondFactor, display });
    await appendAudit(tx, who, {
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      payload: { secondFactor, display },
    });
    return s;
  });
  const actor = await loadActor(db, { ...user, failedLogins: 0, lockedUntil: null }, 'session', {
    id: crypto.tokenHash(token),
    csrfToken,
    display,
  });
  return { token, actor };
}

/** One counted login try; `lockedUntil` is set when this very try reached the limit. */
interface Attempt {
  lockedUntil: Date | null;
}

/**
 * Counts a try as a failure until it proves otherwise, under a row lock: the try that
 * reaches `maxFailedLogins` locks the account, and every try after it is refused
 * without its password being looked at. A lock that has run out starts a fresh count.
 */
async function countAttempt(db: Db, userId: string, who: AuditActor): Promise<Attempt | 'locked'> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ failed: users.failedLogins, lockedUntil: users.lockedUntil })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    const now = Date.now();
    if (!row || (row.lockedUntil && row.lockedUntil.getTime() > now)) {
      await appendAudit(tx, who, {
        action: 'auth.loginFailed',
        targetType: 'user',
        targetId: userId,
        payload: { reason: 'locked' },
      });
      return 'locked';
    }
    const failed = row.lockedUntil ? 1 : row.failed + 1;
    const lockedUntil = failed >= maxFailedLogins ? new Date(now + lockoutMs) : null;
    await tx.update(users).set({ failedLogins: failed, lockedUntil }).where(eq(users.id, userId));
    return { lockedUntil };
  });
}

/** The counted try failed: on record, and when it was the one that locked, the lock too. */
async function recordFailure(
  db: Db,
  userId: string,
  who: AuditActor,
  reason: string,
  attempt: Attempt,
): Promise<void> {
  await db.transaction(async (tx) => {
    await appendAudit(tx, who, {
      action: 'auth.loginFailed',
      targetType: 'user',
      targetId: userId,
      payload: { reason },
    });
    if (attempt.lockedUntil)
      await appendAudit(tx, who, { action: 'auth.locked', targetType: 'user', targetId: userId });
  });
}

/**
 * The counted try proved the password but may not log in yet (a second factor to come, a
 * disabled account): it is taken off the count, and a lock it set is lifted — unless a
 * later failure changed the row since.
 */
async function forgiveAttempt(db: Db, userId: string, attempt: Attempt): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ failed: users.failedLogins, lockedUntil: users.lockedUntil })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!row) return;
    if (attempt.lockedUntil) {
      if (row.lockedUntil?.getTime() !== attempt.lockedUntil.getTime()) return;
      await tx
        .update(users)
        .set({ failedLogins: maxFailedLogins - 1, lockedUntil: null })
        .where(eq(users.id, userId));
    } else if (!row.lockedUntil && row.failed > 0) {
      await tx
        .update(users)
        .set({ failedLogins: row.failed - 1 })
        .where(eq(users.id, userId));
    }
  });
}

/**
 * Marks a user's TOTP step as used; false when it already was (a replayed code). The
 * rate-limit table holds the marks: one row per user and step, swept with the old windows.
 */
async function spendTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const fresh = await db
    .insert(rateLimits)
    .values({ key: `totpStep:${userId}`, windowStart: new Date(step * 30_000), hits: 1 })
    .onConflictDoNothing()
    .returning({ hits: rateLimits.hits });
  return fresh.length === 1;
}

/** A 6-digit TOTP code, or one unused recovery code (which is then spent). */
async function checkSecondFactor(
  db: Db,
  crypto: FieldCrypto,
  user: typeof users.$inferSelect,
  code: string,
  who: AuditActor,
): Promise<boolean> {
  if (/^\d{6}$/.test(code)) {
    if (!user.totpSecretEnc) return false;
    const step = matchTotpStep(crypto.decrypt(user.totpSecretEnc), code);
    return step !== null && (await spendTotpStep(db, user.id, step));
  }
  const hashed = crypto.tokenHash(code.toLowerCase());
  if (!user.recoveryCodes.includes(hashed)) return false;
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ recoveryCodes: user.recoveryCodes.filter((c) => c !== hashed) })
      .where(eq(users.id, user.id));
    await appendAudit(tx, who, { action: 'auth.recoveryCodeUsed', targetType: 'user', targetId: user.id });
  });
  return true;
}

export async function logout({ db }: Deps, actor: Actor, meta: RequestMeta): Promise<void> {
  await db.transaction(async (tx) => {
    if (actor.sessionId) await endSession(tx, actor.sessionId);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.logout',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
}

export function assertStrongPassword(password: string, field = 'newPassword'): void {
  if (!isStrongPassword(password)) {
    throw new AppError('PASSWORD_WEAK', undefined, [
      {
        field,
        rule: 'passwordComplexity',
        message: '密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类',
      },
    ]);
  }
}

export async function changePassword(
  { db }: Deps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  assertStrongPassword(input.newPassword);
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('PASSWORD_WRONG', undefined, [
      { field: 'currentPassword', rule: 'matches', message: '原密码错误' },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION', undefined, [
      { field: 'newPassword', rule: 'differs', message: '新密码不能与原密码相同' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, actor.userId));
    // Other sessions and every access token may belong to whoever knew the old password.
    await endUserSessions(tx, actor.userId, actor.sessionId ?? undefined);
    await revokeUserTokens(tx, actor.userId);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.passwordChanged',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
}

export async function startTotpSetup({ db, crypto }: Deps, actor: Actor) {
  if (actor.totpEnabled) throw new AppError('CONFLICT', 'TOTP is already enabled');
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpSecretEnc: crypto.encrypt(secret) })
    .where(and(eq(users.id, actor.userId), isNull(users.totpEnabledAt)));
  return { secret, otpauthUrl: otpauthUrl(secret, actor.username) };
}

export async function confirmTotp({ db, crypto }: Deps, actor: Actor, code: string, meta: RequestMeta) {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.totpSecretEnc || user.totpEnabledAt)
    throw new AppError('CONFLICT', 'start the TOTP setup first');
  if (!verifyTotp(crypto.decrypt(user.totpSecretEnc), code)) {
    throw new AppError('TOTP_INVALID', undefined, [
      { field: 'code', rule: 'totp', message: '动态验证码错误' },
    ]);
  }
  const recoveryCodes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabledAt: new Date(), recoveryCodes: recoveryCodes.map((c) => crypto.tokenHash(c)) })
      .where(eq(users.id, actor.userId));
    if (actor.sessionId) {
      await tx.execute(sql`update sessions set second_factor = true where id = ${actor.sessionId}`);
    }
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.totpEnabled',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
  return { recoveryCodes };
}

export async function disableTotp({ db, crypto }: Deps, actor: Actor, code: string, meta: RequestMeta) {
  if (actor.totpRequired) throw new AppError('FORBIDDEN', 'your role requires two-factor authentication');
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.totpSecretEnc || !user.totpEnabledAt) throw new AppError('CONFLICT', 'TOTP is not enabled');
  if (!verifyTotp(crypto.decrypt(user.totpSecretEnc), code)) {
    throw new AppError('TOTP_INVALID', undefined, [
      { field: 'code', rule: 'totp', message: '动态验证码错误' },
    ]);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabledAt: null, totpSecretEnc: null, recoveryCodes: [] })
      .where(eq(users.id, actor.userId));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.totpDisabled',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
}

export type TokenRow = typeof accessTokens.$inferSelect;

export async function listTokens({ db }: Deps, actor: Actor): Promise<TokenRow[]> {
  return db
    .select()
    .from(accessTokens)
    .where(eq(accessTokens.userId, actor.userId))
    .orderBy(accessTokens.createdAt);
}

export async function createToken(
  { db, crypto }: Deps,
  actor: Actor,
  input: { name: string; expiresInDays?: number | undefined },
  meta: RequestMeta,
): Promise<{ row: TokenRow; token: string }> {
  // A wall display reads with its session only; a token would write and outlive the screen.
  if (actor.readOnly)
    throw new AppError('FORBIDDEN', 'a read-only display account may not hold access tokens');
  const token = `${tokenPrefix}${newSecret()}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accessTokens)
      .values({
        userId: actor.userId,
        name: input.name,
        prefix: token.slice(0, 10),
        tokenHash: crypto.tokenHash(token),
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400000) : null,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.tokenCreated',
      targetType: 'accessToken',
      targetId: row.id,
      payload: { name: input.name },
    });
    return { row, token };
  });
}

export async function revokeToken({ db }: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(eq(accessTokens.id, id), eq(accessTokens.userId, actor.userId), isNull(accessTokens.revokedAt)),
      )
      .returning({ id: accessTokens.id });
    if (!row) throw new AppError('NOT_FOUND');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'auth.tokenRevoked',
      targetType: 'accessToken',
      targetId: id,
    });
  });
}
