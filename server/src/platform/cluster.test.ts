import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { ensureBuiltIns } from '../seed/builtIns.js';
import { makeTerritory, makeUser, testPassword, testTotpSecret } from '../test/factories.js';
import { totpAt } from './auth/totp.js';
import { loadConfig } from './config.js';
import { createFieldCrypto } from './crypto.js';
import { type Database, migrateDatabase, openPostgres, queryRows } from './db.js';

/**
 * Two app servers and nginx on loopback, started by `npm run cluster` itself (issue 18 item
 * 1). Runs in CI's PostgreSQL pass: it needs TEST_DATABASE_URL and Debian's nginx.
 */
const baseUrl = process.env.TEST_DATABASE_URL;
const hasNginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].some((p) => existsSync(p));
const root = fileURLToPath(new URL('../../..', import.meta.url));

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

let dbName = '';
let database: Database;
let cluster: ChildProcess;
let output = '';
const pids: number[] = [];
let ports: number[] = [];
let proxyPort = 0;
let caseLocation = { lat: 40.605, lng: 109.875 };

interface Client {
  cookie: string;
  csrf: string;
}

async function login(port: number, username: string, password = testPassword, totp?: string) {
  return fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }),
  });
}

async function session(port: number, username: string, totp?: string): Promise<Client> {
  const res = await login(port, username, testPassword, totp);
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('cg_session='));
  return { cookie: cookie ?? '', csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function call(port: number, c: Client, method: string, path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      cookie: c.cookie,
      'x-csrf-token': c.csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const report = (port: number, c: Client) =>
  call(port, c, 'POST', '/api/cases', {
    description: '小区门口路灯不亮，晚上出行不便',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: caseLocation,
    idempotencyKey: randomUUID(),
  });

const freePort = () => 20000 + Math.floor(Math.random() * 20000);

describe.skipIf(!baseUrl || !hasNginx)('two app servers behind nginx', () => {
  beforeAll(async () => {
    const url = baseUrl as string;
    dbName = `cg_cluster_${process.pid}_${randomUUID().slice(0, 6)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const dbUrl = withDb(url, dbName);
    const keys = {
      DATA_KEY: randomBytes(32).toString('hex'),
      INDEX_KEY: randomBytes(32).toString('hex'),
      AUDIT_KEY: randomBytes(32).toString('hex'),
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-cluster-'));
    // The people of the test, written straight into the database the servers will use.
    database = await openPostgres(dbUrl, { max: 3 });
    await migrateDatabase(database);
    await ensureBuiltIns(database.db);
    const config = loadConfig({ DATA_DIR: dataDir, ...keys, LOG_LEVEL: 'silent' });
    const crypto = createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey);
    const deps = { db: database.db, database, crypto, config };
    const t = await makeTerritory(database.db);
    await ensureCaseDefaults(database.db);
    caseLocation = { lat: 40.605, lng: 109.875 };
    await makeUser(deps, {
      username: 'community',
      roles: ['communityWorkstation'],
      orgUnit: t.communities[0],
    });
    await makeUser(deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
    await makeUser(deps, { username: 'victim', roles: ['gridWorker'], orgUnit: t.grids[0] });
    await makeUser(deps, { username: 'opsA', roles: ['systemAdmin'] });
    await makeUser(deps, { username: 'opsB', roles: ['systemAdmin'] });

    proxyPort = freePort();
    const base = freePort();
    ports = [base, base + 1];
    cluster = spawn(
      process.execPath,
      ['scripts/cluster.mjs', '--servers', '2', '--port', String(proxyPort), '--base-port', String(base)],
      {
        cwd: root,
        env: {
          ...process.env,
          ...keys,
          DATABASE_URL: dbUrl,
          DATA_DIR: dataDir,
          SEED_DEMO: 'false',
          LOG_LEVEL: 'warn',
          MQTT_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        for (const m of output.matchAll(/cluster: server \d+ pid (\d+)/g)) {
          const pid = Number(m[1]);
          if (!pids.includes(pid)) pids.push(pid);
        }
        if (output.includes('cluster: ready at')) resolve();
      };
      cluster.stdout?.on('data', seen);
      cluster.stderr?.on('data', seen);
      cluster.on('exit', (code) => reject(new Error(`cluster exited ${code}:\n${output}`)));
    });
  }, 240_000);

  afterAll(async () => {
    if (cluster && cluster.exitCode === null) {
      const exited = new Promise((r) => cluster.once('exit', r));
      cluster.kill('SIGTERM');
      await exited;
    }
    await database?.close();
    if (dbName) {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    }
  }, 60_000);

  it('a case reported on server A reaches, over SSE, a browser of server B', async () => {
    const [a, b] = ports as [number, number];
    const district = await session(b, 'district');
    const community = await session(a, 'community');
    const ctl = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${b}/api/notifications/stream`, {
      headers: { cookie: district.cookie },
      signal: ctl.signal,
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The stream is open once its first line (the retry hint) has come.
    while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value);
    const res = await report(a, community);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    while (!text.includes(id)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    // Server B counts the open stream (/metrics answers a direct loopback connection).
    const metrics = await (await fetch(`http://127.0.0.1:${b}/metrics`)).text();
    expect(metrics).toMatch(/^civicgrid_sse_clients 1$/m);
    ctl.abort();
    expect(text).toContain('event: case');
    expect(text).toContain(id);
  });

  it('the deadline sweep asked of both servers at once marks an overdue case once', async () => {
    const [a, b] = ports as [number, number];
    const community = await session(a, 'community');
    const res = await report(a, community);
    const { id } = (await res.json()) as { id: string };
    await database.db.execute(sql`update cases set due_at = now() - interval '1 minute' where id = ${id}`);
    const step = Math.floor(Date.now() / 30_000) * 30_000;
    const opsA = await session(a, 'opsA', totpAt(testTotpSecret, step));
    const opsB = await session(b, 'opsB', totpAt(testTotpSecret, step));
    const runs = await Promise.all([
      call(a, opsA, 'POST', '/api/admin/jobs/case-deadlines/run'),
      call(b, opsB, 'POST', '/api/admin/jobs/case-deadlines/run'),
    ]);
    for (const r of runs) expect(r.status).toBe(200);
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from case_events where case_id = ${id} and action = 'overdue'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('five wrong passwords spread over both servers lock the account on both', async () => {
    const [a, b] = ports as [number, number];
    for (let i = 0; i < 5; i++) {
      const r = await login(i % 2 === 0 ? a : b, 'victim', 'Wrong@password1');
      expect(r.status).toBe(401);
    }
    for (const port of [a, b]) {
      const r = await login(port, 'victim');
      expect(r.status).toBe(423);
      expect(((await r.json()) as { code: string }).code).toBe('ACCOUNT_LOCKED');
    }
  });

  it('a server killed with SIGKILL mid-load: every acknowledged case is kept, the other keeps answering', async () => {
    const community = await session(proxyPort, 'community');
    const acked: string[] = [];
    let failed = 0;
    let killed = false;
    const lane = async () => {
      for (let i = 0; i < 15; i++) {
        const r = await report(proxyPort, community).catch(() => null);
        if (r?.status === 201) acked.push(((await r.json()) as { id: string }).id);
        else failed++;
        if (!killed && acked.length >= 8) {
          killed = true;
          process.kill(pids[1] as number, 'SIGKILL');
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(killed).toBe(true);
    // Only what was in flight on the killed server may fail; the rest went to the survivor.
    expect(acked.length).toBeGreaterThanOrEqual(60 - 8);
    expect(failed).toBeLessThanOrEqual(8);
    const kept = await queryRows<{ id: string }>(
      database.db,
      sql`select id from cases where id in (${sql.join(
        acked.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    expect(kept.length).toBe(acked.length);
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`http://127.0.0.1:${proxyPort}/api/health/ready`);
      expect(r.status).toBe(200);
    }
  });

  it('SIGTERM drains a server: requests in flight are answered, its event stream ends, it exits 0', async () => {
    const a = ports[0] as number;
    const pid = pids[0] as number;
    const community = await session(a, 'community');
    const district = await session(a, 'district');
    const stream = await fetch(`http://127.0.0.1:${a}/api/notifications/stream`, {
      headers: { cookie: district.cookie },
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    let signalled = false;
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const r = await report(a, community).catch(() => null);
        if (!signalled) {
          signalled = true;
          process.kill(pid, 'SIGTERM');
        }
        return r
          ? { status: r.status, id: r.status === 201 ? ((await r.json()) as { id: string }).id : null }
          : null;
      }),
    );
    const answered = answers.filter((x) => x !== null);
    // Whatever got an answer got a whole one: no 5xx from a server going down.
    for (const x of answered) expect(x.status).toBe(201);
    const ids = answered.map((x) => x.id as string);
    const kept = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from cases where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    expect(kept[0]?.n).toBe(ids.length);
    // The stream is ended by the server (not left hanging for the browser to time out).
    let done = false;
    while (!done) done = (await reader.read()).done;
    const exited = new RegExp(`\\(pid ${pid}\\) exited \\((\\w+)\\)`);
    while (!exited.test(output)) await new Promise((r) => setTimeout(r, 100));
    expect(exited.exec(output)?.[1], output).toBe('0');
  }, 60_000);
});
