import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { linkAuditChain } from './audit/chain.js';
import { auditDetachments } from './audit/detachTables.js';
import { auditLog } from './audit/tables.js';
import { type AuditSeal, auditRowContent, auditSeal, entryMac, registerAuditSeal } from './audit/trail.js';
import { verifyAuditChain } from './audit/verify.js';
import { loadConfig } from './config.js';
import { type Database, type Db, migrationsFolder, openPglite, openPostgres, queryRows } from './db.js';
import { detachExpiredHistory, ensureHistoryPartitions, historyPartitionJob } from './history.js';
import { monthPartitionName, monthStart, partitionsOf } from './partitions.js';

const suffixOf = (d: Date) => monthPartitionName('x', d).slice(2);
const month = (now: Date, delta: number) => monthStart(now.getUTCFullYear(), now.getUTCMonth() + delta);
const attached = async (db: Db, table: string) => (await partitionsOf(db, table)).map((p) => p.name);
const partitionOf = async (db: Db, table: string, where: ReturnType<typeof sql>) => {
  const [row] = await queryRows<{ part: string }>(
    db,
    sql`select tableoid::regclass::text as part from ${sql.identifier(table)} where ${where}`,
  );
  return row?.part;
};

/** An audit row as a key holder writes it, dated `at` (the seeds' backdated history). */
async function auditAt(db: Db, seal: AuditSeal, at: Date, note: string): Promise<number> {
  const row = {
    at: at.toISOString(),
    actorId: null,
    actorName: 'system',
    action: 'calendar.updated',
    targetType: null,
    targetId: note,
    ip: null,
    userAgent: null,
    payload: { days: 1 },
  };
  const [r] = await db
    .insert(auditLog)
    .values({ ...row, entryMac: entryMac(seal, auditRowContent(row)), keyId: seal.keyId })
    .returning({ id: auditLog.id });
  return Number(r?.id);
}

const noDetach = { audit: 1200, caseEvents: 0, patrolPoints: 0 };

describe('partitioned history', () => {
  let database: Database;
  let db: Db;
  const seal = auditSeal(randomBytes(32), 'aes');
  const now = new Date();
  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    registerAuditSeal(db, seal);
  }, 120_000);
  afterAll(() => database.close());

  it('the job makes this month and the next ahead, once, even when two runs meet', async () => {
    for (const table of ['audit_log', 'case_events', 'patrol_points'])
      expect(await attached(db, table)).toEqual(
        expect.arrayContaining([
          monthPartitionName(table, month(now, 0)),
          monthPartitionName(table, month(now, 1)),
        ]),
      );
    // Three years on: neither month exists yet; two passes at once make each exactly once.
    const later = month(now, 36);
    const runs = await Promise.all([
      ensureHistoryPartitions(db, { now: later }),
      ensureHistoryPartitions(db, { now: later }),
    ]);
    expect(runs[0] + runs[1]).toBe(6);
    expect(await ensureHistoryPartitions(db, { now: later })).toBe(0);
    expect(await attached(db, 'case_events')).toEqual(
      expect.arrayContaining([
        monthPartitionName('case_events', later),
        monthPartitionName('case_events', month(now, 37)),
      ]),
    );
    // The scheduled job itself: nothing left to make today, nothing old enough to detach.
    const job = historyPartitionJob(db, noDetach);
    expect(await job.run(undefined)).toEqual({ made: 0, detached: 0 });
  });

  it('a backdated row lands in its month, moved out of the default when its month is made', async () => {
    const old = new Date(Date.UTC(now.getUTCFullYear() - 3, 4, 17, 9));
    const id = await auditAt(db, seal, old, 'backdated');
    // No partition for that month yet: the default holds it rather than refusing the write.
    expect(await partitionOf(db, 'audit_log', sql`id = ${id}`)).toBe('audit_log_default');
    await ensureHistoryPartitions(db);
    expect(await partitionOf(db, 'audit_log', sql`id = ${id}`)).toBe(monthPartitionName('audit_log', old));
    const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log_default`);
    expect(left?.n).toBe(0);
    // Once its month exists, the next row of that month goes straight there.
    const again = await auditAt(db, seal, new Date(old.getTime() + 3_600_000), 'backdated again');
    expect(await partitionOf(db, 'audit_log', sql`id = ${again}`)).toBe(monthPartitionName('audit_log', old));
    await linkAuditChain(db, seal, { wait: true });
    expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: true, checked: 2, pending: 0 });
  });

  it('the chain verifies across monthly partitions, and still after old months are detached', async () => {
    const base = (await verifyAuditChain(db, { seal })).checked;
    const eightAgo = new Date(month(now, -8).getTime() + 5 * 86_400_000);
    const sevenAgo = new Date(month(now, -7).getTime() + 9 * 86_400_000);
    await ensureHistoryPartitions(db, { since: eightAgo });
    await auditAt(db, seal, eightAgo, 'm-8');
    await auditAt(db, seal, sevenAgo, 'm-7');
    await auditAt(db, seal, now, 'now-1');
    // A row of an old month committed late: linked after a row of this month (a straggler).
    await auditAt(db, seal, sevenAgo, 'm-7 late');
    await auditAt(db, seal, now, 'now-2');
    await linkAuditChain(db, seal, { wait: true });
    const parts = await queryRows<{ part: string }>(
      db,
      sql`select distinct tableoid::regclass::text as part from audit_log`,
    );
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const before = await verifyAuditChain(db, { seal });
    expect(before).toMatchObject({ ok: true, checked: base + 5, pending: 0 });

    const detached = await detachExpiredHistory(db, { ...noDetach, audit: 6 }, now, seal);
    expect(detached).toBeGreaterThanOrEqual(2);
    const names = await attached(db, 'audit_log');
    expect(names).not.toContain(monthPartitionName('audit_log', sevenAgo));
    expect(names).toContain(monthPartitionName('audit_log', month(now, -5)));
    // Detached, not dropped: the month is still there as a table of its own, rows intact.
    const [kept] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(monthPartitionName('audit_log', sevenAgo))}`,
    );
    expect(kept?.n).toBe(2);
    const after = await verifyAuditChain(db, { seal });
    // From the cut: the straggler's link and the two rows of this month.
    expect(after).toMatchObject({ ok: true, checked: 3, pending: 0 });
    expect(after.detached?.throughSeq).toBe(base + 2);
    // The chain goes on from there.
    await auditAt(db, seal, now, 'now-3');
    await linkAuditChain(db, seal, { wait: true });
    expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: true, checked: 4 });

    // A cut record that was edited (to hide rows) or removed no longer lets the chain verify.
    const [cut] = await db.select().from(auditDetachments).orderBy(sql`prefix_seq desc`).limit(1);
    if (!cut) throw new Error('no detachment recorded');
    await db.execute(sql`update audit_detachments set prefix_seq = prefix_seq - 1 where id = ${cut.id}`);
    expect(await verifyAuditChain(db, { seal })).toMatchObject({
      ok: false,
      reason: 'detachment record invalid',
    });
    await db.execute(sql`update audit_detachments set prefix_seq = prefix_seq + 1 where id = ${cut.id}`);
    await db.execute(sql`delete from audit_detachments`);
    expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: false, reason: 'chain link broken' });
  });

  it('refuses an audit retention under six months, at start and in the job', async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-part-')),
      DATA_KEY: 'a'.repeat(64),
      INDEX_KEY: 'b'.repeat(64),
    };
    expect(() => loadConfig({ ...env, AUDIT_RETENTION_MONTHS: '5' })).toThrow(
      /AUDIT_RETENTION_MONTHS.*at least 6/s,
    );
    expect(loadConfig({ ...env, AUDIT_RETENTION_MONTHS: '6' }).AUDIT_RETENTION_MONTHS).toBe(6);
    await expect(detachExpiredHistory(db, { ...noDetach, audit: 5 }, now, seal)).rejects.toThrow(
      /at least 6/,
    );
  });
});

/** A fresh, empty database of the kind the tests run on (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
async function emptyDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openPglite();
  const name = `cg_part_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), { max: 2 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function migrateTo(database: Database, folder: string) {
  const cfg = { migrationsFolder: folder };
  if (database.kind === 'pglite') await migratePglite(database.db as never, cfg);
  else await migratePg(database.db as never, cfg);
}

describe('the partitioning migration', () => {
  it('converts tables that hold rows: ids, counts and the next id continue', async () => {
    // The migrations up to the one before partitioning, in a folder of their own.
    const before = join(mkdtempSync(join(tmpdir(), 'cg-mig-')), 'migrations');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalFile = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.endsWith('_history_partitions'));
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(journalFile, JSON.stringify(journal));

    const database = await emptyDatabase();
    try {
      const db = database.db;
      await migrateTo(database, before);
      const now = new Date();
      const days = [400, 200, 45, 3, 0].map((d) => new Date(now.getTime() - d * 86_400_000).toISOString());
      await db.execute(
        sql`insert into org_units (code, name, level, path) values ('1', '区', 'district', '1')`,
      );
      await db.execute(
        sql`insert into case_categories (code, name, handler_kind) values ('x', '测试', 'grid')`,
      );
      const caseId = randomUUID();
      const patrolId = randomUUID();
      await db.execute(sql`insert into cases (id, code, status, category_code, channel, description, org_path,
          handling_unit_id, idempotency_key, step)
        values (${caseId}, 'C1', 'reported', 'x', 'grid', '测试', '1', (select id from org_units limit 1), 'k1', 'reported')`);
      await db.execute(sql`insert into patrols (id, user_id, user_name, org_path, started_at)
        values (${patrolId}, ${randomUUID()}, '网格员', '1', ${days[0]})`);
      for (const [i, d] of days.entries()) {
        await db.execute(sql`insert into audit_log (at, action, payload, chain_seq, prev_hash, hash)
          values (${d}, 'calendar.updated', '{}'::jsonb, ${i + 1}, 'p', 'h')`);
        await db.execute(
          sql`insert into case_events (case_id, action, actor_name, at) values (${caseId}, 'note', '网格员', ${d})`,
        );
        await db.execute(
          sql`insert into patrol_points (patrol_id, seq, at, lat, lng) values (${patrolId}, ${i}, ${d}, 40, 110)`,
        );
      }
      // The rows as they are, in each table's key order.
      const snapshot = async () => ({
        audit: (await queryRows<{ id: number }>(db, sql`select id from audit_log order by id`)).map((r) =>
          Number(r.id),
        ),
        events: (await queryRows<{ id: number }>(db, sql`select id from case_events order by id`)).map((r) =>
          Number(r.id),
        ),
        points: (await queryRows<{ seq: number }>(db, sql`select seq from patrol_points order by seq`)).map(
          (r) => r.seq,
        ),
      });
      const beforeRows = await snapshot();
      expect(beforeRows.audit).toHaveLength(5);

      await migrateTo(database, migrationsFolder);
      expect(await snapshot()).toEqual(beforeRows);
      const months = [...new Set(days.map((d) => new Date(d)).map((d) => suffixOf(d)))].sort();
      for (const table of ['audit_log', 'case_events', 'patrol_points']) {
        const parts = await queryRows<{ part: string }>(
          db,
          sql`select distinct tableoid::regclass::text as part from ${sql.identifier(table)} order by 1`,
        );
        expect(parts.map((p) => p.part)).toEqual(months.map((m) => `${table}_${m}`));
      }
      // The id sequences carried over: the next rows continue after the copied ones.
      const [next] = await queryRows<{ id: number }>(
        db,
        sql`insert into audit_log (at, action, payload) values (now(), 'calendar.updated', '{}'::jsonb) returning id`,
      );
      expect(Number(next?.id)).toBeGreaterThan(Math.max(...beforeRows.audit));
      const [nextEvent] = await queryRows<{ id: number }>(
        db,
        sql`insert into case_events (case_id, action, actor_name) values (${caseId}, 'note', '网格员') returning id`,
      );
      expect(Number(nextEvent?.id)).toBeGreaterThan(Math.max(...beforeRows.events));
      // The foreign keys hold on the partitioned tables too.
      await expect(
        db.execute(
          sql`insert into case_events (case_id, action, actor_name) values (${randomUUID()}, 'note', 'x')`,
        ),
      ).rejects.toThrow();
      const kinds = await queryRows<{ relkind: string }>(
        db,
        sql`select distinct relkind::text as relkind from pg_class where relname in ('audit_log', 'case_events', 'patrol_points')`,
      );
      expect(kinds.map((k) => k.relkind)).toEqual(['p']);
    } finally {
      await database.close();
    }
  }, 240_000);
});
