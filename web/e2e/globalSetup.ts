import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app, starts the real server on a fresh data dir with the demo district
 * and hands its URL to the specs in E2E_BASE_URL. Chromium is Debian's (`/usr/bin/chromium`).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup() {
  // What ships: a production build (vitest sets NODE_ENV=test, which would build React and
  // Ant Design in development mode, with their development-only console warnings).
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'web'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error('web build failed');
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-e2e-'));
  const port = 4100 + Math.floor(Math.random() * 800);
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // Texts (resident sign-in codes) are also written here, where portal.test.ts reads them.
      SMS_OUTBOX: join(dataDir, 'sms-outbox.jsonl'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Seeding the demo district takes about a minute on an idle 2-core machine and much more
  // on a busy one; the wait is on the health answer, the cap only for a server that hangs.
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  // Workers start after this and inherit the environment.
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_SMS_OUTBOX = join(dataDir, 'sms-outbox.jsonl');
  // What the spec files share across workers (the administrators' authenticators, totp.ts).
  const stateDir = mkdtempSync(join(tmpdir(), 'cg-e2e-state-'));
  process.env.E2E_STATE_DIR = stateDir;
  return async () => {
    proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  };
}
