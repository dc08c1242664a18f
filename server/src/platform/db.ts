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
import * as schema from '../db/schema.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: services take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgresql';
  /** The PGlite instance when embedded (tests dump and load its data dir). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Parses PostgreSQL `bigint` and `numeric` counts as JS numbers where they fit. */
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection that dies (a server restart, a dropped database) is replaced on the
  // next checkout; without a listener its error event would end the process.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: 'postgresql', close: () => pool.end() };
}

/** `dataDir` undefined = in memory; `loadDataDir` starts from a dumped cluster (tests). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob | File): Promise<Database> {
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: () => client.close() };
}

export async function migrateDatabase(database: Database): Promise<void> {
  const cfg = { migrationsFolder };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], cfg);
  } else {
    await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], cfg);
  }
}

/** Rows of a raw SQL query; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
