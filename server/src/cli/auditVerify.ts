/**
 * `npm run audit:verify`: walks the hash chain of the audit trail and reports the first
 * tampered row. Exits 0 when intact, 1 when not, 2 when it cannot run.
 */
import { join } from 'node:path';
import { verifyAuditChain } from '../platform/audit/trail.js';
import { loadConfig } from '../platform/config.js';
import { openPglite, openPostgres } from '../platform/db.js';

try {
  const config = loadConfig();
  const database = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, { max: 1 })
    : await openPglite(join(config.dataDir, 'pgdata'));
  const result = await verifyAuditChain(database.db);
  await database.close();
  if (result.ok) {
    console.log(`audit trail intact: ${result.checked} rows checked`);
    process.exit(0);
  }
  console.error(
    `audit trail TAMPERED: first bad row id ${result.firstBadId} (${result.reason}); ${result.checked} rows before it are intact`,
  );
  process.exit(1);
} catch (e) {
  console.error(`audit:verify could not run: ${(e as Error).message}`);
  process.exit(2);
}
