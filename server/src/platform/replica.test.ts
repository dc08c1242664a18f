import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, queryRows, type ReplicaPool, readDbOf } from './db.js';

/**
 * DATABASE_READ_URL's routing (issue 18 item 2), in CI's PostgreSQL pass. The "replica" is a
 * second database of the same server holding different rows, so a read shows where it went;
 * no streaming replication is set up here (README, "Running it for a city", says how).
 */
const baseUrl = process.env.TEST_DATABASE_URL;
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
const suffix = `${process.pid}_${randomUUID().slice(0, 6)}`;
const names = { primary: `cg_primary_${suffix}`, replica: `cg_replica_${suffix}` };
const opened: Database[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>, db?: string): Promise<T> {
  const c = new pg.Client({ connectionString: db ? withDb(baseUrl as string, db) : baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const where = async (db: Database['db']) =>
  (await queryRows<{ v: string }>(db, sql`select v from marker`))[0]?.v;

describe.skipIf(!baseUrl)('the read replica (DATABASE_READ_URL)', () => {
  beforeAll(async () => {
    for (const [role, name] of Object.entries(names)) {
      await admin((c) => c.query(`create database ${name}`));
      await admin(async (c) => {
        await c.query('create table marker (v text)');
        await c.query('insert into marker values ($1)', [role]);
      }, name);
    }
  });
  afterAll(async () => {
    for (const d of opened) await d.close().catch(() => undefined);
    for (const name of Object.values(names))
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });

  it('heavy reads go to the replica, writes and everything else to the primary', async () => {
    const d = await openPostgres(withDb(baseUrl as string, names.primary), {
      readUrl: withDb(baseUrl as string, names.replica),
    });
    opened.push(d);
    expect(await where(d.db)).toBe('primary');
    expect(await where(d.readDb as Database['db'])).toBe('replica');
    expect(await where(readDbOf({ db: d.db, database: d }))).toBe('replica');
    // A transaction on the read handle (a consistent report) runs on the replica too.
    const inTx = await (d.readDb as Database['db']).transaction((tx) => where(tx));
    expect(inTx).toBe('replica');
    // A wrong statement is the caller's error, not a reason to ask the primary.
    await expect((d.readDb as Database['db']).execute(sql`select nope from marker`)).rejects.toThrow();
    expect((d.readPool as ReplicaPool).fallbacks).toBe(0);
  });

  it('without a replica the read handle is the one the module was given', async () => {
    const d = await openPostgres(withDb(baseUrl as string, names.primary));
    opened.push(d);
    expect(readDbOf({ db: d.db, database: d })).toBe(d.db);
    expect(await where(readDbOf({ db: d.db, database: d }))).toBe('primary');
  });

  it('a replica that cannot be reached: reads fall back to the primary and it is left alone a while', async () => {
    const d = await openPostgres(withDb(baseUrl as string, names.primary), {
      readUrl: 'postgresql://postgres@127.0.0.1:1/nothing',
    });
    opened.push(d);
    const pool = d.readPool as ReplicaPool;
    expect(await where(d.readDb as Database['db'])).toBe('primary');
    expect(pool.replicaDown).toBe(true);
    expect(await (d.readDb as Database['db']).transaction((tx) => where(tx))).toBe('primary');
    expect(pool.fallbacks).toBe(2);
  });

  it('a replica that drops its connections mid-use (restart): the read is answered by the primary', async () => {
    const d = await openPostgres(withDb(baseUrl as string, names.primary), {
      readUrl: withDb(baseUrl as string, names.replica),
    });
    opened.push(d);
    const readDb = d.readDb as Database['db'];
    expect(await where(readDb)).toBe('replica');
    // Every session on the replica ends, as when its server restarts (57P01), during a slow read.
    const slow = queryRows<{ v: string }>(readDb, sql`select v from marker, pg_sleep(2)`);
    await new Promise((r) => setTimeout(r, 300));
    await admin((c) =>
      c.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [names.replica],
      ),
    );
    expect((await slow)[0]?.v).toBe('primary');
    expect((d.readPool as ReplicaPool).replicaDown).toBe(true);
  });
});
