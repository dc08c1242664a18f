import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createFieldCrypto } from '../platform/crypto.js';
import { type Database, migrateDatabase, openPglite, openPostgres } from '../platform/db.js';
import type { AppDeps } from '../platform/deps.js';
import { ensureBuiltIns } from '../seed/builtIns.js';
import { withDatabase } from './globalSetup.js';

let pgliteTemplate: Promise<Blob | File> | undefined;

/** A fresh, migrated database: PGlite in memory, or a new PostgreSQL database. */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  const template = process.env.CG_TEMPLATE_DB;
  if (url && template) {
    const name = `cg_test_${process.env.VITEST_POOL_ID ? process.ppid : process.pid}_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const database = await openPostgres(withDatabase(url, name), { max: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  pgliteTemplate ??= (async () => {
    // The dump globalSetup.ts made once for the run (read once per test file's process).
    const file = process.env.CG_PGLITE_TEMPLATE;
    if (file) return new Blob([readFileSync(file)]);
    const db = await openPglite();
    await migrateDatabase(db);
    const dump = await (db.pglite as NonNullable<Database['pglite']>).dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return openPglite(undefined, await pgliteTemplate);
}

export interface TestContext {
  app: FastifyInstance;
  deps: AppDeps;
  close(): Promise<void>;
}

/** The whole server on a fresh database with the built-in roles and no demo data. */
export async function createTestApp(
  env: Record<string, string> = {},
  opts: Pick<NonNullable<Parameters<typeof buildApp>[1]>, 'logger'> = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-test-')),
    DATA_KEY: randomBytes(32).toString('hex'),
    INDEX_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const crypto = createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey);
  await ensureBuiltIns(database.db);
  const deps: AppDeps = { db: database.db, database, crypto, config };
  const app = await buildApp(deps, { serveWeb: false, ...opts });
  await app.ready();
  return {
    app,
    deps,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
