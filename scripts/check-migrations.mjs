#!/usr/bin/env node
/**
 * Drift check: the committed migrations must describe the Drizzle tables exactly. Runs
 * drizzle-kit generate against a copy of server/src/db/migrations in a temporary folder;
 * if it writes a migration there, someone changed a table without generating (and
 * committing) its migration — or edited a snapshot. Nothing in the repository is touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const committed = join(root, 'server/src/db/migrations');
const work = mkdtempSync(join(tmpdir(), 'cg-migrations-'));
const out = join(work, 'migrations');
cpSync(committed, out, { recursive: true });

const sqlFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.sql'));
const before = new Set(sqlFiles(out));
const kit = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/drizzle-kit/bin.cjs'),
    'generate',
    '--dialect=postgresql',
    // drizzle-kit takes both paths relative to where it runs (it prefixes "./").
    `--schema=${relative(work, join(root, 'server/src/db/schema.ts'))}`,
    '--out=migrations',
  ],
  // No terminal: a question (a column renamed or dropped?) ends the run instead of waiting.
  { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
);
const fresh = sqlFiles(out).filter((f) => !before.has(f));
const fail = (lines) => {
  console.error(lines.join('\n'));
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
};
if (fresh.length > 0) {
  fail([
    'check-migrations: the Drizzle tables and the committed migrations disagree.',
    'Run `npm run db:generate` and commit the migration. It would be:',
    '',
    ...fresh.map((f) => `-- ${f}\n${readFileSync(join(out, f), 'utf8')}`),
  ]);
}
// drizzle-kit exits 0 even when it fails (a missing snapshot, a schema that does not load):
// only its own "nothing to migrate" counts as agreement.
if (kit.status !== 0 || !/No schema changes/.test(kit.stdout + kit.stderr))
  fail([
    'check-migrations: drizzle-kit generate did not finish:',
    kit.stdout,
    kit.stderr,
    String(kit.error ?? ''),
  ]);
rmSync(work, { recursive: true, force: true });
console.log('check-migrations: the migrations match the tables');
