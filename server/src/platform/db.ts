import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { PreparingClient } from './prepared.js';
/**
 * A database handle or an open transaction: services take either. Built without the schema:
 * nothing here uses Drizzle's relational queries (`db.query.…`), and with ~150 tables a
 * schema makes every transaction build a query builder per table before its first statement
 * (a report's CPU was ~0.5 ms more for it).
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgresql';
  /** The PGlite instance when embedded (tests dump and load its data dir). */
  pglite?: PGlite;
  /** The connection pool on PostgreSQL (its counts go to /metrics). */
  pool?: pg.Pool;
  /**
   * Where the heavy reads go (dashboard, big screen, scorecards, reports, exports): a streaming
   * replica when DATABASE_READ_URL is set, falling back to the primary while it is down;
   * the primary itself otherwise. Nothing that writes, and no read that must see the user's
   * own write, goes here: a replica lags its primary by up to a few hundred milliseconds.
   */
  readDb?: Db;
  /** The replica's pool when there is one (its counts go to /metrics too). */
  readPool?: pg.Pool;
  close(): Promise<void>;
}

/** Parses PostgreSQL `bigint` and `numeric` counts as JS numbers where they fit. */
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(
  url: string,
  opts: { max?: number; readUrl?: string } = {},
): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, Client: PreparingClient });
  // An idle connection that dies (a server restart, a dropped database) is replaced on the
  // next checkout; without a listener its error event would end the process.
  pool.on('error', () => undefined);
  // A connection that dies while checked out but between two queries (inside a transaction
  // waiting on other work, a restart's 57P01) emits its error on the client, which the pool no
  // longer listens to then: swallowed here, the next query on it fails (and is answered 503)
  // and the pool drops it when it is released with that error.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzlePg(pool) as unknown as Db;
  if (!opts.readUrl) return { db, kind: 'postgresql', pool, readDb: db, close: () => pool.end() };
  const readPool = new ReplicaPool(opts.readUrl, pool, opts.max ?? 10);
  const readDb = drizzlePg(readPool) as unknown as Db;
  return {
    db,
    kind: 'postgresql',
    pool,
    readDb,
    readPool,
    close: async () => {
      await Promise.all([pool.end(), readPool.end()]);
    },
  };
}

type PoolFn = (...args: unknown[]) => unknown;

/** How long a replica that failed to answer is left alone before it is tried again. */
export const replicaRetryMs = 5_000;

/**
 * Errors that mean "this server cannot be reached or is not serving", not "this query is wrong"
 * (drizzle wraps the driver's error: its cause is looked at too). The error handler answers
 * them 503 DATABASE_UNAVAILABLE; the replica pool falls back to the primary on them.
 */
export function unreachable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const code = (e as { code?: string }).code ?? '';
  const message = (e as Error).message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code) ||
    // 57P01–57P03: admin shutdown, crash shutdown, cannot connect now (starting up, shutting down);
    // 08000–08007: connection exceptions (not 08P01, a protocol violation: a bug of ours).
    /^57P0[123]$/.test(code) ||
    /^0800[0-7]$/.test(code) ||
    /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i.test(
      message,
    ) ||
    unreachable((e as { cause?: unknown }).cause)
  );
}

/**
 * A pool on the read replica that answers from the primary while the replica cannot be
 * reached: a query that fails to connect is run again on the primary, and the replica is
 * left alone for `replicaRetryMs` before it is tried again. A query error from the replica
 * itself (a bad statement) is the caller's, as from the primary.
 */
export class ReplicaPool extends pg.Pool {
  private downUntil = 0;
  /** Queries the primary answered because the replica was down (a /metrics counter). */
  fallbacks = 0;
  constructor(
    url: string,
    private readonly primary: pg.Pool,
    max: number,
  ) {
    super({ connectionString: url, max, connectionTimeoutMillis: 2_000 });
    this.on('error', () => undefined);
    this.on('connect', (client) => client.on('error', () => undefined));
  }

  /** Whether the replica is being skipped now. */
  get replicaDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /** pg's overloads, forwarded as they are. */
  override query(...args: unknown[]): never {
    const own = pg.Pool.prototype.query as unknown as PoolFn;
    const primary = () => (this.primary.query as unknown as PoolFn).apply(this.primary, args);
    // The callback form (unused by drizzle) is the replica's alone.
    if (typeof args[args.length - 1] === 'function') return own.apply(this, args) as never;
    if (this.replicaDown) {
      this.fallbacks++;
      return primary() as never;
    }
    return (own.apply(this, args) as Promise<unknown>).catch((e: unknown) => {
      if (!unreachable(e)) throw e;
      this.downUntil = Date.now() + replicaRetryMs;
      this.fallbacks++;
      return primary();
    }) as never;
  }

  override connect(...args: unknown[]): never {
    const own = pg.Pool.prototype.connect as unknown as PoolFn;
    if (args.length > 0) return own.apply(this, args) as never;
    if (this.replicaDown) {
      this.fallbacks++;
      return this.primary.connect() as never;
    }
    return (own.apply(this, []) as Promise<pg.PoolClient>).catch((e: unknown) => {
      if (!unreachable(e)) throw e;
      this.downUntil = Date.now() + replicaRetryMs;
      this.fallbacks++;
      return this.primary.connect();
    }) as never;
  }
}

/** `dataDir` undefined = in memory; `loadDataDir` starts from a dumped cluster (tests). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob | File): Promise<Database> {
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
  });
  const db = drizzlePglite(client) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, readDb: db, close: () => client.close() };
}

/** The advisory lock (one key) that several servers starting at once take to migrate one at a time. */
export const migrationLockKey = 0x63676d67;

export async function migrateDatabase(database: Database): Promise<void> {
  const cfg = { migrationsFolder };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], cfg);
    return;
  }
  // Several app servers may start together on one database: the first to take the lock
  // migrates, the others wait for it and then find every migration applied.
  const lockClient = database.pool ? await database.pool.connect() : null;
  try {
    await lockClient?.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], cfg);
  } finally {
    await lockClient?.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    lockClient?.release();
  }
}

/**
 * Where a module's heavy reads go: the replica (with its fallback) when DATABASE_READ_URL is
 * set, the very handle the module was given otherwise (a test's database stays the one read).
 */
export function readDbOf(deps: { db: Db; database: Database }): Db {
  return deps.database.readPool && deps.database.readDb ? deps.database.readDb : deps.db;
}

/** Rows of a raw SQL query; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
