import { lt, sql } from 'drizzle-orm';
import { rateLimits } from './auth/tables.js';
import type { FieldCrypto } from './crypto.js';
import type { Db } from './db.js';
import { AppError } from './errors.js';

interface Policy {
  /** Requests allowed in one window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Every rate limit of the platform, in one place. Fixed windows counted in `rate_limits`,
 * so a limit holds across every app server sharing the database. The numbers leave room
 * for honest use and make harvesting slow; the account lockout (5 wrong passwords → 15
 * minutes) still applies under the login limits. Windows are fixed, so around a window's
 * end up to twice a limit can pass in a short time; the numbers allow for that.
 */
export const rateLimitPolicies = {
  /** Tries at one account's password, right or wrong. */
  loginAccount: { limit: 10, windowSeconds: 60 },
  /**
   * Logins from one client address across accounts (password spraying). A street office
   * behind one NAT shares an address, and a shift arrives within minutes; sessions last
   * a working day, so 60 a minute is still far above honest use. Behind a reverse proxy
   * the address is the proxy's unless TRUST_PROXY names it.
   */
  loginAddress: { limit: 60, windowSeconds: 60 },
  /** SMS login codes sent to one phone: each costs money and annoys its owner. */
  smsCodePhone: { limit: 5, windowSeconds: 3600 },
  /** SMS login codes asked for from one client address, whatever the phones. */
  smsCodeAddress: { limit: 20, windowSeconds: 3600 },
  /**
   * The resident portal's sign-in codes (issue 17): one a minute and five an hour, per phone
   * (with smsCodePhone) and per client address, whatever the phones.
   */
  smsCodePhoneMinute: { limit: 1, windowSeconds: 60 },
  smsCodeAddressMinute: { limit: 1, windowSeconds: 60 },
  residentCodeAddress: { limit: 5, windowSeconds: 3600 },
  /** Full ID numbers or phones revealed by one user (each is audited; a clerk needs a few). */
  reveal: { limit: 30, windowSeconds: 600 },
  /**
   * Searches by an exact ID or phone number, by one user. A masked number leaves the birth
   * date hidden (about thirty candidates once region, age and last digits are known), and each
   * search answers one guess: this keeps a search box from becoming a slow reveal.
   */
  numberLookup: { limit: 60, windowSeconds: 3600 },
  /** Spreadsheet and PDF downloads by one user. */
  export: { limit: 20, windowSeconds: 600 },
  /** Service requests posted by one Open311 client (its API key): a city CRM's bursts, not a flood. */
  open311Key: { limit: 60, windowSeconds: 60 },
  /** Open311 reads from one client address (the read endpoints need no key). */
  open311Read: { limit: 300, windowSeconds: 60 },
  /** 12345 work orders from one address (the centre's relay): far above a street's daily load. */
  hotlineWebhook: { limit: 300, windowSeconds: 60 },
} as const satisfies Record<string, Policy>;

export type RateLimitPolicy = keyof typeof rateLimitPolicies;

/** A limit spent: 429 with the seconds until the window ends (sent as `Retry-After`). */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Windows ended this long ago are deleted; longer than the longest window. */
const keepMs = 2 * 3600 * 1000;
/** About one write in this many also sweeps old windows, so the table stays small. */
const sweepEvery = 200;

/**
 * Counts one request of `subject` (a user id, a username, an address; a phone only as its
 * blind index) under a policy and throws RateLimitedError when the window's limit is passed. The count is one
 * atomic upsert, so concurrent requests on several servers cannot slip through together.
 */
export async function hitRateLimit(
  db: Db,
  policy: RateLimitPolicy,
  subject: string,
  now = Date.now(),
  sweep = Math.random() < 1 / sweepEvery,
): Promise<void> {
  const { limit, windowSeconds } = rateLimitPolicies[policy];
  const windowMs = windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: `${policy}:${subject}`, windowStart: new Date(start), hits: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { hits: sql`${rateLimits.hits} + 1` },
    })
    .returning({ hits: rateLimits.hits });
  if (sweep) await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now - keepMs)));
  if ((row?.hits ?? 0) > limit) {
    throw new RateLimitedError(Math.max(1, Math.ceil((start + windowMs - now) / 1000)));
  }
}

/**
 * The limits on sending an SMS login code: per phone and per client address. The phone
 * is kept only as its blind index, as everywhere else a phone is looked up.
 */
export async function hitSmsCodeLimits(
  db: Db,
  crypto: FieldCrypto,
  phone: string,
  ip: string | null,
): Promise<void> {
  await hitRateLimit(db, 'smsCodeAddress', `ip:${ip ?? 'unknown'}`);
  await hitRateLimit(db, 'smsCodePhone', `phone:${crypto.blindIndex(phone)}`);
}
