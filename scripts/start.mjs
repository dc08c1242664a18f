// `npm start`: build the web app when it is missing or older than its sources, then
// start the server (embedded PGlite under DATA_DIR unless DATABASE_URL is set).
import { spawn } from 'node:child_process';
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
// A fresh clone builds the web app while the server migrates and seeds the demo district:
// two processes on two cores, instead of one after the other. The server waits for the word
// that the build is done before it opens its port (it serves what the build wrote).
let build = null;
if (stale) {
  console.log('Building the web app…');
  // A production build whatever NODE_ENV the shell has (`test` or `development` would build
  // the libraries in development mode).
  build = spawn('npm', ['run', 'build', '--workspace', 'web'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
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
const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: build ? { ...env, WEB_BUILD_PENDING: '1' } : env,
});
if (build) {
  const built = new Promise((resolve) => build.on('exit', (code) => resolve(code)));
  built.then((code) => {
    if (code === 0) return;
    console.error('The web build failed; stopping.');
    server.kill('SIGTERM');
  });
  // The server asks once it is seeded and ready to listen; the answer comes when the build is done.
  server.on('message', async (m) => {
    if (m === 'web-wait' && (await built) === 0 && server.connected) server.send('web-built');
  });
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    build?.kill(sig);
    server.kill(sig);
  });
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
