/**
 * `npm run backup -- --out DIR [--keys-out DIR2]`: the database (pg_dump custom format, or
 * PGlite's data directory), the files and the audit anchors into DIR with a manifest; the
 * keys only into DIR2. Reads DATA_DIR / DATABASE_URL as `npm start` does; stop the server
 * first on the embedded database. Exits 0 when written, 2 when it cannot run.
 */
import { parseArgs } from 'node:util';
import { backup } from '../platform/backup.js';
import { loadConfig } from '../platform/config.js';

try {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, 'keys-out': { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new Error('usage: npm run backup -- --out DIR [--keys-out DIR2]');
  // The keys are the server's: a backup must never make new ones.
  const config = loadConfig(process.env, { createMissingKeys: false });
  const t0 = performance.now();
  const m = await backup(config, {
    out: values.out,
    ...(values['keys-out'] ? { keysOut: values['keys-out'] } : {}),
  });
  const tables = Object.keys(m.counts).length;
  const rows = Object.values(m.counts).reduce((a, b) => a + b, 0);
  console.log(
    [
      `backup written to ${values.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s:`,
      `  ${m.database} (${m.dump}), ${tables} tables, ${rows} rows, ${(m.bytes / 1048576).toFixed(1)} MiB in all`,
      `  audit chain head: row ${m.audit.lastId ?? '-'} of ${m.audit.rows} (key ${m.auditKeyId})`,
      `  files: ${m.fileStore === 's3' ? 'in the S3 bucket (not copied: use the bucket’s versioning)' : `${Object.keys(m.sha256).filter((f) => f.startsWith('files/')).length} from DATA_DIR/files`}`,
      values['keys-out']
        ? `  keys: written to ${values['keys-out']} — keep them apart from the backup`
        : '  keys: NOT written (--keys-out DIR2): without them this backup cannot be read or verified',
    ].join('\n'),
  );
  process.exit(0);
} catch (e) {
  console.error(`backup failed: ${(e as Error).message}`);
  process.exit(2);
}
