import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** An address, a CIDR range, or one of proxy-addr's names for a range. */
const proxyEntry = (v: string) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [ip, bits, extra] = v.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
};
const proxyList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every(proxyEntry), 'must be comma-separated IP addresses or CIDR ranges');

const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)');

/** Every environment variable the server reads. README.md lists the same table. */
const envSchema = z.object({
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to listen on. */
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded database, files and generated keys live. */
  DATA_DIR: z.string().default('.data'),
  /**
   * The address residents reach the platform at (https://…), printed in certificates' QR
   * codes; unset, the address the request came to.
   */
  PUBLIC_URL: z.string().url().optional(),
  /** A PostgreSQL URL; when set, used instead of the embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * A PostgreSQL URL of a streaming read replica of DATABASE_URL: the dashboard, big screen,
   * scorecards, reports and exports read from it (the primary while it is down); unset = all on the primary.
   */
  DATABASE_READ_URL: z.string().url().optional(),
  /**
   * Connections each server keeps to PostgreSQL (and as many to the replica). More is not
   * faster: past a few per database core, backends contend for locks and CPU (50 reporters on
   * a 2-core database: 6 ms of its CPU a report with 60 connections, 2–3 ms with 4–10).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * An S3-compatible bucket for uploaded files, `http(s)://ACCESS_KEY:SECRET@host[:port]/bucket[?region=…]`
   * (path-style, Signature V4); unset = local disk under DATA_DIR/files.
   */
  FILES_S3_URL: z
    .string()
    .regex(
      /^https?:\/\/[^:/@\s]+:[^@\s]+@[^/\s]+\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\?\S*)?$/,
      'must be http(s)://ACCESS_KEY:SECRET@host/bucket',
    )
    .optional(),
  /**
   * A Redis URL (`redis://host:6379/0`): rate limits are counted there, shared by every app
   * server, instead of in the database; unset = in the database.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * Bearer token a Prometheus scraper sends to GET /metrics; unset = /metrics answers only
   * connections from this machine's loopback that came through no proxy.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** 32-byte hex key for personal-data encryption; generated into DATA_DIR when unset. */
  DATA_KEY: hexKey.optional(),
  /** 32-byte hex key for blind indexes and token hashing; generated into DATA_DIR when unset. */
  INDEX_KEY: hexKey.optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `aes` = AES-256-GCM + HMAC-SHA256; `sm` = SM4 + HMAC-SM3 (国密). */
  CRYPTO_SUITE: z.enum(['aes', 'sm']).default('aes'),
  /** Seed the Kundulun demo district into an empty database. */
  SEED_DEMO: bool.default(true),
  /** Password of every demo account. */
  DEMO_PASSWORD: z.string().min(8).default('Demo@2026'),
  /** Set the Secure flag on cookies (behind HTTPS). */
  COOKIE_SECURE: bool.default(false),
  /** Map tile URL template for the web maps; empty = no external tiles. */
  MAP_TILE_URL: z.string().default(''),
  /** Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs/CIDRs); unset = none. */
  TRUST_PROXY: proxyList.default([]),
  /** Maximum JSON body size in bytes. */
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** 32-byte hex key sealing the audit chain and its anchors; generated into DATA_DIR when unset. */
  AUDIT_KEY: hexKey.optional(),
  /** Minutes between signed checkpoints of the audit chain head in DATA_DIR/audit-anchors. */
  AUDIT_ANCHOR_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** Optional http(s) URL every audit anchor is also POSTed to (best effort). */
  AUDIT_ANCHOR_WEBHOOK_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
  /**
   * Development and tests only: every text message is also appended to this file as a JSON
   * line `{to (masked), text}`, so a resident's sign-in code can be read without an SMS gateway.
   */
  SMS_OUTBOX: z.string().optional(),
  /** Shared secret of the 12345 hotline bridge (HMAC-SHA256 of orders in and callbacks out); unset = the bridge refuses orders. */
  HOTLINE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** http(s) URL of the 12345 centre that receives the signed status callbacks; unset = none are sent. */
  HOTLINE_CALLBACK_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
  /** Port of the embedded MQTT broker for wearables (1883, MQTT's own; 0 = no embedded broker). Where Mosquitto already holds 1883, set another port or MQTT_URL. */
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  /** mqtt:// URL of an outside broker (Mosquitto, EMQX) to subscribe to instead of embedding one. */
  MQTT_URL: z
    .string()
    .regex(/^mqtts?:\/\/\S+$/, 'must be an mqtt(s) URL')
    .optional(),
  /** Months the audit trail stays attached (等保: at least 6); older monthly partitions are detached, not dropped. */
  AUDIT_RETENTION_MONTHS: z.coerce
    .number()
    .int()
    .min(6, 'must be at least 6: 等保 requires the audit trail kept six months or more')
    .max(1200)
    .default(12),
  /** Months case events stay attached; older monthly partitions are detached (0 = kept attached). */
  CASE_EVENTS_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  /** Months patrol tracks stay attached; older monthly partitions are detached (0 = kept attached). */
  PATROL_POINTS_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(24),
  /** Days device telemetry is kept; whole months older than this are dropped. */
  TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(31).max(3650).default(180),
  /** Messages per minute one device may send; the rest are dropped and counted. */
  DEVICE_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(6000).default(120),
  /** Metres from the elder's address within which a provider's 到达 (12349 order) is accepted. */
  ELDER_ORDER_ARRIVE_MAX_M: z.coerce.number().int().min(20).max(5000).default(500),
  /** Hours without data after which a device gets an offline task for its community. */
  DEVICE_OFFLINE_HOURS: z.coerce.number().min(0.1).max(720).default(6),
});

export type Config = z.infer<typeof envSchema> & {
  dataDir: string;
  dataKey: Buffer;
  indexKey: Buffer;
  auditKey: Buffer;
};

/**
 * Keys not given in the environment are made once and kept beside the data — by the
 * server only. A command-line tool that made a fresh key would seal audit rows or encrypt
 * fields that the server can then never check or read.
 */
function keyFromDataDir(dataDir: string, name: string, variable: string, create: boolean): Buffer {
  const file = join(dataDir, 'keys', `${name}.hex`);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (!create)
    throw new Error(`no ${name} key: set ${variable} as the server has it, or run where ${file} exists`);
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { createMissingKeys = true }: { createMissingKeys?: boolean } = {},
): Config {
  // An empty variable means "not set", as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    ...c,
    dataDir,
    dataKey: c.DATA_KEY
      ? Buffer.from(c.DATA_KEY, 'hex')
      : keyFromDataDir(dataDir, 'data', 'DATA_KEY', createMissingKeys),
    indexKey: c.INDEX_KEY
      ? Buffer.from(c.INDEX_KEY, 'hex')
      : keyFromDataDir(dataDir, 'index', 'INDEX_KEY', createMissingKeys),
    auditKey: c.AUDIT_KEY
      ? Buffer.from(c.AUDIT_KEY, 'hex')
      : keyFromDataDir(dataDir, 'audit', 'AUDIT_KEY', createMissingKeys),
  };
}
