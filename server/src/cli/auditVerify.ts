/**
 * `npm run audit:verify`: walks the keyed hash chain of the audit trail and checks every
 * anchor in DATA_DIR/audit-anchors; reports the first tampered row and each failed anchor.
 * Reads the audit key as the server does (AUDIT_KEY or DATA_DIR/keys/audit.hex): without
 * it nothing can be verified. Exits 0 when intact, 1 when not, 2 when it cannot run.
 */
import { join } from 'node:path';
import { anchorsDirOf } from '../platform/audit/anchors.js';
import { auditSealOf } from '../platform/audit/trail.js';
import { verifyAuditChain } from '../platform/audit/verify.js';
import { loadConfig } from '../platform/config.js';
import { openPglite, openPostgres } from '../platform/db.js';

try {
  // A fresh audit key here would only verify nothing: the tool reads the server's keys.
  const config = loadConfig(process.env, { createMissingKeys: false });
  const database = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, { max: 1 })
    : await openPglite(join(config.dataDir, 'pgdata'));
  const anchorsDir = anchorsDirOf(config);
  const result = await verifyAuditChain(database.db, { seal: auditSealOf(config), anchorsDir });
  await database.close();
  const anchors = `${result.anchors.checked} anchors in ${anchorsDir}`;
  const from = result.detached
    ? `; older months detached (up to ${result.detached.partition}), the walk started at their signed cut, chain position ${result.detached.throughSeq}`
    : '';
  if (result.ok) {
    console.log(
      `audit trail intact: ${result.checked} rows (${result.legacy} unkeyed, from before the audit key), ${result.pending} written and waiting to be chained, ${anchors}${from}`,
    );
    process.exit(0);
  }
  const lines = ['audit trail TAMPERED:'];
  if (result.badRow)
    lines.push(
      `  first bad row id ${result.badRow.id} (${result.badRow.reason}); ${result.checked} rows before it are intact`,
    );
  for (const f of result.anchors.failures)
    lines.push(
      `  anchor ${f.file}:${f.line} (row ${f.lastId ?? '?'}): ${f.reason}${f.detail ? ` — ${f.detail}` : ''}`,
    );
  lines.push(`  (${anchors})`);
  console.error(lines.join('\n'));
  process.exit(1);
} catch (e) {
  console.error(`audit:verify could not run: ${(e as Error).message}`);
  process.exit(2);
}
