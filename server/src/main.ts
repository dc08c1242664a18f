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

const database: Database = config.DATABASE_URL
  ? await openPostgres(config.DATABASE_URL)
  : await openPglite(join(config.dataDir, 'pgdata'));
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
});

const app = await buildApp(deps, {
  logger: { level: config.LOG_LEVEL },
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// The deadline sweep, care retention and audit anchoring (registered in buildApp); app.close() stops them.
app.jobs.start();

await app.listen({ port: config.PORT, host: config.HOST });
const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
const lines = [
  '',
  `CivicGrid 基层综合服务管理平台 is running at ${url}`,
  `  database: ${database.kind}${database.kind === 'pglite' ? ` (${join(config.dataDir, 'pgdata')})` : ''}`,
  `  API docs: ${url}/api/docs`,
];
if (accounts) {
  lines.push(`  demo accounts (password ${config.DEMO_PASSWORD}):`);
  for (const a of accounts)
    lines.push(`    ${a.username.padEnd(12)} ${a.displayName} — ${a.role}, ${a.unit}`);
}
console.log(lines.join('\n'));
