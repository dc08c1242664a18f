import { randomInt, timingSafeEqual } from 'node:crypto';
import { maskIdNumber, maskPhone, parseIdNumber } from '@civicgrid/core';
import { privacyNoticeVersion, type ResidentProfile } from '@civicgrid/core/api/resident';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { loadActor } from '../../platform/auth/load.js';
import { hashPassword } from '../../platform/auth/password.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { createSession, endUserSessions, newSecret, revokeUserTokens } from '../../platform/auth/sessions.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import type { SmsSender } from '../../platform/notify.js';
import { hitRateLimit } from '../../platform/rateLimit.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { anonymiseReporter } from '../cases/reporterPrivacy.js';
import { residentAccounts, residentLoginCodes } from './tables.js';

/** A code: 6 digits, valid 5 minutes, 5 tries (issue 17). */
export const codeDigits = 6;
export const codeTtlMs = 5 * 60 * 1000;
export const maxCodeTries = 5;

export interface ResidentDeps {
  db: Db;
  crypto: FieldCrypto;
  sms: SmsSender;
}

const idProblemCodes = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;

/**
 * Sends a sign-in code: one a minute and five an hour per phone and per client address
 * (429 with Retry-After past either). A new code replaces the phone's last one; only its
 * keyed hash is kept. The text is the one place the code is written, and the default
 * provider logs it with the number masked.
 */
export async function sendCode(deps: ResidentDeps, phone: string, meta: RequestMeta): Promise<number> {
  const { db, crypto } = deps;
  const phoneIdx = crypto.blindIndex(phone);
  const ip = `ip:${meta.ip ?? 'unknown'}`;
  await hitRateLimit(db, 'smsCodeAddressMinute', ip);
  await hitRateLimit(db, 'residentCodeAddress', ip);
  await hitRateLimit(db, 'smsCodePhoneMinute', `phone:${phoneIdx}`);
  await hitRateLimit(db, 'smsCodePhone', `phone:${phoneIdx}`);
  const code = String(randomInt(0, 10 ** codeDigits)).padStart(codeDigits, '0');
  const row = {
    phoneIdx,
    codeHash: crypto.tokenHash(`${phoneIdx}:${code}`),
    expiresAt: new Date(Date.now() + codeTtlMs),
    failedTries: 0,
    createdAt: new Date(),
  };
  await db
    .insert(residentLoginCodes)
    .values(row)
    .onConflictDoUpdate({ target: residentLoginCodes.phoneIdx, set: row });
  await deps.sms.send(phone, `【CivicGrid】您的登录验证码是 ${code}，5 分钟内有效。如非本人操作，请忽略。`);
  return codeTtlMs / 1000;
}

type CodeCheck = 'ok' | 'invalid' | 'locked';

/**
 * Checks a code under a row lock, so parallel guesses are counted one by one: a right code
 * is spent at once; a wrong one counts, and the fifth wrong one spends the code too.
 */
async function checkCode(db: Db, crypto: FieldCrypto, phoneIdx: string, code: string): Promise<CodeCheck> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(residentLoginCodes)
      .where(eq(residentLoginCodes.phoneIdx, phoneIdx))
      .for('update');
    if (!row || row.expiresAt.getTime() <= Date.now()) return 'invalid';
    if (row.failedTries >= maxCodeTries) return 'locked';
    const given = Buffer.from(crypto.tokenHash(`${phoneIdx}:${code}`));
    const kept = Buffer.from(row.codeHash);
    if (given.length === kept.length && timingSafeEqual(given, kept)) {
      await tx.delete(residentLoginCodes).where(eq(residentLoginCodes.phoneIdx, phoneIdx));
      return 'ok';
    }
    const failed = row.failedTries + 1;
    await tx
      .update(residentLoginCodes)
      .set({ failedTries: failed })
      .where(eq(residentLoginCodes.phoneIdx, phoneIdx));
    return failed >= maxCodeTries ? 'locked' : 'invalid';
  });
}

/** The resident account of a phone, made at its first sign-in (a users row holding the resident role). */
async function accountFor(
  db: Db,
  crypto: FieldCrypto,
  phone: string,
  phoneIdx: string,
  meta: RequestMeta,
): Promise<typeof users.$inferSelect> {
  const [known] = await db
    .select({ user: users })
    .from(residentAccounts)
    .innerJoin(users, eq(users.id, residentAccounts.userId))
    .where(eq(residentAccounts.phoneIdx, phoneIdx));
  if (known) return known.user;
  // No password signs in to this account: its hash is of a secret nobody is told.
  const passwordHash = await hashPassword(newSecret());
  return db.transaction(async (tx) => {
    const [role] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, 'resident'));
    if (!role) throw new Error('the built-in resident role is missing');
    const [user] = await tx
      .insert(users)
      .values({
        username: `r_${phoneIdx.slice(0, 16)}`,
        displayName: `居民${phone.slice(-4)}`,
        phoneEnc: crypto.encrypt(phone),
        passwordHash,
        mustChangePassword: false,
      })
      .returning();
    if (!user) throw new Error('insert returned nothing');
    await tx.insert(userRoles).values({ userId: user.id, roleId: role.id });
    await tx.insert(residentAccounts).values({ userId: user.id, phoneIdx });
    await appendAudit(tx, auditActorOf({ userId: user.id, username: user.username }, meta), {
      action: 'residentAccount.signedUp',
      targetType: 'user',
      targetId: user.id,
    });
    return user;
  });
}

/** Signs a resident in with the code texted to their phone: the same session as a password login. */
export async function loginWithCode(
  deps: Pick<ResidentDeps, 'db' | 'crypto'>,
  input: { phone: string; code: string },
  meta: RequestMeta,
): Promise<{ token: string; actor: Actor }> {
  const { db, crypto } = deps;
  const phoneIdx = crypto.blindIndex(input.phone);
  const verdict = await checkCode(db, crypto, phoneIdx, input.code);
  if (verdict !== 'ok') {
    await db.transaction((tx) =>
      appendAudit(
        tx,
        { userId: null, username: null, ...meta },
        { action: 'residentAccount.loginFailed', payload: { reason: verdict } },
      ),
    );
    if (verdict === 'locked') throw new AppError('RESIDENT_CODE_LOCKED');
    throw fieldError('code', 'matches', 'RESIDENT_CODE_INVALID');
  }
  const user = await accountFor(db, crypto, input.phone, phoneIdx, meta);
  if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED');
  const { token, csrfToken } = await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    const s = await createSession(tx, crypto, user.id, { ...meta, secondFactor: false });
    await appendAudit(tx, auditActorOf({ userId: user.id, username: user.username }, meta), {
      action: 'residentAccount.login',
      targetType: 'user',
      targetId: user.id,
    });
    return s;
  });
  const actor = await loadActor(db, user, 'session', { id: crypto.tokenHash(token), csrfToken });
  return { token, actor };
}

/** Only an account that is a resident and nothing else is the portal's to change or delete. */
function residentOnly(actor: Actor): boolean {
  return actor.roles.length > 0 && actor.roles.every((r) => r.code === 'resident');
}

async function accountRow(db: Db, userId: string) {
  const [row] = await db.select().from(residentAccounts).where(eq(residentAccounts.userId, userId));
  return row;
}

export async function profile(
  deps: Pick<ResidentDeps, 'db' | 'crypto'>,
  actor: Actor,
): Promise<ResidentProfile> {
  const { db, crypto } = deps;
  const [user] = await db.select({ phoneEnc: users.phoneEnc }).from(users).where(eq(users.id, actor.userId));
  const acc = await accountRow(db, actor.userId);
  return {
    phone: user?.phoneEnc ? maskPhone(crypto.decrypt(user.phoneEnc)) : null,
    consent:
      acc?.consentVersion && acc.consentedAt
        ? { version: acc.consentVersion, at: acc.consentedAt.toISOString() }
        : null,
    privacyNoticeVersion,
    realName:
      acc?.realNameEnc && acc.idNumberEnc && acc.realNameAt
        ? {
            name: crypto.decrypt(acc.realNameEnc),
            idNumber: maskIdNumber(crypto.decrypt(acc.idNumberEnc)),
            at: acc.realNameAt.toISOString(),
          }
        : null,
    deletable: residentOnly(actor),
  };
}

/** The portal's own row of an account signed in by password (the demo resident), made when first needed. */
async function ensureAccount(tx: Db, userId: string): Promise<void> {
  await tx.insert(residentAccounts).values({ userId }).onConflictDoNothing();
}

export async function consent(
  deps: Pick<ResidentDeps, 'db' | 'crypto'>,
  actor: Actor,
  version: string,
  meta: RequestMeta,
): Promise<ResidentProfile> {
  if (!residentOnly(actor)) throw new AppError('RESIDENT_ONLY');
  if (version !== privacyNoticeVersion) throw fieldError('version', 'current', 'RESIDENT_CONSENT_VERSION');
  await deps.db.transaction(async (tx) => {
    await ensureAccount(tx, actor.userId);
    await tx
      .update(residentAccounts)
      .set({ consentVersion: version, consentedAt: new Date() })
      .where(eq(residentAccounts.userId, actor.userId));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'residentAccount.consented',
      targetType: 'user',
      targetId: actor.userId,
      payload: { version },
    });
  });
  return profile(deps, actor);
}

/** 实名认证: a GB 11643 ID number (check digit and all) with the name, encrypted, with its blind index. */
export async function bindRealName(
  deps: Pick<ResidentDeps, 'db' | 'crypto'>,
  actor: Actor,
  input: { name: string; idNumber: string },
  meta: RequestMeta,
): Promise<ResidentProfile> {
  if (!residentOnly(actor)) throw new AppError('RESIDENT_ONLY');
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw fieldError('idNumber', parsed.problem, idProblemCodes[parsed.problem]);
  const { crypto } = deps;
  await deps.db.transaction(async (tx) => {
    await ensureAccount(tx, actor.userId);
    await tx
      .update(residentAccounts)
      .set({
        realNameEnc: crypto.encrypt(input.name),
        idNumberEnc: crypto.encrypt(parsed.normalized),
        idNumberIdx: crypto.blindIndex(parsed.normalized),
        realNameAt: new Date(),
      })
      .where(eq(residentAccounts.userId, actor.userId));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'residentAccount.realNameBound',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
  return profile(deps, actor);
}

/**
 * 注销: the account is closed and everything personal about it cleared (phone, name, ID
 * number, sessions); its reports stay, anonymised, for the work done on them is public record.
 */
export async function deleteAccount(
  deps: Pick<ResidentDeps, 'db' | 'crypto'>,
  actor: Actor,
  meta: RequestMeta,
): Promise<void> {
  if (!residentOnly(actor)) throw new AppError('RESIDENT_ONLY');
  await deps.db.transaction(async (tx) => {
    const n = await anonymiseReporter(tx, actor.userId);
    await tx
      .update(users)
      .set({
        username: `deleted_${actor.userId}`,
        displayName: '已注销居民',
        phoneEnc: null,
        disabledAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(users.id, actor.userId));
    await ensureAccount(tx, actor.userId);
    await tx
      .update(residentAccounts)
      .set({
        phoneIdx: null,
        realNameEnc: null,
        idNumberEnc: null,
        idNumberIdx: null,
        deletedAt: new Date(),
      })
      .where(eq(residentAccounts.userId, actor.userId));
    await endUserSessions(tx, actor.userId);
    await revokeUserTokens(tx, actor.userId);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'residentAccount.deleted',
      targetType: 'user',
      targetId: actor.userId,
      payload: { cases: n },
    });
  });
}
