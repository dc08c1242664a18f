import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import {
  type Database,
  migrateDatabase,
  migrationsFolder,
  openPglite,
  openPostgres,
} from '../platform/db.js';

/**
 * With TEST_DATABASE_URL, migrate one template database per run; each test database is
 * then a cheap `CREATE DATABASE … TEMPLATE` copy (see harness.ts).
 *
 * Without it (PGlite in memory), migrate one PGlite cluster and dump its data dir to a file
 * that every test file's databases start from (CG_PGLITE_TEMPLATE). Vitest runs each test
 * file in a fresh process, so a template made inside the worker would be made again for
 * every file. The dump is named by a hash of the migrations and the PGlite version: a run
 * with the same migrations reuses the file an earlier run left in the temporary directory.
 */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    process.env.CG_PGLITE_TEMPLATE = await pgliteTemplate();
    return;
  }
  const template = `cg_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  // Two connections: migrateDatabase holds one for its advisory lock while it migrates on another.
  const database = await openPostgres(withDatabase(url, template), { max: 2 });
  await migrateDatabase(database);
  await database.close();
  process.env.CG_TEMPLATE_DB = template;
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'cg_test_${process.pid}_%' or datname = $1`,
      [template],
    );
    for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.end();
  };
}

/** The path of a migrated PGlite data dir dump (tar), made now unless a run already made it. */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  // The installed PGlite (its package.json is not among its exports: found above its entry).
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  hash.update(readFileSync(join(dir, 'package.json')));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(name).update(readFileSync(path));
    }
  };
  walk(migrationsFolder);
  const file = join(tmpdir(), `civicgrid-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(file)) return file;
  const db = await openPglite();
  await migrateDatabase(db);
  const dump = await (db.pglite as NonNullable<Database['pglite']>).dumpDataDir('none');
  await db.close();
  // Written aside and renamed: a run starting meanwhile never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return file;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
