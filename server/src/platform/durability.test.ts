import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, queryRows } from './db.js';

/**
 * The embedded database must keep every committed write when the process is killed
 * without warning (SIGKILL: no shutdown hook runs). Runs the real server twice on one
 * data dir. PGlite only: PostgreSQL's durability is PostgreSQL's.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'cg-kill-'));
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
let proc: ChildProcess | undefined;

async function start(): Promise<void> {
  proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

async function loginAs(password: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  return {
    status: res.status,
    cookie,
    csrf: res.ok ? ((await res.json()) as { csrfToken: string }).csrfToken : '',
  };
}

afterAll(() => {
  proc?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('crash safety of the embedded database', () => {
  it('keeps committed data after SIGKILL and starts again on the same data dir', async () => {
    await start();
    const first = await loginAs('Demo@2026');
    expect(first.status).toBe(200);
    const change = await fetch(`${base}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: first.cookie, 'x-csrf-token': first.csrf },
      body: JSON.stringify({ currentPassword: 'Demo@2026', newPassword: 'After#Kill2026' }),
    });
    expect(change.status).toBe(204);
    proc?.kill('SIGKILL');
    await new Promise((r) => proc?.once('exit', r));

    await start();
    expect((await loginAs('Demo@2026')).status).toBe(401);
    expect((await loginAs('After#Kill2026')).status).toBe(200);
  }, 300_000);

  it('marks an import the kill cut off as failed with its counts when the server starts again', async () => {
    const stop = async () => {
      proc?.kill('SIGKILL');
      await new Promise((r) => proc?.once('exit', r));
    };
    // A job as a killed import leaves it: `running`, two of twenty thousand rows written.
    await stop();
    const pgdata = join(dataDir, 'pgdata');
    let embedded = await openPglite(pgdata);
    const [admin] = await queryRows<{ id: string }>(
      embedded.db,
      sql`select id from users where username = 'admin'`,
    );
    const [job] = await queryRows<{ id: string }>(
      embedded.db,
      sql`insert into import_jobs (kind, status, file_name, created_by, total, imported, unchanged)
        values ('residents', 'running', 'big.xlsx', ${admin?.id}, 20000, 2000, 0) returning id`,
    );
    await embedded.close();

    await start();
    await stop();
    embedded = await openPglite(pgdata);
    const [after] = await queryRows<{ status: string; imported: number; total: number; message: string }>(
      embedded.db,
      sql`select status, imported, total, message from import_jobs where id = ${job?.id}`,
    );
    await embedded.close();
    expect(after).toEqual({
      status: 'failed',
      imported: 2000,
      total: 20000,
      message: '导入中断（服务重启），已导入 2000 行；请重新导入剩余数据',
    });
  }, 300_000);
});
