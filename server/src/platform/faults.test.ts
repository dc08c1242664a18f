import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { ensureBuiltIns } from '../seed/builtIns.js';
import { login, makeTerritory, makeUser } from '../test/factories.js';
import { withDatabase } from '../test/globalSetup.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { loadConfig } from './config.js';
import { createFieldCrypto } from './crypto.js';
import { type Database, openPostgres, queryRows } from './db.js';
import { droppedEventStreamCount, maxStreamBufferBytes, openEventStreamCount } from './events.js';

/**
 * Issue 18, "bad input and faults": the database restarting under load, a client that never
 * reads its event stream, a full disk for files.
 */

// ——— the disk: writes of files under DATA_DIR/files fail with ENOSPC while `diskFull` is set,
// after writing half their bytes (as a real disk filling up mid-write leaves them) ———
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile: typeof real.writeFile = async (path, data, options) => {
    if (disk.full && typeof path === 'string' && path.includes('/files/') && Buffer.isBuffer(data)) {
      await real.writeFile(path, data.subarray(0, data.length >> 1), options);
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    return real.writeFile(path, data, options);
  };
  return { ...real, writeFile, default: { ...real, writeFile } };
});

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 160, b: 30 } } })
    .png()
    .toBuffer();

function multipart(name: string, data: Buffer, mime: string) {
  const boundary = `----cg${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('disk full for files', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp();
    const t = await makeTerritory(ctx.deps.db);
    await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  });
  afterAll(async () => {
    disk.full = false;
    await ctx?.close();
  });

  it('a photo upload on a full disk: 507 problem+json in Chinese, no file row, no audit, no partial file', async () => {
    const s = await login(ctx.app, 'worker');
    const image = await png();
    const filesDir = join(ctx.deps.config.dataDir, 'files');
    const count = async (q: ReturnType<typeof sql>) =>
      Number((await queryRows<{ n: number }>(ctx.deps.db, q))[0]?.n);
    const before = {
      files: await count(sql`select count(*) as n from files`),
      audit: await count(sql`select count(*) as n from audit_log where action = 'file.uploaded'`),
      cases: await count(sql`select count(*) as n from cases`),
    };

    disk.full = true;
    const res = await s.inject({
      method: 'POST',
      url: '/api/files',
      ...multipart('a.png', image, 'image/png'),
    });
    disk.full = false;
    expect(res.statusCode).toBe(507);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem).toMatchObject({ status: 507, code: 'FILE_STORE_FULL' });
    expect(problem.title).toBe('文件存储空间已满，文件未保存，请联系系统管理员');
    // Nothing half-written: no row, no audit entry, no case, and no partial (.tmp) file left.
    expect(await count(sql`select count(*) as n from files`)).toBe(before.files);
    expect(await count(sql`select count(*) as n from audit_log where action = 'file.uploaded'`)).toBe(
      before.audit,
    );
    expect(await count(sql`select count(*) as n from cases`)).toBe(before.cases);
    expect(filesUnder(filesDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Room again: the same photo goes through, whole.
    const again = await s.inject({
      method: 'POST',
      url: '/api/files',
      ...multipart('a.png', image, 'image/png'),
    });
    expect(again.statusCode).toBe(201);
    const stored = filesUnder(filesDir);
    expect(stored.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const original = stored.find((f) => f.endsWith('.png'));
    expect(original && (await fsPromises.readFile(original)).equals(image)).toBe(true);
    expect(await count(sql`select count(*) as n from files`)).toBe(before.files + 1);
  });
});

describe('a client that never reads its event stream', () => {
  let ctx: TestContext;
  let port = 0;
  beforeAll(async () => {
    ctx = await createTestApp();
    const t = await makeTerritory(ctx.deps.db);
    await makeUser(ctx.deps, { username: 'sleeper', roles: ['gridWorker'], orgUnit: t.grids[0] });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('is dropped once its unsent buffer passes the bound, and its listener goes', async () => {
    const s = await login(ctx.app, 'sleeper');
    const user = (await s.get('/api/me')).json() as { id: string };
    const streamsBefore = openEventStreamCount();
    const listenersBefore = ctx.app.bus.subscriberCount();
    const droppedBefore = droppedEventStreamCount();

    // A raw client that reads the response head and then never reads again.
    const socket = net.connect(port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `GET /api/notifications/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${s.cookie}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    const head = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toContain('text/event-stream');
    socket.pause();
    await vi.waitFor(() => expect(openEventStreamCount()).toBe(streamsBefore + 1));

    // 40 MB of notifications for this user, far beyond the kernel's socket buffers.
    const text = '通知'.repeat(2_000);
    let sent = 0;
    while (openEventStreamCount() > streamsBefore && sent < 10_000) {
      for (let i = 0; i < 50; i++, sent++)
        ctx.app.bus.publish({
          type: 'notification',
          userId: user.id,
          notification: { id: String(sent), title: text },
        });
      // Let the server's socket flush what the kernel takes.
      await new Promise((r) => setImmediate(r));
    }
    // Dropped: the stream is gone from the server, its bus listener too, and it was counted.
    expect(openEventStreamCount()).toBe(streamsBefore);
    expect(ctx.app.bus.subscriberCount()).toBe(listenersBefore);
    expect(droppedEventStreamCount()).toBe(droppedBefore + 1);
    // Long before all of it was sent: 12 KB an event, the bound plus the kernel's buffers.
    expect(sent * 12_000).toBeLessThan(40 * maxStreamBufferBytes);
    // The client sees its connection end once it reads again.
    socket.resume();
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 10_000 });
  });

  it('a client that reads keeps its stream through the same burst', async () => {
    const s = await login(ctx.app, 'sleeper');
    const user = (await s.get('/api/me')).json() as { id: string };
    const streamsBefore = openEventStreamCount();
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/notifications/stream`, {
      headers: { cookie: s.cookie },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += (decoder.decode(value, { stream: true }).match(/event: notification/g) ?? []).length;
      }
    })();
    const text = '通知'.repeat(2_000);
    for (let i = 0; i < 500; i++) {
      ctx.app.bus.publish({
        type: 'notification',
        userId: user.id,
        notification: { id: String(i), title: text },
      });
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(() => expect(received).toBe(500), { timeout: 30_000 });
    expect(openEventStreamCount()).toBe(streamsBefore + 1);
    controller.abort();
    await reading;
    await vi.waitFor(() => expect(openEventStreamCount()).toBe(streamsBefore));
  });
});

/**
 * A TCP proxy in front of PostgreSQL: `down()` resets every connection and refuses new ones
 * (what the app sees while the database restarts), `up()` listens again on the same port.
 */
async function pgProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      const listener = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => {
            sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server = listener;
      listener.listen(port, '127.0.0.1', () => {
        port = (listener.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await up();
  return {
    get port() {
      return port;
    },
    up,
    down: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.resetAndDestroy();
        server?.close(() => resolve());
      }),
  };
}

const baseUrl = process.env.TEST_DATABASE_URL;
const template = process.env.CG_TEMPLATE_DB;

describe.skipIf(!baseUrl || !template)('the database restarted under load (PostgreSQL)', () => {
  const name = `cg_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
  let proxy: Awaited<ReturnType<typeof pgProxy>>;
  let database: Database;
  let app: FastifyInstance;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  /** Ends every connection of the app's database, as a restart does (57P01 to each). */
  const terminateAll = () =>
    admin((c) =>
      c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]),
    );
  const listening = () =>
    admin(async (c) => {
      const { rows } = await c.query(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike 'listen %'`,
        [name],
      );
      return rows[0].n as number;
    });

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${name} template ${template}`));
    const target = new URL(withDatabase(baseUrl as string, name));
    proxy = await pgProxy(target);
    const viaProxy = new URL(target);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    database = await openPostgres(viaProxy.toString(), { max: 5 });
    await ensureBuiltIns(database.db);
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-faults-')),
      DATA_KEY: randomBytes(32).toString('hex'),
      INDEX_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      // The event bus LISTENs through the proxy too: it must come back by itself.
      DATABASE_URL: viaProxy.toString(),
    });
    const crypto = createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey);
    const deps = { db: database.db, database, crypto, config };
    const t = await makeTerritory(database.db);
    await makeUser(deps, {
      username: 'community',
      roles: ['communityWorkstation'],
      orgUnit: t.communities[0],
    });
    app = await buildApp(deps, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await proxy?.down();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });

  it('answers 503 problem+json with Retry-After while it is down, and recovers without a restart', async () => {
    const s = await login(app, 'community');
    expect((await s.get('/api/me')).statusCode).toBe(200);
    await vi.waitFor(async () => expect(await listening()).toBe(1), { timeout: 10_000 });

    // The restart: every connection ended by the server, then nobody listening.
    await terminateAll();
    await proxy.down();
    // Load meanwhile: reads, writes and logins, 30 at once — each a clean 503, none a 500.
    // (GET /api/me may be answered from the session cache; the notifications list reads the database.)
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? s.get('/api/notifications')
          : i % 3 === 1
            ? s.post('/api/notifications/read-all')
            : app.inject({
                method: 'POST',
                url: '/api/auth/login',
                payload: { username: 'community', password: 'wrong-password-1' },
              }),
      ),
    );
    for (const res of burst) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        title: '数据库暂时不可用，请稍后重试',
      });
    }
    // The readiness probe says so too, so a balancer stops sending here.
    expect((await app.inject({ method: 'GET', url: '/api/health/ready' })).statusCode).toBe(503);

    // The database is back: the same server answers again, reads and writes, and the session held.
    await proxy.up();
    await vi.waitFor(async () => expect((await s.get('/api/notifications')).statusCode).toBe(200), {
      timeout: 10_000,
    });
    expect((await s.post('/api/notifications/read-all')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/health/ready' })).statusCode).toBe(200);
    // The event bus is LISTENing again (events cross servers again).
    await vi.waitFor(async () => expect(await listening()).toBe(1), { timeout: 15_000 });
  });

  it('connections ended under a running query (pg_terminate_backend): 503, then the next request works', async () => {
    const s = await login(app, 'community');
    // A request in flight while its connection is ended: the pool's other connections too.
    const inFlight = Promise.all(Array.from({ length: 10 }, () => s.get('/api/notifications')));
    await terminateAll();
    for (const res of await inFlight) expect([200, 503]).toContain(res.statusCode);
    await vi.waitFor(async () => expect((await s.get('/api/notifications')).statusCode).toBe(200), {
      timeout: 10_000,
    });
  });
});
