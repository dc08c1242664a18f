/// <reference lib="dom" />
/**
 * `npm run bench`, part 4 — the field app's targets, with the built web app served by the
 * real server (embedded PGlite, demo data) and Debian's Chromium:
 *   /m on Chromium's "Slow 3G" (2,000 ms latency, 50 KB/s down — DevTools' preset):
 *     first visit < 3 s, from the cache (service worker) < 1 s
 *   its JavaScript < 250 KB gzipped
 *   syncing 100 queued reports < 20 s on loopback
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPglite } from '../src/platform/db.js';
import { seedIfEmpty } from '../src/seed/seed.js';
import { recordBench } from './report.js';

const root = new URL('../../', import.meta.url).pathname;
const dist = join(root, 'web', 'dist');
if (!existsSync(join(dist, 'm.html')))
  spawnSync('npm', ['run', 'build', '--workspace', 'web'], { cwd: root, stdio: 'inherit' });

// ——— the JavaScript /m loads (its entry and what the entry names), gzipped ———
const html = readFileSync(join(dist, 'm.html'), 'utf8');
const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
// The entry is inlined into m.html (scripts/inline-m.mjs): count it too.
const inline = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
const jsGzip =
  scripts.reduce((n, s) => n + gzipSync(readFileSync(join(dist, s)), { level: 9 }).length, 0) +
  inline.reduce((n, s) => n + gzipSync(s, { level: 9 }).length, 0);

// ——— the server, as `npm start` runs it ———
const dataDir = mkdtempSync(join(tmpdir(), 'cg-bench-field-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  DATA_KEY: randomBytes(32).toString('hex'),
  INDEX_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
});
const database = await openPglite(join(dataDir, 'pgdata'));
await migrateDatabase(database);
const fieldCrypto = createFieldCrypto('aes', config.dataKey, config.indexKey);
await seedIfEmpty(database.db, { seedDemo: true, crypto: fieldCrypto, demoPassword: 'Demo@2026' });
const app = await buildApp({ db: database.db, database, crypto: fieldCrypto, config });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const ctx = await browser.newContext({
  viewport: { width: 360, height: 640 },
  isMobile: true,
  hasTouch: true,
});
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Network.enable');
const slow3g = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

async function timeToLogin(): Promise<{ ms: number; fcp: number }> {
  const t = performance.now();
  await page.goto(`${base}/m/`, { waitUntil: 'commit' });
  await page.getByTestId('m-login').waitFor({ timeout: 60_000 });
  const ms = performance.now() - t;
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  );
  return { ms, fcp };
}

// First visit: nothing cached, slow network.
await cdp.send('Network.emulateNetworkConditions', slow3g);
const first = await timeToLogin();
// Let the service worker install (on a fast line), then come back on the slow one.
await cdp.send('Network.emulateNetworkConditions', {
  ...slow3g,
  latency: 0,
  downloadThroughput: -1,
  uploadThroughput: -1,
});
await page.evaluate(async () => {
  const reg = await navigator.serviceWorker.ready;
  return reg.active?.state;
});
await page.reload();
await page.getByTestId('m-login').waitFor();
await cdp.send('Network.emulateNetworkConditions', slow3g);
const cached = await timeToLogin();
await cdp.send('Network.emulateNetworkConditions', {
  ...slow3g,
  latency: 0,
  downloadThroughput: -1,
  uploadThroughput: -1,
});

// ——— 100 queued reports: made offline through the app's own outbox, then sent ———
await page.getByTestId('m-username').fill('gridworker');
await page.getByTestId('m-password').fill('Demo@2026');
await page.getByTestId('m-login').click();
await page.getByTestId('m-tasks').waitFor();
await ctx.setOffline(true);
const point = { lat: 40.6545, lng: 109.83 };
await page.evaluate(
  async ({ n, point }) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const r = indexedDB.open('civicgrid-field');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('outbox', 'readwrite');
    for (let i = 0; i < n; i++)
      tx.objectStore('outbox').put({
        id: crypto.randomUUID(),
        kind: 'case',
        label: `基准 ${i}`,
        createdAt: Date.now() + i,
        body: {
          description: `同步基准测试第${i}件`,
          categoryCode: 'C0101',
          channel: 'grid_patrol',
          location: point,
        },
        photos: {},
        uploaded: {},
        status: 'pending',
        attempts: 0,
      });
    await new Promise((r) => {
      tx.oncomplete = r;
    });
  },
  { n: 100, point },
);
await page.reload().catch(() => undefined);
await page.getByTestId('m-outbox-count').filter({ hasText: '待发送 100' }).waitFor({ timeout: 30_000 });
await ctx.setOffline(false);
const t0 = performance.now();
await page.evaluate(() => window.dispatchEvent(new Event('online')));
await page.getByTestId('m-outbox-count').filter({ hasText: '已同步' }).waitFor({ timeout: 120_000 });
const syncSeconds = (performance.now() - t0) / 1000;
const { rows } = (await database.db.execute(
  (
    await import('drizzle-orm')
  ).sql`select count(*)::int as n from cases where description like '同步基准测试第%'`,
)) as unknown as { rows: { n: number }[] };

const results = {
  jsGzipKB: +(jsGzip / 1024).toFixed(1),
  slow3gFirstVisit: { ms: Math.round(first.ms), firstContentfulPaintMs: Math.round(first.fcp) },
  slow3gFromCache: { ms: Math.round(cached.ms), firstContentfulPaintMs: Math.round(cached.fcp) },
  sync100: { seconds: +syncSeconds.toFixed(2), casesOnServer: rows[0]?.n },
};
console.log(JSON.stringify(results, null, 2));
recordBench('field', [
  { name: '/m JavaScript, gzipped', value: results.jsGzipKB, unit: 'KB', target: { max: 250 } },
  {
    name: '/m first visit on Slow 3G',
    value: results.slow3gFirstVisit.ms,
    unit: 'ms',
    target: { max: 3000 },
  },
  {
    name: '/m from the cache on Slow 3G',
    value: results.slow3gFromCache.ms,
    unit: 'ms',
    target: { max: 1000 },
  },
  { name: 'sync 100 queued reports', value: results.sync100.seconds, unit: 's', target: { max: 20 } },
]);
await browser.close();
await app.close();
await database.close();
const pass =
  jsGzip < 250 * 1024 && first.ms < 3000 && cached.ms < 1000 && syncSeconds < 20 && rows[0]?.n === 100;
console.log(pass ? 'field app: all targets met' : 'field app: TARGET MISSED');
process.exit(pass ? 0 : 1);
