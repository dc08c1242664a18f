import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq, gte, lt, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import type { Db } from '../db.js';
import {
  type AnchorLog,
  anchorAuditChain,
  anchorSettingsOf,
  anchorsDirOf,
  writeAuditAnchor,
} from './anchors.js';
import { linkAuditChain } from './chain.js';
import { auditLog } from './tables.js';
import { appendAudit, auditRowContent, auditSealOf } from './trail.js';
import { type VerifyResult, verifyAuditChain } from './verify.js';

let t: TestContext;
let auditor: Session;
let admin: Session;

const options = () => ({ seal: auditSealOf(t.deps.config), anchorsDir: anchorsDirOf(t.deps.config) });
/** Rows are chained by the appender moments after they commit: link what waits, then verify. */
const verify = async (db: Db = t.deps.db) => {
  await linkAuditChain(db, undefined, { wait: true });
  return verifyAuditChain(db, options());
};
/** In chain order (the order verify walks), rows not linked yet last. */
const rowsOf = (db: Db) =>
  db.select().from(auditLog).orderBy(sql`${auditLog.chainSeq} asc nulls last`, auditLog.id);
const sha256 = (prev: string, content: string) =>
  createHash('sha256').update(prev).update('\n').update(content).digest('hex');
const hmac = (mac: string, key: Buffer) => (prev: string, content: string) =>
  createHmac(mac, key).update(prev).update('\n').update(content).digest('hex');
const system = { userId: null, username: 'system', ip: null, userAgent: null };

beforeAll(async () => {
  t = await createTestApp();
  const territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, { username: 'auditor', roles: ['auditAdmin'], orgUnit: territory.district });
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'], orgUnit: territory.district });
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'Wrong#2026pw' },
  });
  admin = await login(t.app, 'admin');
  await admin.post('/api/departments', { code: 'minzheng', name: '民政' });
  for (const code of ['jiaoyu', 'weisheng', 'caizheng', 'gongan'])
    expect((await admin.post('/api/departments', { code, name: `部门${code}` })).statusCode).toBe(201);
  auditor = await login(t.app, 'auditor');
});
afterAll(() => t.close());

/**
 * Tampers with the trail inside a transaction, verifies there, and rolls back: each tamper
 * test starts from a chain that verifies (asserted) and leaves it verifying for the next.
 */
async function verifyTampered(
  tamper: (tx: Db) => Promise<void>,
  opts: Parameters<typeof verifyAuditChain>[1] = options(),
): Promise<VerifyResult> {
  expect(await verify()).toMatchObject({ ok: true });
  let result: VerifyResult | undefined;
  try {
    await t.deps.db.transaction(async (tx) => {
      await tamper(tx);
      result = await verifyAuditChain(tx, opts);
      tx.rollback();
    });
  } catch (e) {
    if (!(e instanceof TransactionRollbackError)) throw e;
  }
  expect(await verify()).toMatchObject({ ok: true });
  return result as VerifyResult;
}

/** What an attacker with the database (and perhaps a key) does: rewrite every hash from `fromId` on. */
async function rechain(
  tx: Db,
  fromId: number,
  hashOf: (prev: string, content: string) => string,
  keyId: (old: string | null) => string | null = (old) => old,
) {
  const [before] = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(lt(auditLog.id, fromId))
    .orderBy(desc(auditLog.id))
    .limit(1);
  let prev = before?.hash ?? '0'.repeat(64);
  for (const r of await tx.select().from(auditLog).where(gte(auditLog.id, fromId)).orderBy(auditLog.id)) {
    const hash = hashOf(prev, auditRowContent(r));
    await tx
      .update(auditLog)
      .set({ prevHash: prev, hash, keyId: keyId(r.keyId) })
      .where(eq(auditLog.id, r.id));
    prev = hash;
  }
}

const middleId = async (db: Db) => {
  const rows = await rowsOf(db);
  return Number(rows[Math.floor(rows.length / 2)]?.id);
};

describe('audit trail', () => {
  it('records logins, failures and writes with who, what, IP and user agent', async () => {
    const res = (await auditor.get('/api/audit-log?pageSize=50')).json();
    const actions = res.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.loginFailed', 'auth.login', 'department.created']));
    const created = res.items.find((i: { action: string }) => i.action === 'department.created');
    expect(created).toMatchObject({ actorName: 'admin', targetType: 'department', ip: '127.0.0.1' });
    expect(created.userAgent).toBeTruthy();
  });

  it('filters by action and actor', async () => {
    const res = (await auditor.get('/api/audit-log?action=auth.loginFailed&actor=adm')).json();
    expect(res.total).toBe(1);
    expect(res.items[0].payload).toEqual({ reason: 'password' });
  });
});

describe('the keyed audit chain', () => {
  it('seals each row with an HMAC under the audit key kept outside the database, and names the key', async () => {
    const key = t.deps.config.auditKey;
    expect(readFileSync(join(t.deps.config.dataDir, 'keys', 'audit.hex'), 'utf8').trim()).toBe(
      key.toString('hex'),
    );
    const keyId = `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    const seal = hmac('sha256', key);
    let prev = '0'.repeat(64);
    await linkAuditChain(t.deps.db, undefined, { wait: true });
    const rows = await rowsOf(t.deps.db);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const [i, r] of rows.entries()) {
      expect(r).toMatchObject({
        keyId,
        chainSeq: i + 1,
        prevHash: prev,
        hash: seal(prev, auditRowContent(r)),
      });
      prev = r.hash as string;
    }
  });

  it('finds an edited middle row', async () => {
    const target = await middleId(t.deps.db);
    const result = await verifyTampered(async (tx) => {
      await tx.update(auditLog).set({ actorName: 'someone-else' }).where(eq(auditLog.id, target));
    });
    expect(result).toMatchObject({ ok: false, firstBadId: target, reason: 'row content changed' });
  });

  it('finds a deleted middle row by the broken link after it', async () => {
    const target = await middleId(t.deps.db);
    const result = await verifyTampered(async (tx) => {
      await tx.delete(auditLog).where(eq(auditLog.id, target));
    });
    expect(result).toMatchObject({ ok: false, reason: 'chain link broken' });
    expect(result.firstBadId).toBeGreaterThan(target);
  });

  it('finds a forged row whose following hashes were recomputed with plain SHA-256', async () => {
    const target = await middleId(t.deps.db);
    const forge = (keyId?: (old: string | null) => string | null) => async (tx: Db) => {
      await tx.update(auditLog).set({ actorName: 'someone-else' }).where(eq(auditLog.id, target));
      await rechain(tx, target, sha256, keyId);
    };
    expect(await verifyTampered(forge())).toMatchObject({
      ok: false,
      firstBadId: target,
      reason: 'row content changed',
    });
    // Passing the forged rows off as rows from before the key does not help either.
    expect(await verifyTampered(forge(() => null))).toMatchObject({
      ok: false,
      firstBadId: target,
      reason: 'unkeyed row after keyed rows',
    });
  });

  it('finds a forged row recomputed with a wrong key, and the anchor after it no longer matches', async () => {
    const anchor = await writeAuditAnchor(t.deps.db, auditSealOf(t.deps.config), anchorsDirOf(t.deps.config));
    expect(anchor).not.toBeNull();
    const target = await middleId(t.deps.db);
    const result = await verifyTampered(async (tx) => {
      await tx.update(auditLog).set({ actorName: 'someone-else' }).where(eq(auditLog.id, target));
      await rechain(tx, target, hmac('sha256', randomBytes(32)));
    });
    expect(result).toMatchObject({ ok: false, firstBadId: target, reason: 'row content changed' });
    expect(result.anchors.failures).toContainEqual(
      expect.objectContaining({ lastId: anchor?.lastId, reason: 'anchored head differs' }),
    );
  });

  it('finds the last rows deleted after an anchor', async () => {
    await admin.post('/api/departments', { code: 'minzu', name: '民族宗教' });
    const anchor = await writeAuditAnchor(t.deps.db, auditSealOf(t.deps.config), anchorsDirOf(t.deps.config));
    const lastId = Number(anchor?.lastId);
    const result = await verifyTampered(async (tx) => {
      const rows = await rowsOf(tx);
      await tx.delete(auditLog).where(gte(auditLog.id, Number(rows[rows.length - 3]?.id)));
    });
    // What is left links perfectly; only the anchor shows the cut.
    expect(result.badRow).toBeUndefined();
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^truncated: anchored row \d+ missing$/),
    });
    expect(result.anchors.failures).toContainEqual(
      expect.objectContaining({ lastId, reason: `truncated: anchored row ${lastId} missing` }),
    );
  });

  it('finds an unkeyed row added after keyed rows, even with a correct SHA-256 link', async () => {
    const result = await verifyTampered(async (tx) => {
      const rows = await rowsOf(tx);
      const head = rows[rows.length - 1];
      const prev = head?.hash as string;
      const row = {
        at: new Date().toISOString(),
        actorId: null,
        actorName: 'auditor',
        action: 'auth.logout',
        targetType: null,
        targetId: null,
        ip: '127.0.0.1',
        userAgent: null,
        payload: {},
      };
      await tx.insert(auditLog).values({
        ...row,
        chainSeq: Number(head?.chainSeq) + 1,
        prevHash: prev,
        hash: sha256(prev, auditRowContent(row)),
      });
    });
    expect(result).toMatchObject({ ok: false, reason: 'unkeyed row after keyed rows' });
    const rows = await rowsOf(t.deps.db);
    expect(result.firstBadId).toBeGreaterThan(Number(rows[rows.length - 1]?.id));
  });

  it('accepts unkeyed rows from before the key, and keyed rows go on from the last of them', async () => {
    let legacyHead = '';
    let firstKeyed: { prevHash: string | null; keyId: string | null } | undefined;
    // Rows only: the anchors on disk belong to the real trail this test replaces.
    const result = await verifyTampered(
      async (tx) => {
        await tx.delete(auditLog);
        let prev = '0'.repeat(64);
        let chainSeq = 0;
        for (const action of ['auth.login', 'department.created', 'auth.logout']) {
          const row = {
            at: new Date().toISOString(),
            actorId: null,
            actorName: 'admin',
            action,
            targetType: null,
            targetId: null,
            ip: '127.0.0.1',
            userAgent: 'legacy',
            payload: { n: 1 },
          };
          const hash = sha256(prev, auditRowContent(row));
          chainSeq++;
          await tx.insert(auditLog).values({ ...row, chainSeq, prevHash: prev, hash });
          prev = hash;
        }
        legacyHead = prev;
        await appendAudit(tx, system, { action: 'department.created', payload: { code: 'd1' } });
        await appendAudit(tx, system, { action: 'department.updated', payload: { fields: ['name'] } });
        expect((await linkAuditChain(tx, undefined, { wait: true })).linked).toBe(2);
        const rows = await rowsOf(tx);
        firstKeyed = rows[3];
      },
      { seal: auditSealOf(t.deps.config) },
    );
    expect(result).toMatchObject({ ok: true, checked: 5, legacy: 3 });
    expect(firstKeyed).toMatchObject({ prevHash: legacyHead, keyId: auditSealOf(t.deps.config).keyId });
  });

  it('rejects an anchor line that was edited or forged', async () => {
    const dir = anchorsDirOf(t.deps.config);
    const file = readdirSync(dir).find((f) => f.endsWith('.jsonl')) as string;
    const original = readFileSync(join(dir, file), 'utf8');
    const lines = original.trimEnd().split('\n');
    try {
      expect(await verify()).toMatchObject({ ok: true });
      const last = JSON.parse(lines[lines.length - 1] as string);
      // An attacker lowers the anchored count and head to cover deleted rows.
      const edited = { ...last, lastId: last.lastId - 1, count: last.count - 1 };
      writeFileSync(join(dir, file), `${[...lines.slice(0, -1), JSON.stringify(edited)].join('\n')}\n`);
      const result = await verify();
      expect(result).toMatchObject({ ok: false, reason: 'anchor signature invalid' });
      expect(result.anchors.failures).toEqual([
        expect.objectContaining({ file, line: lines.length, reason: 'anchor signature invalid' }),
      ]);
      writeFileSync(join(dir, file), `${original}not an anchor\n`);
      expect((await verify()).anchors.failures).toEqual([
        expect.objectContaining({
          file,
          line: lines.length + 1,
          lastId: null,
          reason: 'anchor signature invalid',
        }),
      ]);
    } finally {
      writeFileSync(join(dir, file), original);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('the anchor job', () => {
  const quiet = () => {
    const warnings: [object, string][] = [];
    const log: AnchorLog = { warn: (o, m) => warnings.push([o, m]), error: (o, m) => warnings.push([o, m]) };
    return { log, warnings };
  };
  const settingsIn = (dir: string, webhookUrl?: string) => ({
    ...anchorSettingsOf(t.deps.config),
    dir,
    ...(webhookUrl ? { webhookUrl } : {}),
  });

  it('writes a signed anchor of the head to a day file, once per head, and one server at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-anchors-'));
    const { log } = quiet();
    const now = new Date('2026-05-01T08:00:00Z');
    const [a, b] = await Promise.all([
      anchorAuditChain(t.deps.db, settingsIn(dir), log, now),
      anchorAuditChain(t.deps.db, settingsIn(dir), log, now),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const rows = await rowsOf(t.deps.db);
    const head = rows[rows.length - 1];
    const line = JSON.parse(readFileSync(join(dir, '2026-05-01.jsonl'), 'utf8').trim());
    expect(line).toEqual({
      at: now.toISOString(),
      lastId: head?.id,
      lastHash: head?.hash,
      count: rows.length,
      keyId: auditSealOf(t.deps.config).keyId,
      sig: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await anchorAuditChain(t.deps.db, settingsIn(dir), log, now)).toBeNull();
    await appendAudit(t.deps.db, system, { action: 'calendar.updated', payload: { days: 0 } });
    expect(
      await anchorAuditChain(t.deps.db, settingsIn(dir), log, new Date('2026-05-02T00:00:00Z')),
    ).not.toBeNull();
    expect(readdirSync(dir).sort()).toEqual(['2026-05-01.jsonl', '2026-05-02.jsonl']);
    expect(
      await verifyAuditChain(t.deps.db, { seal: auditSealOf(t.deps.config), anchorsDir: dir }),
    ).toMatchObject({
      ok: true,
      anchors: { checked: 2, failures: [] },
    });
  });

  it('posts each anchor to the webhook, and logs a failing webhook without the anchor', async () => {
    const received: unknown[] = [];
    let status = 200;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/anchors`;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cg-anchors-'));
      const { log, warnings } = quiet();
      const anchor = await anchorAuditChain(t.deps.db, settingsIn(dir, url), log);
      expect(received).toEqual([anchor]);
      expect(warnings).toEqual([]);

      status = 500;
      await appendAudit(t.deps.db, system, { action: 'calendar.updated', payload: { days: 0 } });
      const second = await anchorAuditChain(t.deps.db, settingsIn(dir, url), log);
      expect(second).not.toBeNull();
      expect(warnings).toEqual([[{ status: 500 }, 'audit anchor webhook refused the anchor']]);
      expect(JSON.stringify(warnings)).not.toContain(second?.lastHash);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('under CRYPTO_SUITE=sm, with AUDIT_KEY given', () => {
  let sm: TestContext;
  const key = randomBytes(32);
  beforeAll(async () => {
    sm = await createTestApp({ CRYPTO_SUITE: 'sm', AUDIT_KEY: key.toString('hex') });
  });
  afterAll(() => sm.close());

  it('seals the chain with HMAC-SM3 and verifies it, beside another app with another key', async () => {
    for (const entry of [
      { action: 'auth.login', payload: { secondFactor: false, display: false } },
      { action: 'calendar.updated', payload: { days: 0 } },
      { action: 'auth.logout' },
    ] as const)
      await appendAudit(sm.deps.db, system, entry);
    // The first app, in the same process with its own key, keeps sealing with it.
    await admin.post('/api/departments', { code: 'tongji', name: '统计' });
    await linkAuditChain(sm.deps.db, undefined, { wait: true });

    const seal = hmac('sm3', key);
    const keyId = `sm3:${createHash('sm3').update(key).digest('hex').slice(0, 8)}`;
    let prev = '0'.repeat(64);
    for (const r of await rowsOf(sm.deps.db)) {
      expect(r).toMatchObject({ keyId, prevHash: prev, hash: seal(prev, auditRowContent(r)) });
      prev = r.hash as string;
    }
    const anchorsDir = anchorsDirOf(sm.deps.config);
    await writeAuditAnchor(sm.deps.db, auditSealOf(sm.deps.config), anchorsDir);
    expect(
      await verifyAuditChain(sm.deps.db, { seal: auditSealOf(sm.deps.config), anchorsDir }),
    ).toMatchObject({
      ok: true,
      checked: 3,
      anchors: { checked: 1, failures: [] },
    });
    expect(await verify()).toMatchObject({ ok: true });
    // The SM3 chain is not an SHA-256 chain under the same key.
    expect(await verifyAuditChain(sm.deps.db, { seal: { key, mac: 'sha256', keyId } })).toMatchObject({
      ok: false,
      reason: 'row content changed',
    });
  });
});

describe('the verify route', () => {
  it('reports an intact trail and then the anchor that shows the last rows were cut', async () => {
    const intact = (await auditor.get('/api/audit-log/verify')).json();
    expect(intact).toMatchObject({ ok: true, anchors: { failures: [] } });
    expect(intact.anchors.checked).toBeGreaterThan(0);
    // Last test in the file: this tampering is not rolled back.
    await appendAudit(t.deps.db, system, { action: 'calendar.updated', payload: { days: 0 } });
    const anchor = await writeAuditAnchor(t.deps.db, auditSealOf(t.deps.config), anchorsDirOf(t.deps.config));
    const lastId = Number(anchor?.lastId);
    await t.deps.db.execute(sql`delete from audit_log where id >= ${lastId - 1}`);
    const res = await auditor.get('/api/audit-log/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: false,
      firstBadId: lastId,
      reason: `truncated: anchored row ${lastId} missing`,
      anchors: {
        failures: [expect.objectContaining({ lastId, reason: `truncated: anchored row ${lastId} missing` })],
      },
    });
  });
});
