/**
 * Backup and restore (issue 18 item 8): `npm run backup -- --out DIR [--keys-out DIR2]` and
 * `npm run restore -- --from DIR [--keys-from DIR2] [--force]` (server/src/cli/). Both read
 * DATA_DIR / DATABASE_URL as `npm start` does.
 *
 * A backup directory holds the database (PostgreSQL: `pg_dump` custom format, taken in one
 * exported snapshot so the manifest's counts are the dump's; PGlite: its data directory as a
 * gzipped tar from `dumpDataDir`), the local file store (DATA_DIR/files), the signed audit
 * anchors (DATA_DIR/audit-anchors) and `manifest.json`: row counts per table, the audit
 * chain's head, the audit key's id (not the key), and a SHA-256 of every file it holds.
 * The keys (data, index, audit) go only to `keysOut`, never beside the data: a stolen backup
 * without them reads as ciphertext and cannot be re-sealed.
 *
 * A restore refuses a target that holds data unless `force` (then PostgreSQL's schemas are
 * dropped first; PGlite's data directory and the files are moved aside, not deleted), checks
 * every file against the manifest before touching the target, loads, then counts the rows
 * again and walks the audit chain with the audit key: the result says whether all agree.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { anchorsDirOf } from './audit/anchors.js';
import { auditSeal, auditSealOf } from './audit/trail.js';
import { verifyAuditChain } from './audit/verify.js';
import type { Config } from './config.js';
import { type Database, type Db, openPglite, openPostgres, queryRows } from './db.js';

export const manifestName = 'manifest.json';
const pgDumpName = 'database.pgdump';
const pgliteDumpName = 'pgdata.tar.gz';
const keyNames = ['data', 'index', 'audit'] as const;

export interface AuditHead {
  rows: number;
  lastId: number | null;
  lastHash: string | null;
}

export interface BackupManifest {
  format: 'civicgrid-backup/1';
  createdAt: string;
  database: 'postgresql' | 'pglite';
  /** The database file in the backup directory. */
  dump: string;
  /** Drizzle migrations applied when the backup was taken. */
  migrations: number;
  /** Rows per table (partitioned tables counted once, at their parent). */
  counts: Record<string, number>;
  audit: AuditHead;
  /** Which key sealed the chain (`sha256:1a2b3c4d`): the restore must be given the same. */
  auditKeyId: string;
  cryptoSuite: Config['CRYPTO_SUITE'];
  /** `local`: DATA_DIR/files is in `files/`; `s3`: the bucket is not copied (use its versioning). */
  fileStore: 'local' | 's3';
  /** Path (relative, `/`-separated) → SHA-256 of every file in the backup but this manifest. */
  sha256: Record<string, string>;
  bytes: number;
}

export class BackupError extends Error {}

function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', fail)
      .on('end', () => ok(h.digest('hex')));
  });
}

function walkFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walkFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;
const inside = (child: string, parent: string) => {
  const r = relative(resolve(parent), resolve(child));
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
};

/** Row counts of every table of the app's schema, and the audit chain's head. */
export async function countRows(db: Db): Promise<{ counts: Record<string, number>; audit: AuditHead }> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(name)}`,
    );
    counts[name] = Number(row?.n ?? 0);
  }
  const [head] = await queryRows<{ id: number; hash: string }>(
    db,
    sql`select id::int as id, hash from audit_log order by id desc limit 1`,
  );
  return {
    counts,
    audit: {
      rows: counts.audit_log ?? 0,
      lastId: head ? Number(head.id) : null,
      lastHash: head?.hash ?? null,
    },
  };
}

async function migrationCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  ).catch(() => [{ n: 0 }]);
  return Number(row?.n ?? 0);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (c) => {
      err += String(c);
    });
    child.on('error', (e) =>
      fail(
        new BackupError(
          `${cmd} could not start (${(e as Error).message}); is PostgreSQL's client installed?`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new BackupError(`${cmd} failed (exit ${code}): ${err.trim().slice(0, 2000)}`)),
    );
  });
}

/** The URL's parts as libpq environment variables, so no password shows on a command line. */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname,
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export interface BackupOptions {
  out: string;
  keysOut?: string;
}

/** Takes a backup of the platform `config` names into `out` (which must be empty or absent). */
export async function backup(config: Config, opts: BackupOptions): Promise<BackupManifest> {
  const out = resolve(opts.out);
  if (!isEmptyDir(out))
    throw new BackupError(`${out} is not empty: a backup goes into a new or empty directory`);
  if (opts.keysOut) {
    const keysOut = resolve(opts.keysOut);
    if (inside(keysOut, out) || inside(out, keysOut))
      throw new BackupError('--keys-out must be apart from --out: keys are never kept beside the data');
    if (!isEmptyDir(keysOut)) throw new BackupError(`${keysOut} is not empty`);
  }
  if (inside(out, config.dataDir)) throw new BackupError('--out must not be inside DATA_DIR');
  mkdirSync(out, { recursive: true, mode: 0o700 });

  let database: BackupManifest['database'];
  let dump: string;
  let counted: Awaited<ReturnType<typeof countRows>>;
  let migrations: number;
  if (config.DATABASE_URL) {
    database = 'postgresql';
    dump = pgDumpName;
    // One snapshot for the counts and the dump: the manifest describes exactly what was dumped,
    // even if a server was (against the advice) still writing.
    const client = new pg.Client({ connectionString: config.DATABASE_URL });
    await client.connect();
    try {
      await client.query('begin isolation level repeatable read, read only');
      const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
      const snapshot = rows[0]?.id as string;
      const db = drizzlePg(client) as unknown as Db;
      counted = await countRows(db);
      migrations = await migrationCount(db);
      await run(
        'pg_dump',
        ['--format=custom', `--snapshot=${snapshot}`, `--file=${join(out, pgDumpName)}`],
        libpqEnv(config.DATABASE_URL),
      );
      await client.query('commit');
    } finally {
      await client.end();
    }
  } else {
    database = 'pglite';
    dump = pgliteDumpName;
    const dir = join(config.dataDir, 'pgdata');
    if (!existsSync(join(dir, 'PG_VERSION'))) throw new BackupError(`no database at ${dir}`);
    const opened = await openPglite(dir);
    try {
      counted = await countRows(opened.db);
      migrations = await migrationCount(opened.db);
      const tar = await (opened.pglite as NonNullable<Database['pglite']>).dumpDataDir('gzip');
      writeFileSync(join(out, pgliteDumpName), Buffer.from(await tar.arrayBuffer()), { mode: 0o600 });
    } finally {
      await opened.close();
    }
  }

  const fileStore = config.FILES_S3_URL ? 's3' : 'local';
  if (fileStore === 'local' && existsSync(join(config.dataDir, 'files')))
    cpSync(join(config.dataDir, 'files'), join(out, 'files'), { recursive: true });
  if (existsSync(anchorsDirOf(config)))
    cpSync(anchorsDirOf(config), join(out, 'audit-anchors'), { recursive: true });

  const sha256: Record<string, string> = {};
  let bytes = 0;
  for (const f of walkFiles(out)) {
    const rel = relative(out, f).split(sep).join('/');
    sha256[rel] = await sha256File(f);
    bytes += statSync(f).size;
  }
  const manifest: BackupManifest = {
    format: 'civicgrid-backup/1',
    createdAt: new Date().toISOString(),
    database,
    dump,
    migrations,
    counts: counted.counts,
    audit: counted.audit,
    auditKeyId: auditSealOf(config).keyId,
    cryptoSuite: config.CRYPTO_SUITE,
    fileStore,
    sha256,
    bytes,
  };
  writeFileSync(join(out, manifestName), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });

  if (opts.keysOut) {
    const keysOut = resolve(opts.keysOut);
    mkdirSync(keysOut, { recursive: true, mode: 0o700 });
    const keys = { data: config.dataKey, index: config.indexKey, audit: config.auditKey };
    for (const name of keyNames)
      writeFileSync(join(keysOut, `${name}.hex`), keys[name].toString('hex'), { mode: 0o600 });
    writeFileSync(
      join(keysOut, 'README.txt'),
      `CivicGrid keys for the backup of ${manifest.createdAt} (audit key id ${manifest.auditKeyId}, suite ${manifest.cryptoSuite}).\n` +
        'Give them to the server as DATA_KEY / INDEX_KEY / AUDIT_KEY, or copy the .hex files to DATA_DIR/keys/\n' +
        '(npm run restore -- --keys-from this directory). Keep them apart from the backup.\n',
      { mode: 0o600 },
    );
  }
  return manifest;
}

export interface RestoreOptions {
  from: string;
  force?: boolean;
  /** A directory written by `backup --keys-out`: its keys go to DATA_DIR/keys before the restore. */
  keysFrom?: string;
}

export interface RestoreResult {
  ok: boolean;
  manifest: BackupManifest;
  /** Tables whose count after the restore differs from the manifest's. */
  countMismatches: { table: string; expected: number; found: number }[];
  audit: AuditHead;
  chain: { ok: boolean; checked: number; reason?: string; firstBadId?: number; anchors: number };
  /** Where the replaced data went (PGlite with --force), to delete once the restore is trusted. */
  movedAside: string[];
}

/** Reads and checks a backup directory's manifest and every file's hash. */
export async function readBackup(from: string): Promise<BackupManifest> {
  const dir = resolve(from);
  const file = join(dir, manifestName);
  if (!existsSync(file)) throw new BackupError(`${file} not found: not a CivicGrid backup`);
  let m: BackupManifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (e) {
    throw new BackupError(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (m.format !== 'civicgrid-backup/1' || !m.sha256 || !m.counts || !m.dump)
    throw new BackupError(`${file} is not a civicgrid-backup/1 manifest`);
  if (!m.sha256[m.dump]) throw new BackupError(`the manifest lists no ${m.dump}`);
  const present = new Set(walkFiles(dir).map((f) => relative(dir, f).split(sep).join('/')));
  present.delete(manifestName);
  for (const [rel, hash] of Object.entries(m.sha256)) {
    if (!present.has(rel)) throw new BackupError(`${rel} is missing from the backup`);
    if ((await sha256File(join(dir, ...rel.split('/')))) !== hash)
      throw new BackupError(`${rel} does not match its SHA-256 in the manifest (damaged or changed)`);
    present.delete(rel);
  }
  if (present.size > 0)
    throw new BackupError(`files not in the manifest: ${[...present].slice(0, 5).join(', ')}`);
  return m;
}

/** Copies the keys of `keysFrom` into DATA_DIR/keys; a different key already there is refused. */
function installKeys(keysFrom: string, dataDir: string, force: boolean): void {
  const dest = join(dataDir, 'keys');
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  for (const name of keyNames) {
    const src = join(resolve(keysFrom), `${name}.hex`);
    if (!existsSync(src)) throw new BackupError(`${src} not found`);
    const key = readFileSync(src, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new BackupError(`${src} is not a 64-hex-character key`);
    const target = join(dest, `${name}.hex`);
    if (existsSync(target) && readFileSync(target, 'utf8').trim() !== key && !force)
      throw new BackupError(`${target} holds another key: use --force to replace it`);
    copyFileSync(src, target);
  }
}

async function postgresHasData(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p')`,
    );
    return (rows[0]?.n ?? 0) > 0;
  } finally {
    await c.end();
  }
}

/**
 * Restores the backup in `opts.from` into the platform `config` names. `loadKeys` reads the
 * config again once keys are in place (the CLI passes loadConfig; tests their own).
 */
export async function restore(
  config: Config,
  opts: RestoreOptions,
  reloadConfig: () => Config = () => config,
): Promise<RestoreResult> {
  const from = resolve(opts.from);
  const manifest = await readBackup(from);
  if (opts.keysFrom) installKeys(opts.keysFrom, config.dataDir, !!opts.force);
  const cfg = opts.keysFrom ? reloadConfig() : config;
  const seal = auditSeal(cfg.auditKey, cfg.CRYPTO_SUITE);
  if (seal.keyId !== manifest.auditKeyId)
    throw new BackupError(
      `the audit key here (${seal.keyId}) is not the one that sealed this backup (${manifest.auditKeyId}): ` +
        'give the keys written with --keys-out (--keys-from DIR, or DATA_KEY/INDEX_KEY/AUDIT_KEY)',
    );
  const target: BackupManifest['database'] = cfg.DATABASE_URL ? 'postgresql' : 'pglite';
  if (target !== manifest.database)
    throw new BackupError(
      `this backup is of ${manifest.database} and the target is ${target}: restore into the same kind of database`,
    );
  const movedAside: string[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const moveAside = (dir: string) => {
    if (isEmptyDir(dir)) return;
    const aside = `${dir}.before-restore-${stamp}`;
    renameSync(dir, aside);
    movedAside.push(aside);
  };
  const filesDir = join(cfg.dataDir, 'files');
  const anchorsDir = anchorsDirOf(cfg);

  let database: Database;
  if (target === 'postgresql') {
    const url = cfg.DATABASE_URL as string;
    if (await postgresHasData(url)) {
      if (!opts.force)
        throw new BackupError('the target database already holds tables: use --force to replace them');
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query('drop schema if exists drizzle cascade');
        await c.query('drop schema if exists public cascade');
        await c.query('create schema public');
      } finally {
        await c.end();
      }
    }
    await run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${libpqEnv(url).PGDATABASE}`,
        join(from, manifest.dump),
      ],
      libpqEnv(url),
    );
    database = await openPostgres(url, { max: 2 });
  } else {
    const dir = join(cfg.dataDir, 'pgdata');
    if (!isEmptyDir(dir)) {
      if (!opts.force)
        throw new BackupError(`${dir} already holds a database: use --force to move it aside and restore`);
      moveAside(dir);
    }
    database = await openPglite(dir, new Blob([readFileSync(join(from, manifest.dump))]));
  }
  if (manifest.fileStore === 'local') {
    if (!isEmptyDir(filesDir)) {
      if (!opts.force) {
        await database.close();
        throw new BackupError(
          `${filesDir} is not empty: use --force (the database is restored, the files are not)`,
        );
      }
      moveAside(filesDir);
    }
    if (existsSync(join(from, 'files'))) cpSync(join(from, 'files'), filesDir, { recursive: true });
  }
  if (existsSync(join(from, 'audit-anchors'))) {
    moveAside(anchorsDir);
    cpSync(join(from, 'audit-anchors'), anchorsDir, { recursive: true });
  }

  try {
    const after = await countRows(database.db);
    const countMismatches = Object.entries(manifest.counts)
      .filter(([t, n]) => after.counts[t] !== n)
      .map(([table, expected]) => ({ table, expected, found: after.counts[table] ?? -1 }));
    const verified = await verifyAuditChain(database.db, { seal, anchorsDir });
    const headSame =
      after.audit.lastId === manifest.audit.lastId && after.audit.lastHash === manifest.audit.lastHash;
    const chain = {
      ok: verified.ok && headSame,
      checked: verified.checked,
      anchors: verified.anchors.checked,
      ...(verified.reason
        ? { reason: verified.reason }
        : headSame
          ? {}
          : { reason: 'audit head differs from the manifest' }),
      ...(verified.firstBadId !== undefined ? { firstBadId: verified.firstBadId } : {}),
    };
    return {
      ok: countMismatches.length === 0 && chain.ok,
      manifest,
      countMismatches,
      audit: after.audit,
      chain,
      movedAside,
    };
  } finally {
    await database.close();
  }
}
