import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * CI runs `npm test` only, so the migration drift check (scripts/check-migrations.mjs, also in
 * `npm run check`) runs here as well: a table changed without its generated migration fails
 * the suite instead of the first deployment.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

describe('migrations', () => {
  it('describe the Drizzle tables exactly (scripts/check-migrations.mjs exits 0)', async () => {
    const failure = await run(process.execPath, ['scripts/check-migrations.mjs'], {
      cwd: root,
      timeout: 30_000,
    }).then(
      () => '',
      // The script's own output names the disagreement; show it rather than a bare exit code.
      (e: Error & { code?: number | string; stdout?: string; stderr?: string }) =>
        `exit ${e.code ?? e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
    expect(failure).toBe('');
  });
});
