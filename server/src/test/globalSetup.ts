import pg from 'pg';
import { migrateDatabase, openPostgres } from '../platform/db.js';

/**
 * With TEST_DATABASE_URL, migrate one template database per run; each test database is
 * then a cheap `CREATE DATABASE … TEMPLATE` copy (see harness.ts). Without it, tests use
 * PGlite in memory and need nothing here.
 */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const template = `cg_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const database = await openPostgres(withDatabase(url, template), { max: 1 });
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

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
