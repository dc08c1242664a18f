import { join } from 'node:path';
import { buildApp } from './app.js';
import { auditSealOf, registerAuditSeal } from './platform/audit/trail.js';
import { loadConfig } from './platform/config.js';
import { createFieldCrypto } from './platform/crypto.js';
import { type Database, migrateDatabase, openPglite, openPostgres } from './platform/db.js';
import { failInterruptedImports } from './platform/importer.js';
import { seedIfEmpty } from './seed/seed.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

if (config.DATABASE_READ_URL && !config.DATABASE_URL) {
  console.error('DATABASE_READ_URL names a replica of DATABASE_URL: set DATABASE_URL too.');
  process.exit(1);
}
const database: Database = config.DATABASE_URL
  ? await openPostgres(
      config.DATABASE_URL,
      config.DATABASE_READ_URL
        ? { readUrl: config.DATABASE_READ_URL, max: config.DATABASE_POOL_MAX }
        : { max: config.DATABASE_POOL_MAX },
    )
  : await openPglite(join(config.dataDir, 'pgdata'));
// Several servers starting together on one PostgreSQL: one migrates under an advisory lock, the rest wait.
await migrateDatabase(database);
// Before anything at boot may write an audit row (buildApp registers it again, harmlessly).
registerAuditSeal(database.db, auditSealOf(config));
// Imports cut off by the last stop (SIGKILL, a crash) are marked failed with their counts.
await failInterruptedImports(database.db);
const crypto = createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey);
const deps = { db: database.db, database, crypto, config };

const accounts = await seedIfEmpty(database.db, {
  seedDemo: config.SEED_DEMO,
  crypto,
  demoPassword: config.DEMO_PASSWORD,
  // A first start seeds the demo district, a minute or more: each step is printed as it ends.
  onPhase: (name, ms) => console.log(`  demo data: ${name} ${(ms / 1000).toFixed(1)} s`),
});

// `npm start` on a fresh clone builds the web app alongside the seeding above; the app serves
// what the build wrote, so it waits for the build to finish (scripts/start.mjs answers).
if (process.env.WEB_BUILD_PENDING === '1' && process.send) {
  console.log('Waiting for the web build…');
  await new Promise<void>((resolve) => {
    process.on('message', (m) => {
      if (m === 'web-built') resolve();
    });
    process.send?.('web-wait');
  });
}
// The IPC channel must not keep the server alive by itself, nor outlive a stop.
if (process.connected) process.channel?.unref();

const app = await buildApp(deps, {
  logger: { level: config.LOG_LEVEL },
});

/** How long a stop waits for requests in flight before it gives up on them. */
const shutdownGraceMs = 20_000;
let closing = false;
/**
 * A graceful stop: /api/health/ready turns 503 (a balancer stops sending), the listening
 * socket closes, requests in flight are answered (Fastify waits for them; idle keep-alive
 * connections are closed, event streams ended so browsers reconnect to another server), the
 * timed jobs finish their run, then the database pool closes.
 */
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.draining = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    app.log.error({ signal }, 'requests still in flight after the grace period; exiting');
    process.exit(1);
  }, shutdownGraceMs);
  force.unref();
  // A keep-alive connection that goes idle after the close began (a request just answered,
  // an event stream just ended) would hold the close open until its keep-alive timeout.
  const sweepIdle = setInterval(() => app.server.closeIdleConnections(), 200);
  sweepIdle.unref();
  await app.close();
  clearInterval(sweepIdle);
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// The deadline sweep, care retention and audit anchoring (registered in buildApp); app.close() stops them.
app.jobs.start();
// The wearables' MQTT broker (embedded on MQTT_PORT, or the outside one at MQTT_URL); app.close() stops it.
const mqttBroker = await app.eldercare.startBroker();

await app.listen({ port: config.PORT, host: config.HOST });
const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
const lines = [
  '',
  `CivicGrid 基层综合服务管理平台 is running at ${url}`,
  `  database: ${database.kind}${database.kind === 'pglite' ? ` (${join(config.dataDir, 'pgdata')})` : ''}`,
  `  API docs: ${url}/api/docs`,
  `  devices (MQTT): ${mqttBroker?.describe ?? 'no broker (HTTP ingestion only)'}`,
];
if (accounts) {
  lines.push(`  demo accounts (password ${config.DEMO_PASSWORD}):`);
  for (const a of accounts)
    lines.push(`    ${a.username.padEnd(12)} ${a.displayName} — ${a.role}, ${a.unit}`);
}
console.log(lines.join('\n'));
