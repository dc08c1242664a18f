import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuiltIns } from '../seed/builtIns.js';
import { makeTerritory, makeUser } from '../test/factories.js';
import { withDatabase } from '../test/globalSetup.js';
import { anchorsDirOf, writeAuditAnchor } from './audit/anchors.js';
import { appendAudit, auditSealOf, registerAuditSeal } from './audit/trail.js';
import { type BackupManifest, backup, manifestName, readBackup, restore } from './backup.js';
import { loadConfig } from './config.js';
import { createFieldCrypto } from './crypto.js';
import { type Database, migrateDatabase, openPglite, openPostgres } from './db.js';

/**
 * `npm run backup` / `npm run restore` (issue 18 item 8): a small seeded platform is backed up
 * through the CLI, wiped, restored through the CLI, and must come back with the same row
 * counts, an intact audit chain (anchors included) and its files — on PGlite in the normal
 * run, on PostgreSQL in CI's PostgreSQL pass (TEST_DATABASE_URL; pg_dump and pg_restore).
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const baseUrl = process.env.TEST_DATABASE_URL;
const temps: string[] = [];
const dbs: string[] = [];
const temp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  temps.push(d);
  return d;
};

afterAll(async () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  if (baseUrl && dbs.length) {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    for (const name of dbs) await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
});

/** A DATA_DIR with its keys in DATA_DIR/keys, as the server leaves it. */
function dataDirWithKeys(): string {
  const dir = temp('cg-backup-data-');
  mkdirSync(join(dir, 'keys'), { recursive: true });
  for (const k of ['data', 'index', 'audit'])
    writeFileSync(join(dir, 'keys', `${k}.hex`), randomBytes(32).toString('hex'));
  return dir;
}

async function openTarget(env: Record<string, string>, fresh = true): Promise<Database> {
  const config = loadConfig(env, { createMissingKeys: false });
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, { max: 2 });
  const template = fresh ? process.env.CG_PGLITE_TEMPLATE : undefined;
  return openPglite(
    join(config.dataDir, 'pgdata'),
    template ? new Blob([readFileSync(template)]) : undefined,
  );
}

/** Built-in roles, a territory, two users, audit rows on both sides of a signed anchor, two files. */
async function seed(env: Record<string, string>) {
  const config = loadConfig(env, { createMissingKeys: false });
  const database = await openTarget(env);
  try {
    await migrateDatabase(database);
    registerAuditSeal(database.db, auditSealOf(config));
    await ensureBuiltIns(database.db);
    const deps = {
      db: database.db,
      database,
      config,
      crypto: createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey),
    };
    const t = await makeTerritory(database.db);
    for (const username of ['alice', 'bob'])
      await makeUser(deps, { username, roles: ['gridWorker'], orgUnit: t.grids[0] });
    const actor = { userId: null, username: 'cli:test', ip: null, userAgent: null };
    for (let i = 0; i < 4; i++)
      await database.db.transaction((tx) =>
        appendAudit(tx, actor, {
          action: 'department.created',
          targetType: 'department',
          payload: { code: `d${i}` },
        }),
      );
    expect(await writeAuditAnchor(database.db, auditSealOf(config), anchorsDirOf(config))).not.toBeNull();
    await database.db.transaction((tx) =>
      appendAudit(tx, actor, {
        action: 'department.created',
        targetType: 'department',
        payload: { code: 'after' },
      }),
    );
  } finally {
    await database.close();
  }
  mkdirSync(join(config.dataDir, 'files', '2026', '12'), { recursive: true });
  writeFileSync(join(config.dataDir, 'files', '2026', '12', 'photo.jpg'), randomBytes(5000));
  writeFileSync(join(config.dataDir, 'files', '2026', '12', 'note.txt'), '现场照片');
}

function cli(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `server/src/cli/${script}.ts`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const kinds = [
  { kind: 'pglite' as const, skip: false },
  // pg_dump/pg_restore against a real server: the PostgreSQL pass only.
  { kind: 'postgresql' as const, skip: !baseUrl },
];

describe.each(kinds)('backup → wipe → restore on $kind', ({ kind, skip }) => {
  it.skipIf(skip)(
    'comes back with equal counts, an intact chain and its files; the keys only where asked',
    async () => {
      const dataDir = dataDirWithKeys();
      const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      let dbName = '';
      if (kind === 'postgresql') {
        dbName = `cg_backup_${process.pid}_${randomUUID().slice(0, 6)}`;
        dbs.push(dbName);
        const c = new pg.Client({ connectionString: baseUrl });
        await c.connect();
        await c.query(`create database ${dbName}`);
        await c.end();
        env.DATABASE_URL = withDatabase(baseUrl as string, dbName);
      }
      await seed(env);
      const out = join(temp('cg-backup-out-'), 'b');
      const keysOut = join(temp('cg-backup-keys-'), 'k');

      // Keys beside the data are refused before anything is written.
      const refused = cli('backup', ['--out', out, '--keys-out', join(out, 'keys')], env);
      expect(refused.status, refused.out).toBe(2);
      expect(refused.out).toMatch(/apart from --out/);
      expect(existsSync(join(out, manifestName))).toBe(false);

      const b = cli('backup', ['--out', out, '--keys-out', keysOut], env);
      expect(b.status, b.out).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, manifestName), 'utf8')) as BackupManifest;
      expect(manifest.database).toBe(kind);
      expect(manifest.counts.users).toBe(2);
      expect(manifest.counts.org_units).toBe(15);
      expect(manifest.audit.rows).toBe(5);
      expect(manifest.sha256['files/2026/12/photo.jpg']).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(manifest.sha256).some((f) => f.startsWith('audit-anchors/'))).toBe(true);
      // No key in the backup: not as a file, not inside any file.
      const keys = ['data', 'index', 'audit'].map((k) =>
        readFileSync(join(dataDir, 'keys', `${k}.hex`), 'utf8'),
      );
      expect(Object.keys(manifest.sha256).some((f) => /keys|\.hex$/.test(f))).toBe(false);
      for (const f of Object.keys(manifest.sha256).concat(manifestName)) {
        const text = readFileSync(join(out, f)).toString('latin1');
        for (const k of keys) expect(text.includes(k)).toBe(false);
      }
      expect(readdirSync(keysOut).sort()).toEqual(['README.txt', 'audit.hex', 'data.hex', 'index.hex']);
      expect(readFileSync(join(keysOut, 'audit.hex'), 'utf8')).toBe(keys[2]);

      // Restoring over the live data is refused without --force, and leaves it as it was.
      const over = cli('restore', ['--from', out], env);
      expect(over.status, over.out).toBe(2);
      expect(over.out).toMatch(/--force/);

      // Wipe everything: the database, the files, the anchors and the keys.
      if (kind === 'postgresql') {
        const c = new pg.Client({ connectionString: baseUrl });
        await c.connect();
        await c.query(`drop database ${dbName} with (force)`);
        await c.query(`create database ${dbName}`);
        await c.end();
      }
      for (const d of ['pgdata', 'files', 'audit-anchors', 'keys'])
        rmSync(join(dataDir, d), { recursive: true, force: true });
      // Without keys nothing is verified, so nothing is restored.
      const keyless = cli('restore', ['--from', out], env);
      expect(keyless.status, keyless.out).toBe(2);
      expect(keyless.out).toMatch(/no \w+ key/);

      const r = cli('restore', ['--from', out, '--keys-from', keysOut], env);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/0 tables differ from the manifest/);
      // Every linked row (the appender may leave the newest unlinked: verify walks linked rows only).
      expect(r.out).toMatch(/audit chain: intact, [45] rows, 1 anchors/);
      expect(readFileSync(join(dataDir, 'files', '2026', '12', 'note.txt'), 'utf8')).toBe('现场照片');
      expect(readFileSync(join(dataDir, 'keys', 'audit.hex'), 'utf8')).toBe(keys[2]);

      // The restored platform opens and holds what was backed up.
      const database = await openTarget(env, false);
      try {
        const config = loadConfig(env, { createMissingKeys: false });
        const { verifyAuditChain } = await import('./audit/verify.js');
        const v = await verifyAuditChain(database.db, {
          seal: auditSealOf(config),
          anchorsDir: anchorsDirOf(config),
        });
        expect(v).toMatchObject({ ok: true, anchors: { checked: 1, failures: [] } });
      } finally {
        await database.close();
      }
    },
    180_000,
  );
});

describe('a backup that is not what its manifest says', () => {
  it('is refused before the target is touched', async () => {
    const dataDir = dataDirWithKeys();
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    await seed(env);
    const config = loadConfig(env, { createMissingKeys: false });
    const out = join(temp('cg-backup-bad-'), 'b');
    const m = await backup(config, { out });
    expect(m.audit.lastId).toBeGreaterThan(0);
    await expect(backup(config, { out })).rejects.toThrow(/not empty/);
    await expect(backup(config, { out: join(dataDir, 'inside') })).rejects.toThrow(/inside DATA_DIR/);

    // A changed file, a missing file, an extra file, a manifest edited: each refused by name.
    const photo = join(out, 'files', '2026', '12', 'photo.jpg');
    const original = readFileSync(photo);
    writeFileSync(photo, Buffer.concat([original, Buffer.from('x')]));
    await expect(readBackup(out)).rejects.toThrow(/photo\.jpg does not match its SHA-256/);
    writeFileSync(photo, original);
    writeFileSync(join(out, 'files', 'extra.bin'), 'x');
    await expect(readBackup(out)).rejects.toThrow(/not in the manifest: files\/extra\.bin/);
    rmSync(join(out, 'files', 'extra.bin'));
    await readBackup(out);

    // Another audit key than the one that sealed the backup: refused before the target is looked at.
    await expect(
      restore({ ...config, auditKey: randomBytes(32) }, { from: out, force: true }),
    ).rejects.toThrow(/not the one that sealed this backup/);
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);

    // A damaged dump: refused, the (wiped) target left as it was.
    rmSync(join(dataDir, 'pgdata'), { recursive: true });
    writeFileSync(join(out, m.dump), 'truncated');
    await expect(restore(config, { from: out, force: true })).rejects.toThrow(/does not match its SHA-256/);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
  }, 120_000);
});
