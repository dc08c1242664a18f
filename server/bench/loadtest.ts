/**
 * `npm run loadtest [-- --users 200 --minutes 10 --servers 2 --kill]` — issue 18 item 6: a mixed
 * workload of the real roles against the cluster (`npm run cluster`: N servers on PostgreSQL
 * behind nginx), on a fresh PostgreSQL database seeded with the demo district:
 *   grid workers (60 %) report cases from /m's API (channel grid_patrol, an idempotency key
 *     each), load their to-do views, open a case and add a note (idempotency-key header);
 *   dispatchers (community and street centres, 22 %) list 待受理 and the counts, open a case and
 *     accept it;
 *   leaders (district, streets, 10 %) poll the dashboard, its to-dos and the case metrics;
 *   big screens (the rest, at least 1) hold the event stream open the whole run and poll the
 *     dashboard; one importer uploads a residents spreadsheet in the background now and then.
 * Each user logs in once, from an address of its own (X-Forwarded-For: nginx on loopback is a
 * trusted proxy), spread over the demo's accounts, paced under the login limits.
 * Writes that fail on the way (a 502 from nginx, a 503, a dropped connection) are sent again
 * with the same key, as /m's outbox does, until answered.
 * At the end: throughput, p50/p95/p99 and errors per route group, and the cases and events
 * created (counted in the database) against those acknowledged to the clients — equal, or
 * the run fails. `--kill` SIGKILLs one server halfway: no acknowledged write may be lost.
 * LOADTEST_URL=http://… runs against a running cluster instead (LOADTEST_DATABASE_URL is
 * then its database, for the final count).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { localAdminUrl } from './local.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    minutes: { type: 'string', default: '10' },
    servers: { type: 'string', default: '2' },
    kill: { type: 'boolean', default: false },
    port: { type: 'string', default: '8790' },
    'base-port': { type: 'string', default: '3790' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const userCount = Number(args.users);
const minutes = Number(args.minutes);
const serverCount = Number(args.servers);
if (!(userCount >= 5) || !(minutes > 0) || !(serverCount >= 1)) {
  console.error('loadtest: --users ≥ 5, --minutes > 0, --servers ≥ 1');
  process.exit(2);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const runId = `lt${Date.now().toString(36)}`;
const password = process.env.LOADTEST_PASSWORD ?? 'Demo@2026';

// ——— the cluster ———
let cluster: ChildProcess | null = null;
const serverPids: number[] = [];
let base = process.env.LOADTEST_URL ?? '';
let dbUrl = process.env.LOADTEST_DATABASE_URL ?? '';
const adminUrl = process.env.LOADTEST_ADMIN_URL ?? localAdminUrl;
const dbName = `cg_load_${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cg-load-'));
// nginx's workers (nobody) write request bodies under the run dir: it cannot sit in the
// private (0700) data dir, which holds the keys.
const runDir = mkdtempSync(join(tmpdir(), 'cg-load-nginx-'));
chmodSync(runDir, 0o755);

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function startCluster() {
  const u = new URL(adminUrl);
  await sql(adminUrl, `create database ${dbName}`);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  const t0 = performance.now();
  cluster = spawn(
    process.execPath,
    [
      'scripts/cluster.mjs',
      '--servers',
      String(serverCount),
      '--port',
      args.port as string,
      '--base-port',
      args['base-port'] as string,
      '--run-dir',
      runDir,
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: dbUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    cluster?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of d.toString().matchAll(/cluster: server \d+ pid (\d+)/g)) serverPids.push(Number(m[1]));
      const ready = out.match(/cluster: ready at (\S+)/);
      if (ready) {
        base = ready[1] as string;
        resolve();
      }
    });
    cluster?.on('exit', (code) =>
      reject(new Error(`the cluster exited (${code}) before it was ready:\n${out}`)),
    );
  });
  console.log(
    `cluster: ${serverCount} servers behind nginx at ${base}, demo district seeded, ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

async function stopCluster() {
  if (cluster?.pid) {
    try {
      process.kill(-cluster.pid, 'SIGTERM');
    } catch {}
    await new Promise((r) => setTimeout(r, 3_000));
    try {
      process.kill(-cluster.pid, 'SIGKILL');
    } catch {}
  }
  if (!args['keep-db'] && !process.env.LOADTEST_URL)
    await sql(adminUrl, `drop database if exists ${dbName} with (force)`).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
}

// ——— measuring ———
interface Group {
  times: number[];
  ok: number;
  errors: number;
  /** Answers that are the workload's normal refusals (another dispatcher took the case first). */
  conflicts: number;
  retries: number;
}
const groups = new Map<string, Group>();
const errorSamples = new Map<string, number>();
const group = (name: string): Group => {
  let g = groups.get(name);
  if (!g) {
    g = { times: [], ok: 0, errors: 0, conflicts: 0, retries: 0 };
    groups.set(name, g);
  }
  return g;
};
let measuring = false;
const ack = { cases: new Set<string>(), notes: 0, accepts: 0, reports: 0 };

interface Session {
  cookie: string;
  csrf: string;
  ip: string;
}

async function call(
  name: string,
  s: Session | null,
  method: string,
  path: string,
  body?: unknown,
  opts: { key?: string; expect?: number[]; conflicts?: number[]; retry?: boolean; form?: FormData } = {},
): Promise<{ status: number; json: unknown }> {
  const g = group(name);
  const headers: Record<string, string> = { 'x-forwarded-for': s?.ip ?? '10.255.255.1' };
  if (s) {
    headers.cookie = s.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = s.csrf;
  }
  if (opts.key) headers['idempotency-key'] = opts.key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  for (let attempt = 0; ; attempt++) {
    const t = performance.now();
    let status = 0;
    let json: unknown = null;
    try {
      const r = await fetch(`${base}${path}`, {
        method,
        headers,
        body: opts.form ?? (body === undefined ? undefined : JSON.stringify(body)),
        signal: AbortSignal.timeout(30_000),
      });
      status = r.status;
      json = await r.json().catch(() => null);
    } catch (e) {
      status = 0;
      json = String(e);
    }
    const ms = performance.now() - t;
    const okStatuses = opts.expect ?? [200, 201];
    if (measuring) g.times.push(ms);
    if (okStatuses.includes(status)) {
      if (measuring) g.ok++;
      return { status, json };
    }
    if (opts.conflicts?.includes(status)) {
      if (measuring) g.conflicts++;
      return { status, json };
    }
    const transient = status === 0 || status === 502 || status === 503 || status === 504;
    if (measuring) {
      if (transient && opts.retry && attempt < 8) g.retries++;
      else g.errors++;
      const sample = `${name} ${status} ${typeof json === 'object' && json ? ((json as { code?: string }).code ?? '') : String(json).slice(0, 80)}`;
      errorSamples.set(sample, (errorSamples.get(sample) ?? 0) + 1);
    }
    if (!(transient && opts.retry && attempt < 8)) return { status, json };
    await new Promise((r) => setTimeout(r, 250 * 2 ** Math.min(attempt, 4)));
  }
}

// ——— the people ———
interface Account {
  username: string;
  role: string;
  orgUnitId: number | null;
  path: string | null;
  lat: number | null;
  lng: number | null;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const think = (lo: number, hi: number) => pause(lo + Math.random() * (hi - lo));
let ipSeq = 0;
const nextIp = () => {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

async function login(a: Account): Promise<Session> {
  const ip = nextIp();
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username: a.username, password }),
    });
    if (r.status === 200) {
      const cookie = r.headers.get('set-cookie')?.split(';')[0] ?? '';
      const { csrfToken } = (await r.json()) as { csrfToken: string };
      return { cookie, csrf: csrfToken, ip };
    }
    const wait = Number(r.headers.get('retry-after') ?? 5);
    await r.text();
    if (r.status !== 429 && r.status < 500) throw new Error(`login ${a.username}: ${r.status}`);
    await pause(wait * 1000);
  }
  throw new Error(`login ${a.username} kept failing`);
}

let running = true;
const categories = ['C0103', 'C0101', 'C0201', 'C0301'];

async function gridWorker(a: Account, s: Session) {
  const mine: string[] = [];
  while (running) {
    const key = `${runId}-${randomUUID()}`;
    const r = await call(
      'report (POST /api/cases)',
      s,
      'POST',
      '/api/cases',
      {
        description: `负载测试：${a.username} 巡查发现路面破损`,
        categoryCode: categories[Math.floor(Math.random() * categories.length)],
        channel: 'grid_patrol',
        location: {
          lat: (a.lat as number) + (Math.random() - 0.5) * 0.0002,
          lng: (a.lng as number) + (Math.random() - 0.5) * 0.0002,
        },
        idempotencyKey: key,
      },
      { retry: true },
    );
    const id = (r.json as { id?: string } | null)?.id;
    if ((r.status === 201 || r.status === 200) && id) {
      if (!ack.cases.has(id)) ack.reports++;
      ack.cases.add(id);
      mine.push(id);
    }
    await think(1_000, 3_000);
    if (!running) break;
    await call('to-do lists (GET /api/cases?view)', s, 'GET', '/api/cases?view=mine&pageSize=50');
    await call(
      'to-do lists (GET /api/cases?view)',
      s,
      'GET',
      '/api/cases?view=toVerify&pageSize=50&sort=dueAt',
    );
    await think(1_000, 3_000);
    const pick = mine[Math.floor(Math.random() * mine.length)];
    if (pick && running) {
      await call('case detail (GET /api/cases/:id)', s, 'GET', `/api/cases/${pick}`);
      const n = await call(
        'note (POST …/actions/note)',
        s,
        'POST',
        `/api/cases/${pick}/actions/note`,
        { note: '负载测试：现场补充情况' },
        { key: `${runId}-${randomUUID()}`, retry: true },
      );
      if (n.status === 200) ack.notes++;
      await think(1_000, 3_000);
    }
  }
}

async function dispatcher(_a: Account, s: Session) {
  while (running) {
    const list = await call(
      'to-do lists (GET /api/cases?view)',
      s,
      'GET',
      '/api/cases?view=toAccept&pageSize=20',
    );
    await call('counts (GET /api/cases/counts)', s, 'GET', '/api/cases/counts');
    await think(1_000, 3_000);
    const items = ((list.json as { items?: { id: string }[] } | null)?.items ?? []).slice(0, 5);
    const c = items[Math.floor(Math.random() * items.length)];
    if (c && running) {
      await call('case detail (GET /api/cases/:id)', s, 'GET', `/api/cases/${c.id}`);
      await think(500, 1_500);
      const r = await call(
        'accept (POST …/actions/accept)',
        s,
        'POST',
        `/api/cases/${c.id}/actions/accept`,
        { note: '负载测试受理' },
        // Another dispatcher of the same level may have accepted it first.
        { key: `${runId}-${randomUUID()}`, retry: true, conflicts: [409] },
      );
      if (r.status === 200) ack.accepts++;
    }
    await think(2_000, 5_000);
  }
}

async function leader(_a: Account, s: Session) {
  const today = new Date();
  const from = new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const to = today.toISOString().slice(0, 10);
  while (running) {
    await call('dashboard (GET /api/dashboard)', s, 'GET', '/api/dashboard');
    await call('dashboard (GET /api/dashboard)', s, 'GET', '/api/dashboard/todos');
    await think(3_000, 8_000);
    if (!running) break;
    await call('metrics (GET /api/metrics/cases)', s, 'GET', `/api/metrics/cases?from=${from}&to=${to}`);
    await think(5_000, 10_000);
  }
}

const sse = { open: 0, events: 0, drops: 0 };
async function screen(_a: Account, s: Session) {
  const holdStream = async () => {
    while (running) {
      const controller = new AbortController();
      const stop = setInterval(() => {
        if (!running) controller.abort();
      }, 500);
      try {
        const t = performance.now();
        const r = await fetch(`${base}/api/notifications/stream`, {
          headers: { cookie: s.cookie, 'x-forwarded-for': s.ip, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (measuring) group('event stream (connect)').times.push(performance.now() - t);
        if (r.status !== 200 || !r.body) throw new Error(`stream ${r.status}`);
        if (measuring) group('event stream (connect)').ok++;
        sse.open++;
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (measuring)
            sse.events += (decoder.decode(value, { stream: true }).match(/^event: /gm) ?? []).length;
        }
        sse.open--;
        if (running) sse.drops++;
      } catch {
        if (running && measuring) sse.drops++;
        await pause(1_000);
      } finally {
        clearInterval(stop);
      }
    }
  };
  const stream = holdStream();
  while (running) {
    await call('dashboard (GET /api/dashboard)', s, 'GET', '/api/dashboard');
    await think(10_000, 15_000);
  }
  await stream;
}

const imports = { done: 0, rows: 0, failed: 0 };
async function importer(a: Account, s: Session, gridCodes: string[]) {
  let serial = 0;
  const idNumber = () => {
    serial++;
    const birth = new Date(Date.UTC(1950, 0, 1) + ((serial * 7919) % 20000) * 86_400_000);
    const body = `150203${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String((process.pid + serial) % 1000).padStart(3, '0')}`;
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (weights[i] as number), 0);
    return body + '10X98765432'[sum % 11];
  };
  const surnames = '王李张刘陈杨黄赵吴周';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞';
  while (running) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实有人口');
    ws.addRow(['姓名', '身份证号', '手机号', '网格编码', '居住类型', '与户主关系', '标签', '备注']);
    for (let i = 0; i < 500; i++)
      ws.addRow([
        `${surnames[i % 10]}${given[(i * 7) % 18]}${given[(i * 3) % 18]}`,
        idNumber(),
        `139${String(10_000_000 + ((serial * 37) % 89_999_999)).padStart(8, '0')}`,
        gridCodes[i % gridCodes.length],
        '户籍人口',
        '',
        '',
        '',
      ]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const form = new FormData();
    form.append('file', new Blob([data]), 'residents.xlsx');
    const t = performance.now();
    const r = await call(
      'import (POST /api/imports/residents)',
      s,
      'POST',
      '/api/imports/residents',
      undefined,
      {
        form,
        expect: [202],
      },
    );
    const id = (r.json as { id?: string } | null)?.id;
    if (id) {
      for (;;) {
        await pause(1_000);
        const j = await call('import status (GET /api/imports/:id)', s, 'GET', `/api/imports/${id}`);
        const job = j.json as { status?: string; imported?: number; failed?: number } | null;
        if (job?.status === 'done' || job?.status === 'failed') {
          if (job.status === 'done') {
            imports.done++;
            imports.rows += job.imported ?? 0;
          } else imports.failed++;
          if (measuring) group('import (whole job)').times.push(performance.now() - t);
          break;
        }
        if (!running && performance.now() - t > 120_000) break;
      }
    }
    void a;
    await think(20_000, 30_000);
  }
}

// ——— the run ———
const loads: { at: string; load: number[] }[] = [];
let exitCode = 0;
try {
  if (!base) await startCluster();
  if (!dbUrl) throw new Error('LOADTEST_DATABASE_URL is needed with LOADTEST_URL (the final count)');

  const accounts = await sql<Account>(
    dbUrl,
    `select u.username, r.code as role, u.org_unit_id as "orgUnitId", o.path,
       (select avg((p->>1)::float8) from jsonb_array_elements(o.geometry::jsonb->'coordinates'->0) p) as lat,
       (select avg((p->>0)::float8) from jsonb_array_elements(o.geometry::jsonb->'coordinates'->0) p) as lng
     from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
     left join org_units o on o.id = u.org_unit_id
     where r.code in ('gridWorker', 'communityWorkstation', 'streetCentre', 'districtCommand')
     order by u.username`,
  );
  const byRole = (role: string) => accounts.filter((a) => a.role === role);
  // Grid managers (g…m and the demo's own), whose grids have an outline to report in.
  const workers = byRole('gridWorker').filter(
    (a) => a.lat !== null && /^(gridworker|g.*m)$/.test(a.username),
  );
  const communities = byRole('communityWorkstation').filter(
    (a) => /^c\d/.test(a.username) || a.username === 'community',
  );
  const streets = byRole('streetCentre');
  const districts = byRole('districtCommand');
  const nWorkers = Math.round(userCount * 0.6);
  const nDispatchers = Math.round(userCount * 0.22);
  const nLeaders = Math.max(1, Math.round(userCount * 0.1));
  const nScreens = Math.max(1, userCount - 1 - nWorkers - nDispatchers - nLeaders);
  const cycle = <T>(xs: T[], i: number) => xs[i % xs.length] as T;
  const cast: { kind: 'worker' | 'dispatcher' | 'leader' | 'screen' | 'importer'; a: Account }[] = [];
  for (let i = 0; i < nWorkers; i++) cast.push({ kind: 'worker', a: cycle(workers, i) });
  for (let i = 0; i < nDispatchers; i++)
    cast.push({ kind: 'dispatcher', a: i % 3 === 2 ? cycle(streets, i) : cycle(communities, i) });
  for (let i = 0; i < nLeaders; i++)
    cast.push({ kind: 'leader', a: i % 4 === 0 ? cycle(districts, i) : cycle(streets, i + 5) });
  for (let i = 0; i < nScreens; i++) cast.push({ kind: 'screen', a: cycle(districts, i) });
  const importAccount = communities.find((c) => c.username === 'community') ?? (communities[0] as Account);
  cast.push({ kind: 'importer', a: importAccount });
  const gridCodes = (
    await sql<{ code: string }>(
      dbUrl,
      `select code from org_units where level = 'grid' and path like $1 || '%' order by id`,
      [importAccount.path],
    )
  ).map((r) => r.code);
  console.log(
    `loadtest ${runId}: ${cast.length} users — ${nWorkers} grid workers, ${nDispatchers} dispatchers, ${nLeaders} leaders, ${nScreens} big screens, 1 importer — for ${minutes} min on ${cpus().length} cores${args.kill ? ', one server SIGKILLed halfway' : ''}`,
  );

  // Log in 10 at a time: argon2id is CPU-bound and shares the machine with the servers. Tries
  // at one account go one after another: each is counted before its password is checked (the
  // lockout's guard against parallel guessing), so ten at once would lock the account (423).
  const tLogin = performance.now();
  const sessions: Session[] = [];
  const lastLogin = new Map<string, Promise<unknown>>();
  const loginInTurn = (a: Account) => {
    const turn = (lastLogin.get(a.username) ?? Promise.resolve()).then(() => login(a));
    lastLogin.set(
      a.username,
      turn.catch(() => undefined),
    );
    return turn;
  };
  for (let i = 0; i < cast.length; i += 10)
    sessions.push(...(await Promise.all(cast.slice(i, i + 10).map((c) => loginInTurn(c.a)))));
  console.log(`logins: ${cast.length} in ${((performance.now() - tLogin) / 1000).toFixed(1)} s`);

  const runMs = minutes * 60_000;
  measuring = true;
  const t0 = performance.now();
  loads.push({ at: 'start', load: loadavg() });
  const users = cast.map(async (c, i) => {
    // Users arrive over the first 10 s, not all in the same millisecond.
    await pause(Math.random() * 10_000);
    const s = sessions[i] as Session;
    if (c.kind === 'worker') return gridWorker(c.a, s);
    if (c.kind === 'dispatcher') return dispatcher(c.a, s);
    if (c.kind === 'leader') return leader(c.a, s);
    if (c.kind === 'screen') return screen(c.a, s);
    return importer(c.a, s, gridCodes);
  });
  const ticker = setInterval(() => {
    const total = [...groups.values()].reduce((n, g) => n + g.ok + g.errors + g.conflicts, 0);
    const errors = [...groups.values()].reduce((n, g) => n + g.errors, 0);
    console.log(
      `  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${total} requests, ${errors} errors, ${ack.cases.size} cases, ${sse.open} streams open, load ${loadavg()[0]?.toFixed(2)}`,
    );
  }, 15_000);
  let killed: number | null = null;
  const killer =
    args.kill && serverPids.length > 1
      ? setTimeout(() => {
          killed = serverPids[serverPids.length - 1] as number;
          console.log(
            `  SIGKILL server pid ${killed} halfway (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
          );
          process.kill(killed, 'SIGKILL');
        }, runMs / 2)
      : null;
  const mid = setTimeout(() => loads.push({ at: 'middle', load: loadavg() }), runMs / 2);
  await pause(runMs);
  running = false;
  const seconds = (performance.now() - t0) / 1000;
  loads.push({ at: 'end', load: loadavg() });
  clearInterval(ticker);
  clearTimeout(mid);
  if (killer) clearTimeout(killer);
  await Promise.race([Promise.all(users), pause(60_000)]);
  measuring = false;

  // ——— the figures ———
  const rows = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(
    `\n${'route group'.padEnd(40)}${pad('requests', 9)}${pad('req/s', 8)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('retried', 8)}${pad('409', 6)}`,
  );
  let all: number[] = [];
  let totalErrors = 0;
  let totalRequests = 0;
  for (const [name, g] of rows) {
    const s = [...g.times].sort((x, y) => x - y);
    all = all.concat(s);
    totalErrors += g.errors;
    totalRequests += s.length;
    const p = (q: number) => (s.length ? percentile(s, q).toFixed(0) : '—');
    console.log(
      `${name.padEnd(40)}${pad(s.length, 9)}${pad((s.length / seconds).toFixed(1), 8)}${pad(p(50), 9)}${pad(p(95), 9)}${pad(p(99), 9)}${pad(g.errors, 8)}${pad(g.retries, 8)}${pad(g.conflicts, 6)}`,
    );
  }
  all.sort((x, y) => x - y);
  console.log(
    `${'all'.padEnd(40)}${pad(all.length, 9)}${pad((all.length / seconds).toFixed(1), 8)}${pad(percentile(all, 50).toFixed(0), 9)}${pad(percentile(all, 95).toFixed(0), 9)}${pad(percentile(all, 99).toFixed(0), 9)}${pad(totalErrors, 8)}`,
  );
  for (const [sample, n] of [...errorSamples.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`  error/retry: ${sample} × ${n}`);
  console.log(
    `event streams: ${sse.events} events received, ${sse.drops} reconnects; imports: ${imports.done} done (${imports.rows} residents), ${imports.failed} failed`,
  );
  console.log(
    `load average (1/5/15 min): ${loads.map((l) => `${l.at} ${l.load.map((x) => x.toFixed(2)).join('/')}`).join('; ')}`,
  );

  // ——— acknowledged versus stored ———
  const ids = [...ack.cases];
  const [stored] = await sql<{
    cases: number;
    found: number;
    reports: number;
    notes: number;
    accepts: number;
  }>(
    dbUrl,
    `select (select count(*)::int from cases where idempotency_key like $1 || '-%') as cases,
       (select count(*)::int from cases where id = any($2::uuid[])) as found,
       (select count(*)::int from case_events e join cases c on c.id = e.case_id
          where c.idempotency_key like $1 || '-%' and e.action = 'report') as reports,
       (select count(*)::int from case_events where action = 'note' and client_key like $1 || '-%') as notes,
       (select count(*)::int from case_events where action = 'accept' and client_key like $1 || '-%') as accepts`,
    [runId, ids],
  );
  const s = stored as { cases: number; found: number; reports: number; notes: number; accepts: number };
  console.log(
    `cases: ${s.cases} stored, ${ids.length} acknowledged, ${ids.length - s.found} acknowledged but missing\n` +
      `events: report ${s.reports} stored / ${ack.reports} acknowledged; note ${s.notes} / ${ack.notes}; accept ${s.accepts} / ${ack.accepts}`,
  );
  const lost = ids.length - s.found;
  const equal =
    s.cases === ids.length && s.reports === ack.reports && s.notes === ack.notes && s.accepts === ack.accepts;
  if (lost > 0) {
    console.log('FAILED: acknowledged writes are missing from the database');
    exitCode = 1;
  } else if (!equal) {
    console.log(
      killed
        ? 'stored and acknowledged differ: writes committed whose answer was lost with the killed server (none acknowledged is missing)'
        : 'FAILED: stored and acknowledged differ',
    );
    if (!killed) exitCode = 1;
  } else console.log('stored = acknowledged: every acknowledged write is in the database, and nothing else');
  if (totalErrors > 0) exitCode = exitCode || 3;
  console.log(
    `summary: ${totalRequests} requests in ${seconds.toFixed(0)} s (${(totalRequests / seconds).toFixed(1)} req/s), p95 ${percentile(all, 95).toFixed(0)} ms (goal < 200 ms), ${totalErrors} errors (goal 0)`,
  );
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  running = false;
  await stopCluster();
}
process.exit(exitCode);
