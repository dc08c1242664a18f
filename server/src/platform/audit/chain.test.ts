import { randomBytes } from 'node:crypto';
import { isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogPage } from '../../modules/audit/service.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, createTestDatabase, type TestContext } from '../../test/harness.js';
import type { Database, Db } from '../db.js';
import { startAuditLinker } from './chain.js';
import { auditLog } from './tables.js';
import { type AuditSeal, appendAudit, auditSeal, registerAuditSeal } from './trail.js';
import { verifyAuditChain } from './verify.js';

const system = { userId: null, username: 'system', ip: null, userAgent: null };
const unchained = async (db: Db) =>
  (await db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.chainSeq))).length;
const chainOf = (db: Db) =>
  db.select().from(auditLog).where(sql`${auditLog.chainSeq} is not null`).orderBy(auditLog.chainSeq);

describe('audited writes chain without waiting for one another', () => {
  let t: TestContext;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    const territory = await makeTerritory(t.deps.db);
    await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'], orgUnit: territory.district });
    admin = await login(t.app, 'admin');
  }, 120_000);
  afterAll(() => t.close());

  it('50 concurrent audited writes are all chained by the appender, once each, and verify', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        admin.post('/api/departments', { code: `bx${i}`, name: `并发${i}` }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    // Nobody links by hand here: the server's appender does, right after the commits.
    await expect.poll(() => unchained(t.deps.db), { timeout: 15_000 }).toBe(0);
    const chain = await chainOf(t.deps.db);
    expect(chain.map((r) => r.chainSeq)).toEqual(chain.map((_, i) => i + 1));
    expect(new Set(chain.map((r) => r.id)).size).toBe(chain.length);
    const created = chain.filter((r) => r.action === 'department.created');
    expect(created.map((r) => r.payload.code).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `bx${i}`).sort(),
    );
    const verdict = await verifyAuditChain(t.deps.db, { seal: auditSeal(t.deps.config.auditKey, 'aes') });
    expect(verdict).toMatchObject({ ok: true, checked: chain.length, pending: 0 });
  });

  it('a write that is rolled back leaves nothing to link', async () => {
    const before = (await chainOf(t.deps.db)).length;
    await t.deps.db
      .transaction(async (tx) => {
        await appendAudit(tx, system, { action: 'calendar.updated', payload: { days: 1 } });
        throw new Error('use case failed after its audit row');
      })
      .catch(() => undefined);
    await admin.post('/api/departments', { code: 'after-rollback', name: '回滚之后' });
    await expect.poll(() => unchained(t.deps.db), { timeout: 15_000 }).toBe(0);
    const chain = await chainOf(t.deps.db);
    expect(chain.length).toBe(before + 1);
    expect(chain.at(-1)?.action).toBe('department.created');
  });
});

describe('a server that dies between insert and link', () => {
  let database: Database;
  let seal: AuditSeal;
  beforeAll(async () => {
    database = await createTestDatabase();
    seal = auditSeal(randomBytes(32), 'aes');
    registerAuditSeal(database.db, seal);
  }, 120_000);
  afterAll(() => database.close());

  it('leaves its rows unchained but readable, and the next appender links them', async () => {
    const db = database.db;
    // No appender runs for this handle: as if the process was killed after its commits.
    for (const days of [1, 2, 3])
      await db.transaction((tx) =>
        appendAudit(tx, system, { action: 'calendar.updated', payload: { days } }),
      );
    expect(await unchained(db)).toBe(3);
    // They are real entries: the audit administrator reads them already.
    const page = await auditLogPage(db, { page: 1, pageSize: 20 } as Parameters<typeof auditLogPage>[1]);
    expect(page.items.map((i) => i.payload)).toEqual([{ days: 3 }, { days: 2 }, { days: 1 }]);
    // verify: nothing chained yet, three rows waiting, each sealed by its writer.
    expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: true, checked: 0, pending: 3 });

    // The server comes back (or another one takes over): its appender links them at start.
    const errors: unknown[] = [];
    const linker = startAuditLinker(db, seal, { error: (o) => errors.push(o) }, { everyMs: 60_000 });
    try {
      await expect.poll(() => unchained(db), { timeout: 15_000 }).toBe(0);
      expect((await chainOf(db)).map((r) => r.payload)).toEqual([{ days: 1 }, { days: 2 }, { days: 3 }]);
      expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: true, checked: 3, pending: 0 });
      expect(errors).toEqual([]);
    } finally {
      await linker.stop();
    }
  });

  it('refuses to seal a row it did not write, or one edited before it was linked; verify reports it', async () => {
    const db = database.db;
    // Someone with write access to the table but not the key inserts a row…
    const [forged] = await db
      .insert(auditLog)
      .values({
        at: new Date().toISOString(),
        actorName: 'intruder',
        action: 'auth.logout',
        payload: {},
        keyId: seal.keyId,
        entryMac: '0'.repeat(64),
      })
      .returning({ id: auditLog.id });
    // …and changes a real row before the appender got to it.
    const [edited] = await db.transaction(async (tx) => {
      await appendAudit(tx, system, { action: 'calendar.updated', payload: { days: 9 } });
      return tx
        .update(auditLog)
        .set({ payload: { days: 0 } })
        .where(sql`${auditLog.id} = (select max(id) from audit_log)`)
        .returning({ id: auditLog.id });
    });
    expect(edited?.id).toBeGreaterThan(Number(forged?.id));
    await db.transaction((tx) =>
      appendAudit(tx, system, { action: 'calendar.updated', payload: { days: 10 } }),
    );

    const errors: { ids: number[] }[] = [];
    const linker = startAuditLinker(
      db,
      seal,
      { error: (o) => errors.push(o as { ids: number[] }) },
      { everyMs: 60_000 },
    );
    try {
      const result = await linker.flush();
      expect(result.refused.sort()).toEqual([Number(forged?.id), Number(edited?.id)].sort());
      // The honest row after them is linked all the same.
      expect((await chainOf(db)).at(-1)?.payload).toEqual({ days: 10 });
      expect(await unchained(db)).toBe(2);
      expect(await verifyAuditChain(db, { seal })).toMatchObject({
        ok: false,
        badRow: { id: Number(forged?.id), reason: 'unchained row not written by a key holder' },
        pending: 2,
      });
      // Logged once, by id, without the rows' content.
      await expect.poll(() => errors.flatMap((e) => e.ids).sort()).toEqual(result.refused);
      await linker.flush();
      expect(errors.flatMap((e) => e.ids)).toHaveLength(2);
      expect(JSON.stringify(errors)).not.toContain('intruder');
    } finally {
      await linker.stop();
    }
  });
});

// Two transactions at once need two connections: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a write that commits after a later one (PostgreSQL)', () => {
  let database: Database;
  let seal: AuditSeal;
  beforeAll(async () => {
    database = await createTestDatabase();
    seal = auditSeal(randomBytes(32), 'aes');
    registerAuditSeal(database.db, seal);
  }, 120_000);
  afterAll(() => database.close());

  it('is linked when it commits, after the rows linked before, and the chain verifies', async () => {
    const db = database.db;
    const linker = startAuditLinker(db, seal, { error: () => undefined }, { everyMs: 60_000 });
    try {
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let inserted = () => {};
      const slowInserted = new Promise<void>((r) => {
        inserted = r;
      });
      // The slow writer takes its id first and commits last.
      const slow = db.transaction(async (tx) => {
        await appendAudit(tx, system, { action: 'calendar.updated', payload: { days: 1 } });
        inserted();
        await held;
      });
      await slowInserted;
      await db.transaction((tx) =>
        appendAudit(tx, system, { action: 'calendar.updated', payload: { days: 2 } }),
      );
      await linker.flush();
      expect((await chainOf(db)).map((r) => r.payload)).toEqual([{ days: 2 }]);
      release();
      await slow;
      await linker.flush();
      const chain = await chainOf(db);
      expect(chain.map((r) => r.payload)).toEqual([{ days: 2 }, { days: 1 }]);
      // Ids say otherwise: the chain is the order of commit as the appender saw it.
      expect(Number(chain[1]?.id)).toBeLessThan(Number(chain[0]?.id));
      expect(await verifyAuditChain(db, { seal })).toMatchObject({ ok: true, checked: 2, pending: 0 });
    } finally {
      await linker.stop();
    }
  });
});
