// `npm start`: build the web app when it is missing or older than its sources, then
// start the server (embedded PGlite under DATA_DIR unless DATABASE_URL is set).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join('web', 'dist', 'index.html');
const stale =
  !existsSync(built) || statSync(built).mtimeMs < Math.max(newest('web'), newest(join('core', 'src')));
if (stale) {
  console.log('Building the web app…');
  const r = spawnSync('npm', ['run', 'build', '--workspace', 'web'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// The demo's 12345 bridge: a known secret (printed in README.md) and the simulator's address
// (`npm run simulate:hotline`), unless set; never when the demo district is not seeded.
const demo = !['false', '0'].includes(process.env.SEED_DEMO ?? '');
const env = demo
  ? {
      HOTLINE_SECRET: 'civicgrid-demo-12345-secret',
      HOTLINE_CALLBACK_URL: 'http://localhost:3345/callbacks',
      ...process.env,
    }
  : process.env;
const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
