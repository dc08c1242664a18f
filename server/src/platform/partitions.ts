import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './db.js';

/**
 * Monthly range partitions (PostgreSQL declarative partitioning) of the history tables: one
 * partition per calendar month (UTC) named `<table>_YYYYMM`, and for the tables that have one a
 * DEFAULT partition `<table>_default` as the safety net for a row whose month was not made
 * (a phone with a wrong clock, a backdated import). PostgreSQL refuses to create or attach a
 * partition whose range holds rows in the default, so making a month moves those rows out of
 * the default into the new partition in the same transaction, and every pass also makes the
 * months of whatever sits in the default: the default is emptied, never relied on.
 *
 * Names and bounds are computed here from dates and from the fixed list of tables, never from input.
 */

export interface MonthlyTable {
  /** The partitioned parent. */
  table: string;
  /** The timestamptz partition key. */
  column: string;
}

export const monthStart = (year: number, month: number): Date => new Date(Date.UTC(year, month, 1));

const suffix = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** `audit_log_202612` for any instant in December 2026 (UTC). */
export const monthPartitionName = (table: string, d: Date): string => `${table}_${suffix(d)}`;

export const defaultPartitionName = (table: string): string => `${table}_default`;

const safeName = (name: string): string => {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a table name: ${name}`);
  return name;
};

export interface Partition {
  name: string;
  /** First instant of the month; null for the default partition. */
  from: Date | null;
}

/** The attached partitions of `table`, months in order (the default, if any, last). */
export async function partitionsOf(db: Db, table: string): Promise<Partition[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = ${table} order by c.relname`,
  );
  const pattern = new RegExp(`^${table}_(\\d{4})(\\d{2})$`);
  const out: Partition[] = [];
  let fallback: Partition | null = null;
  for (const { name } of rows) {
    const m = pattern.exec(name);
    if (m) out.push({ name, from: monthStart(Number(m[1]), Number(m[2]) - 1) });
    else if (name === defaultPartitionName(table)) fallback = { name, from: null };
  }
  return fallback ? [...out, fallback] : out;
}

/** Serialises making and detaching partitions of one table across processes (a transaction lock). */
const lockTable = (tx: Db, table: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cg-partitions:${table}`}))`);

async function hasDefault(tx: Db, table: string): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = ${table} and c.relname = ${defaultPartitionName(table)}`,
  );
  return Number(row?.n ?? 0) > 0;
}

/** Makes one month's partition unless it exists; rows of that month in the default move into it. */
async function makeMonth(tx: Db, t: MonthlyTable, from: Date, withDefault: boolean): Promise<boolean> {
  const name = safeName(monthPartitionName(t.table, from));
  const [exists] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from pg_class where relname = ${name}`,
  );
  if (Number(exists?.n ?? 0) > 0) return false;
  const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
  const parent = safeName(t.table);
  const col = safeName(t.column);
  const range = `for values from ('${from.toISOString()}') to ('${to.toISOString()}')`;
  if (!withDefault) {
    await tx.execute(sql.raw(`create table ${name} partition of ${parent} ${range}`));
    return true;
  }
  const dflt = safeName(defaultPartitionName(t.table));
  const where = `${col} >= '${from.toISOString()}' and ${col} < '${to.toISOString()}'`;
  // Attaching checks the default holds nothing of the range: its rows move first, in this transaction.
  await tx.execute(sql.raw(`create table ${name} (like ${parent} including defaults)`));
  await tx.execute(sql.raw(`insert into ${name} select * from ${dflt} where ${where}`));
  await tx.execute(sql.raw(`delete from ${dflt} where ${where}`));
  await tx.execute(sql.raw(`alter table ${parent} attach partition ${name} ${range}`));
  return true;
}

export interface EnsureOptions {
  now?: Date;
  /** Months after `now`'s to make (default 1: this month and the next). */
  ahead?: number;
  /** Also make every month from this instant's up to now (a backdated seed or import). */
  since?: Date;
}

/**
 * Makes the partitions of this month, the `ahead` months after it, every month back to `since`,
 * and the month of every row found in the default partition. Idempotent; runs at once from
 * several processes queue on a lock. Returns the names made by this call.
 */
export async function ensureMonthlyPartitions(
  db: Db,
  t: MonthlyTable,
  opts: EnsureOptions = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const ahead = opts.ahead ?? 1;
  const first = opts.since && opts.since < now ? opts.since : now;
  const months = new Map<string, Date>();
  const add = (d: Date) => months.set(suffix(d), monthStart(d.getUTCFullYear(), d.getUTCMonth()));
  for (
    let d = monthStart(first.getUTCFullYear(), first.getUTCMonth());
    d <= monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead);
    d = monthStart(d.getUTCFullYear(), d.getUTCMonth() + 1)
  )
    add(d);
  return db.transaction(async (tx) => {
    await lockTable(tx, t.table);
    const withDefault = await hasDefault(tx, t.table);
    if (withDefault) {
      const stray = await queryRows<{ m: string }>(
        tx,
        sql.raw(
          `select distinct to_char(${safeName(t.column)} at time zone 'UTC', 'YYYY-MM') as m from ${safeName(defaultPartitionName(t.table))}`,
        ),
      );
      for (const { m } of stray) add(new Date(`${m}-01T00:00:00Z`));
    }
    const made: string[] = [];
    for (const from of [...months.values()].sort((a, b) => a.getTime() - b.getTime()))
      if (await makeMonth(tx, t, from, withDefault)) made.push(monthPartitionName(t.table, from));
    return made;
  });
}

/** The instant `months` calendar months before `now` (same day and time, clamped to the month's end). */
export function monthsBefore(now: Date, months: number): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
    ),
  );
}

export interface ExpireOptions {
  /** Partitions whose month ended at or before this instant expire. */
  cutoff: Date;
  /** Detach (kept as a plain table, for an archive) or drop. */
  mode: 'detach' | 'drop';
  /**
   * Called in the detaching transaction before each partition goes, oldest first; false keeps
   * it (and every later one) attached. The audit trail records the chain's link here.
   */
  before?: (tx: Db, p: { name: string; from: Date; to: Date }) => Promise<boolean>;
}

/** Detaches or drops the monthly partitions that ended by `cutoff`, oldest first; returns their names. */
export async function expireMonthlyPartitions(
  db: Db,
  t: MonthlyTable,
  opts: ExpireOptions,
): Promise<string[]> {
  const done: string[] = [];
  for (const p of await partitionsOf(db, t.table)) {
    if (!p.from) continue;
    const from = p.from;
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    if (to > opts.cutoff) break;
    const went = await db.transaction(async (tx) => {
      await lockTable(tx, t.table);
      // Another process may have taken it meanwhile.
      const still = (await partitionsOf(tx, t.table)).some((q) => q.name === p.name);
      if (!still) return true;
      if (opts.before && !(await opts.before(tx, { name: p.name, from, to }))) return false;
      const stmt =
        opts.mode === 'drop'
          ? `drop table ${safeName(p.name)}`
          : `alter table ${safeName(t.table)} detach partition ${safeName(p.name)}`;
      await tx.execute(sql.raw(stmt));
      done.push(p.name);
      return true;
    });
    if (!went) break;
  }
  return done;
}
