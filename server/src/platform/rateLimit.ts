import { lt, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
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
 * Where the counts are kept when `REDIS_URL` is set: one Redis key per policy, subject and
 * window (`cg:rl:…`), counted with INCR and expiring with its window, so every app server
 * sharing the Redis shares the limits and the database takes no write per counted request.
 * A Redis that cannot be reached costs no limit: the count falls back to the database (each
 * store then counts its share, so at worst a limit is passed twice while Redis is down), and
 * `fallbacks` says how often. The account lockout (5 wrong passwords) stays a
 * column of the account, where the console shows it and an administrator lifts it.
 */
export class RedisRateLimits {
  readonly client: Redis;
  /** Counts the database took because Redis failed. */
  fallbacks = 0;
  constructor(url: string) {
    this.client = new Redis(url, {
      // Fail at once while disconnected (the database counts meanwhile), never queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      lazyConnect: false,
    });
    // A lost connection is retried in the background; without a listener it would end the process.
    this.client.on('error', () => {
      this.settled = true;
    });
    this.client.on('ready', () => {
      this.settled = true;
    });
  }

  /**
   * The first connection try (at boot) is waited for, up to 2 s; after it, a connection that
   * is not ready fails at once (the database counts) while it is retried in the background.
   */
  private async connected(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.settled) throw new Error(`redis ${this.client.status}`);
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('redis not ready')), 2_000);
      const done = (e?: Error) => {
        clearTimeout(timer);
        this.client.off('ready', done);
        this.client.off('error', done);
        e ? fail(e) : ok();
      };
      this.client.once('ready', done);
      this.client.once('error', done);
    });
  }
  /** Whether the first connection try has ended (ready or failed). */
  private settled = false;

  /** The window's count after this hit. */
  async hit(key: string, windowMs: number, start: number): Promise<number> {
    await this.connected();
    const n = await this.client.eval(
      "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n",
      1,
      `cg:rl:${key}:${start}`,
      // Kept a little past the window's end: clocks of several servers differ slightly.
      String(start + windowMs - Date.now() + 5_000),
    );
    return Number(n);
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/*
 * hitRateLimit keeps its (db, policy, subject) signature for its callers, so the Redis store
 * is found from the database handle, as the audit seal is (trail.ts): drizzle gives a handle
 * and its transactions one dialect object, and two apps in one process (tests) each their own.
 */
const stores = new WeakMap<object, RedisRateLimits>();
const handleOf = (db: Db): object => (db as unknown as { dialect: object }).dialect ?? db;

/** Called at boot (buildApp) when REDIS_URL is set: the limits counted through `db` go to Redis. */
export function registerRateLimitStore(db: Db, store: RedisRateLimits): void {
  stores.set(handleOf(db), store);
}

/** The Redis store of a database handle, when there is one (/metrics, tests). */
export function rateLimitStoreOf(db: Db): RedisRateLimits | undefined {
  return stores.get(handleOf(db));
}

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
  const redis = stores.get(handleOf(db));
  if (redis) {
    const hits = await redis.hit(`${policy}:${subject}`, windowMs, start).catch(() => {
      redis.fallbacks++;
      return null;
    });
    if (hits !== null) {
      if (hits > limit) throw new RateLimitedError(Math.max(1, Math.ceil((start + windowMs - now) / 1000)));
      return;
    }
  }
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
