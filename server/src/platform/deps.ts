import type { Config } from './config.js';
import type { FieldCrypto } from './crypto.js';
import type { Database, Db } from './db.js';

/** What the modules are built with: one database, the field crypto and the config. */
export interface AppDeps {
  db: Db;
  database: Database;
  crypto: FieldCrypto;
  config: Config;
}
