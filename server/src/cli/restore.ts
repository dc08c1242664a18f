/**
 * `npm run restore -- --from DIR [--keys-from DIR2] [--force]`: checks the backup against
 * its manifest, loads it into DATA_DIR / DATABASE_URL (as `npm start` reads them; the server
 * stopped), then counts the rows again and verifies the audit chain. A target that holds
 * data is refused unless --force. Exits 0 when restored and verified, 1 when restored but
 * counts or chain disagree, 2 when nothing could be restored.
 */
import { parseArgs } from 'node:util';
import { restore } from '../platform/backup.js';
import { loadConfig } from '../platform/config.js';

try {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, force: { type: 'boolean' }, 'keys-from': { type: 'string' } },
    strict: true,
  });
  if (!values.from) throw new Error('usage: npm run restore -- --from DIR [--keys-from DIR2] [--force]');
  const keysFrom = values['keys-from'];
  // Never a made-up key. With --keys-from the keys are installed into DATA_DIR/keys first, so
  // the configuration is read again after (keys in the environment still win, as for the server).
  const reload = () => loadConfig(process.env, { createMissingKeys: false });
  const placeholder = '0'.repeat(64);
  const config = keysFrom
    ? loadConfig({ ...process.env, DATA_KEY: placeholder, INDEX_KEY: placeholder, AUDIT_KEY: placeholder })
    : reload();
  const t0 = performance.now();
  const result = await restore(
    config,
    { from: values.from, force: !!values.force, ...(keysFrom ? { keysFrom } : {}) },
    reload,
  );
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const rows = Object.values(result.manifest.counts).reduce((a, b) => a + b, 0);
  const c = result.chain;
  const lines = [
    `restored the ${result.manifest.database} backup of ${result.manifest.createdAt} in ${secs} s`,
    `  ${Object.keys(result.manifest.counts).length} tables, ${rows} rows; ${result.countMismatches.length} tables differ from the manifest`,
    ...result.countMismatches.map((m) => `    ${m.table}: expected ${m.expected}, found ${m.found}`),
    `  audit chain: ${c.ok ? 'intact' : `NOT intact (${c.reason}${c.firstBadId ? `, row ${c.firstBadId}` : ''})`}, ${c.checked} rows, ${c.anchors} anchors`,
    ...result.movedAside.map(
      (d) => `  the data it replaced is kept at ${d} (delete it once the restore is trusted)`,
    ),
  ];
  (result.ok ? console.log : console.error)(lines.join('\n'));
  process.exit(result.ok ? 0 : 1);
} catch (e) {
  console.error(`restore failed: ${(e as Error).message}`);
  process.exit(2);
}
