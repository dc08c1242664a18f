// `npm run cluster -- [--servers N] [--port P] [--base-port B] [--run-dir DIR]`: N app servers
// (default 2) on one PostgreSQL (DATABASE_URL) behind nginx, whose config is made from the
// committed template deploy/nginx.conf. The first server migrates (under an advisory lock)
// and seeds; the others start once it is ready, so every server shares its keys in DATA_DIR.
// Each line `cluster: server <i> pid <pid> port <port>` names a server (tests kill one by pid).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '2' },
    port: { type: 'string', default: '8080' },
    'base-port': { type: 'string', default: '3001' },
    'run-dir': { type: 'string' },
  },
});
const servers = Number(values.servers);
const port = Number(values.port);
const basePort = Number(values['base-port']);
if (!Number.isInteger(servers) || servers < 1 || servers > 64)
  fail('--servers must be a whole number from 1 to 64');
if (!Number.isInteger(port) || !Number.isInteger(basePort))
  fail('--port and --base-port must be port numbers');

function fail(message) {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

if (!process.env.DATABASE_URL)
  fail(
    "DATABASE_URL is required: the servers share one PostgreSQL (PGlite is one process's database).\n" +
      '  e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civicgrid npm run cluster',
  );
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));
if (!nginx)
  fail("nginx is not installed (Debian: apt-get install -y nginx); the cluster runs Debian's nginx.");

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
const runDir = resolve(values['run-dir'] ?? join(dataDir, 'cluster'));
for (const d of ['tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi'])
  mkdirSync(join(runDir, d), { recursive: true, mode: 0o777 });

if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
  console.log('cluster: building the web app…');
  // What ships, whatever the caller's NODE_ENV (a test runner sets it to `test`, which builds
  // the libraries in development mode: larger, over the field app's budget).
  const r = spawnSync('npm', ['run', 'build', '--workspace', 'web'], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The largest body the app takes: a multipart upload (10 MB photo + fields) or BODY_LIMIT of JSON. */
const bodyLimit = Math.max(Number(process.env.BODY_LIMIT ?? 1_048_576), 11 * 1024 * 1024);
const upstreams = Array.from(
  { length: servers },
  (_, i) => `    server 127.0.0.1:${basePort + i} max_fails=1 fail_timeout=5s;`,
).join('\n');
const conf = readFileSync(join(root, 'deploy', 'nginx.conf'), 'utf8')
  .replaceAll('{{RUN_DIR}}', runDir)
  .replaceAll('{{UPSTREAMS}}', upstreams)
  .replaceAll('{{LISTEN}}', `127.0.0.1:${port}`)
  .replaceAll('{{BODY_LIMIT}}', String(bodyLimit));
const confPath = join(runDir, 'nginx.conf');
writeFileSync(confPath, conf);
const check = spawnSync(nginx, ['-t', '-q', '-p', runDir, '-c', confPath], { encoding: 'utf8' });
if (check.status !== 0) fail(`the generated nginx config is refused:\n${check.stderr}`);

const children = new Set();
let stopping = false;
function stopAll(signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill(signal);
  setTimeout(() => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  }, 25_000).unref();
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll('SIGTERM'));

function watch(child, name) {
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) console.log(`cluster: ${name} exited (${signal ?? code}); the others keep serving`);
    if (children.size === 0) process.exit(stopping ? 0 : 1);
  });
}

function startServer(i) {
  const serverPort = basePort + i;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(serverPort),
      HOST: '127.0.0.1',
      // nginx connects over loopback: its X-Forwarded-For is the client's address.
      TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
      // One embedded MQTT broker is enough: only the first server takes the port.
      ...(i > 0 && !process.env.MQTT_URL ? { MQTT_PORT: '0' } : {}),
    },
  });
  console.log(`cluster: server ${i + 1} pid ${child.pid} port ${serverPort}`);
  watch(child, `server ${i + 1} (pid ${child.pid})`);
  return serverPort;
}

async function ready(serverPort, timeoutMs = 300_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      const r = await fetch(`http://127.0.0.1:${serverPort}/api/health/ready`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`server on port ${serverPort} did not become ready`);
}

// The first server migrates and seeds alone; then the rest start together.
await ready(startServer(0));
const rest = [];
for (let i = 1; i < servers; i++) rest.push(startServer(i));
await Promise.all(rest.map((p) => ready(p)));

const proxy = spawn(nginx, ['-p', runDir, '-c', confPath, '-g', 'daemon off;'], { stdio: 'inherit' });
console.log(`cluster: nginx pid ${proxy.pid} port ${port}`);
watch(proxy, 'nginx');
const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(`${url}/api/health/ready`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`cluster: ready at ${url} (${servers} servers behind nginx; config ${confPath})`);
