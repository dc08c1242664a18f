import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { users } from '../../modules/accounts/tables.js';
import type { FieldCrypto } from '../crypto.js';
import type { Db } from '../db.js';
import { accessTokens, sessions } from './tables.js';

/** 等保 2.0: sessions end after 30 idle minutes and 12 hours at most. */
export const sessionIdleMs = 30 * 60 * 1000;
export const sessionAbsoluteMs = 12 * 60 * 60 * 1000;
/**
 * A command-centre wall display (screen:display, logged in from /screen) runs for days; its
 * session may only read, and still ends after 30 idle minutes (the screen polls every minute).
 */
export const displaySessionAbsoluteMs = 30 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads stay reads. */
const touchEveryMs = 60 * 1000;

export const sessionCookie = 'cg_session';
export const tokenPrefix = 'cgp_';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function createSession(
  db: Db,
  crypto: FieldCrypto,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; secondFactor: boolean; display?: boolean },
): Promise<{ token: string; csrfToken: string }> {
  const token = newSecret();
  const csrfToken = newSecret();
  await db.insert(sessions).values({
    id: crypto.tokenHash(token),
    userId,
    csrfToken,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    secondFactor: meta.secondFactor,
    display: meta.display ?? false,
  });
  return { token, csrfToken };
}

/** The session's user, or null when unknown, ended, idle too long or too old. */
export async function resolveSession(db: Db, crypto: FieldCrypto, token: string, now = Date.now()) {
  const id = crypto.tokenHash(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  if (!row) return null;
  const { session, user } = row;
  const idle = now - session.lastSeenAt.getTime();
  const age = now - session.createdAt.getTime();
  const maxAge = session.display ? displaySessionAbsoluteMs : sessionAbsoluteMs;
  if (idle > sessionIdleMs || age > maxAge || user.disabledAt) {
    await db
      .update(sessions)
      .set({ endedAt: new Date(now) })
      .where(eq(sessions.id, id));
    return null;
  }
  if (idle > touchEveryMs) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, id));
  }
  return { session, user };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.update(sessions).set({ endedAt: new Date() }).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (password change, disable, role change). */
export async function endUserSessions(db: Db, userId: string, exceptId?: string): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        exceptId ? sql`${sessions.id} <> ${exceptId}` : undefined,
      ),
    );
}

/** Revokes every live access token of a user (password change or reset). */
export async function revokeUserTokens(db: Db, userId: string): Promise<void> {
  await db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)));
}

export async function resolveAccessToken(db: Db, crypto: FieldCrypto, token: string, now = new Date()) {
  const [row] = await db
    .select({ token: accessTokens, user: users })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(and(eq(accessTokens.tokenHash, crypto.tokenHash(token)), isNull(accessTokens.revokedAt)));
  if (!row || row.user.disabledAt) return null;
  if (row.token.expiresAt && row.token.expiresAt.getTime() < now.getTime()) return null;
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last > touchEveryMs) {
    await db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, row.token.id));
  }
  return row;
}
