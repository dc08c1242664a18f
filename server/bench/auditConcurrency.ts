/**
 * `npx tsx server/bench/auditConcurrency.ts` — concurrent case reports on PostgreSQL, where every
 * report writes an audit row: p50/p95 of POST /api/cases sequentially, at 10 and at 50 concurrent
 * reporters, beside the bare SQL of the same rows (case, event, notifications, audit row) in one
 * committed transaction.
 * Issue 18 item 4: goal p95 < 50 ms at 50 concurrent, a single report within 3× its bare SQL.
 * Afterwards it waits for the audit appender to chain every row and verifies the chain.
 * The database is BENCH_DATABASE_URL (default: the local PostgreSQL's `postgres` database as
 * admin, creating `cg_bench_audit` afresh). BENCH_OUT=file.json writes the figures as JSON.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { auditSealOf } from '../src/platform/audit/trail.js';
import { verifyAuditChain } from '../src/platform/audit/verify.js';
import { loadConfig } from '../src/platform/config.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPostgres } from '../src/platform/db.js';
import { seedIfEmpty } from '../src/seed/seed.js';
import { localAdminUrl } from './local.js';
import { recordBench } from './report.js';
import { summary, timed } from './stats.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? localAdminUrl;
const dbName = 'cg_bench_audit';
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${dbName} with (force)`);
await admin.query(`create database ${dbName}`);
await admin.end();

// A server's pool as `npm start` opens it (DATABASE_POOL_MAX, 10 by default).
const database = await openPostgres(url.toString(), { max: 10 });
await migrateDatabase(database);
const config = loadConfig({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-bench-audit-')),
  DATA_KEY: randomBytes(32).toString('hex'),
  INDEX_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
});
const crypto = createFieldCrypto('aes', config.dataKey, config.indexKey);
let t0 = performance.now();
await seedIfEmpty(database.db, { seedDemo: true, crypto, demoPassword: 'Demo@2026' });
console.log(`demo district seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const app = await buildApp({ db: database.db, database, crypto, config }, { serveWeb: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const res = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'clerk', password: 'Demo@2026' }),
});
const clerk = {
  cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '',
  csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
};
const direct = new pg.Pool({ connectionString: url.toString(), max: 4 });
const { rows: pt } = await direct.query<{ lng: number; lat: number }>(
  `select (geometry->'coordinates'->0->0->>0)::float8 + 0.0005 as lng, (geometry->'coordinates'->0->0->>1)::float8 + 0.0005 as lat
   from org_units where level = 'grid' and parent_id = (select id from org_units where name = '保利新华社区') order by id limit 1`,
);
const location = pt[0] as { lng: number; lat: number };
// The reporters run in a worker thread, as the phones and consoles that send reports are not
// the server: in this thread they took a fifth of the server's one core.
const reporters = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  const { randomUUID } = require('node:crypto');
  const { base, cookie, csrf, location } = workerData;
  async function report() {
    const t0 = performance.now();
    const r = await fetch(base + '/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({
        description: '基准测试：并发上报',
        categoryCode: 'C0103',
        channel: 'walk_in',
        location,
        reporter: { name: '测试', phone: '13800138000' },
        idempotencyKey: randomUUID(),
      }),
    });
    const body = await r.text();
    if (r.status !== 201) throw new Error('report ' + r.status + ' ' + body);
    return performance.now() - t0;
  }
  parentPort.on('message', async ({ workers, each }) => {
    try {
      const out = [];
      await Promise.all(Array.from({ length: workers }, async () => {
        for (let i = 0; i < each; i++) out.push(await report());
      }));
      parentPort.postMessage({ out });
    } catch (e) {
      parentPort.postMessage({ error: String(e) });
    }
  });
  `,
  { eval: true, workerData: { base, cookie: clerk.cookie, csrf: clerk.csrf, location } },
);
/** `workers` reporters at once, each sending `each` reports one after another: their timings. */
function concurrent(workers: number, each: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    reporters.once('message', (m: { out?: number[]; error?: string }) =>
      m.out ? resolve(m.out) : reject(new Error(m.error)),
    );
    reporters.postMessage({ workers, each });
  });
}

await concurrent(1, 20);
const seq = await concurrent(1, 200);
const c10 = await concurrent(10, 30);
const c50 = await concurrent(50, 10);
await reporters.terminate();

// Bare SQL of a report: the same rows in one committed transaction — the case, its event, the
// notifications of the community's acceptors and the audit row (marked, and removed after).
const { rows: unit } = await direct.query<{ id: number; path: string }>(
  `select id, path from org_units where name = '保利新华社区'`,
);
const bareUnit = unit[0] as { id: number; path: string };
const bare: number[] = [];
for (let i = 0; i < 200; i++) {
  const c = await direct.connect();
  bare.push(
    await timed(async () => {
      await c.query('begin');
      const { rows } = await c.query<{ id: string }>(
        `insert into cases (code, status, category_code, channel, priority, description, lat, lng, org_path,
           handling_unit_id, reporter_name, reporter_phone_enc, reporter_phone_idx, created_by, idempotency_key,
           step, due_at, warn_at, accept_by, reported_at)
         values ($1, 'reported', 'C0103', 'walk_in', 'normal', '基准测试：并发上报', $2, $3, $4, $5, '测试', $6, $7,
           (select id from users where username = 'clerk'), $8, 'accept', now() + interval '2 hours',
           now() + interval '1 hour', now() + interval '2 hours', now())
         returning *`,
        [
          `BA${i}${Date.now()}`,
          location.lat,
          location.lng,
          bareUnit.path,
          bareUnit.id,
          randomUUID(),
          randomUUID(),
          randomUUID(),
        ],
      );
      const caseId = rows[0]?.id;
      await c.query(
        `insert into case_events (case_id, action, to_state, actor_name, data) values ($1, 'report', 'reported', 'bench', '{"channel":"walk_in"}')`,
        [caseId],
      );
      await c.query(
        `insert into notifications (user_id, kind, title, body, case_id, subject_type, subject_id, link)
         select u.id, 'case.reported', '新事件待受理：路灯不亮或损坏', '基准测试：并发上报', $1::uuid, 'case', $1::uuid, '/cases/' || $1::text
         from users u where u.disabled_at is null and u.org_unit_id = $2 and exists (select 1 from user_roles ur
           join roles r on r.id = ur.role_id where ur.user_id = u.id and r.permissions ? 'case:accept')
         returning *`,
        [caseId, bareUnit.id],
      );
      await c.query(
        `insert into audit_log (at, action, target_type, target_id, payload)
         values (now(), 'bench.bare', 'case', $1, '{}')`,
        [caseId],
      );
      await c.query('commit');
    }),
  );
  c.release();
}
await direct.query(`delete from audit_log where action = 'bench.bare'`);

const figures = {
  sequential: summary(seq),
  concurrent10: summary(c10),
  concurrent50: summary(c50),
  bareSql: summary(bare),
};
console.table(figures);
console.log(
  `single report p95 ${figures.sequential.p95} ms = ${(figures.sequential.p95 / figures.bareSql.p95).toFixed(1)}× bare SQL; ` +
    `50 concurrent p95 ${figures.concurrent50.p95} ms (goal < 50 ms)`,
);

// Every row chained (the appender runs after commits), then the chain verified.
t0 = performance.now();
const hasChainSeq = (
  await direct.query(
    `select 1 from information_schema.columns where table_name = 'audit_log' and column_name = 'chain_seq'`,
  )
).rowCount;
for (;;) {
  if (!hasChainSeq) break;
  const { rows } = await direct.query<{ n: string }>(
    'select count(*) as n from audit_log where chain_seq is null',
  );
  if (Number(rows[0]?.n) === 0) break;
  if (performance.now() - t0 > 30_000) throw new Error(`${rows[0]?.n} audit rows still unchained after 30 s`);
  await new Promise((r) => setTimeout(r, 50));
}
const verdict = await verifyAuditChain(database.db, { seal: auditSealOf(config) });
console.log(
  `audit chain: ${verdict.ok ? 'intact' : 'BROKEN'}, ${verdict.checked} rows checked; all chained ${(performance.now() - t0).toFixed(0)} ms after the last report`,
);
recordBench('audit', [
  {
    name: 'report a case (audited), p95 at 50 concurrent',
    value: figures.concurrent50.p95,
    unit: 'ms',
    target: { max: 50 },
    bare: figures.bareSql.p95,
  },
  {
    name: 'report a case (audited), p95 sequential',
    value: figures.sequential.p95,
    unit: 'ms',
    bare: figures.bareSql.p95,
    maxRatio: 3,
  },
  { name: 'report a case (audited), p95 at 10 concurrent', value: figures.concurrent10.p95, unit: 'ms' },
  {
    name: 'audit chain intact after the burst (1 = yes)',
    value: verdict.ok ? 1 : 0,
    unit: 'rows',
    target: { min: 1 },
  },
]);
if (process.env.BENCH_OUT)
  writeFileSync(process.env.BENCH_OUT, JSON.stringify({ ...figures, chainOk: verdict.ok }, null, 2));
await direct.end();
await app.close();
await database.close();
if (!verdict.ok) process.exit(1);
