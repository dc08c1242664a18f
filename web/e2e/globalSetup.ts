import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app, starts the real server on a fresh data dir with the demo district
 * and hands its URL to the specs in E2E_BASE_URL. Chromium is Debian's (`/usr/bin/chromium`).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What the web build reads: a change to any of these (or a file added or removed) rebuilds. */
const buildInputs = [
  'web/src',
  'web/public',
  'web/index.html',
  'web/m.html',
  'web/r.html',
  'web/vite.config.ts',
  'web/vite.m.config.ts',
  'web/vite.r.config.ts',
  'web/package.json',
  'web/tsconfig.json',
  'core/src',
  'scripts/inline-m.mjs',
  'scripts/compress-dist.mjs',
  'package-lock.json',
];
/**
 * Written by the last build this setup made: when it started and when it finished (ms).
 * Kept out of web/dist, which the server serves.
 */
const stamp = join(root, 'node_modules/.cache/civicgrid-e2e-web-build.json');
const shipped = ['web/dist/index.html', 'web/dist/m.html', 'web/dist/r.html'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  // A directory's own mtime changes when a file in it is added, removed or renamed.
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * The build is skipped when this setup built web/dist after the last change to its inputs
 * and nobody has built over it since (a clean clone, as in CI, always builds);
 * E2E_REBUILD=1 builds anyway.
 */
export function buildIsCurrent(): boolean {
  if (process.env.E2E_REBUILD === '1' || !existsSync(stamp)) return false;
  let started: number;
  let finished: number;
  try {
    ({ started, finished } = JSON.parse(readFileSync(stamp, 'utf8')));
  } catch {
    return false;
  }
  if (!(started > 0 && finished >= started)) return false;
  const untouched = (f: string) => existsSync(join(root, f)) && statSync(join(root, f)).mtimeMs <= finished;
  return shipped.every(untouched) && buildInputs.every((p) => newestMtime(join(root, p)) < started);
}

export default async function setup() {
  if (buildIsCurrent()) {
    console.log('e2e: web/dist is newer than every build input; not rebuilding (E2E_REBUILD=1 forces it)');
  } else {
    const started = Date.now();
    rmSync(stamp, { force: true });
    // What ships: a production build (vitest sets NODE_ENV=test, which would build React and
    // Ant Design in development mode, with their development-only console warnings).
    const build = spawnSync('npm', ['run', 'build', '--workspace', 'web'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) throw new Error('web build failed');
    mkdirSync(dirname(stamp), { recursive: true });
    writeFileSync(stamp, `${JSON.stringify({ started, finished: Date.now() })}\n`);
  }
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
      // The portal tests sign in as residents at addresses of their own (X-Forwarded-For from
      // the browser): the rule is one code a minute per client address, and two tests asking
      // from 127.0.0.1 within the same minute had the second refused.
      TRUST_PROXY: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Seeding the demo district takes about a minute on an idle 2-core machine and several on a
  // busy one; the wait is on the health answer, the cap only for a server that hangs.
  const deadline = Date.now() + 900_000;
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
