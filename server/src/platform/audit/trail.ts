import { createHash, createHmac } from 'node:crypto';
import { type AuditAction, type AuditPayload, auditPayloads } from '@civicgrid/core/audit/payloads';
import type { Config } from '../config.js';
import { type CryptoSuite, suiteMac } from '../crypto.js';
import type { Db } from '../db.js';
import { auditLog } from './tables.js';

/**
 * Every audited action, one typed list, and what each records: core/src/audit/payloads.ts
 * (a zod object per action, so the web reads the same shapes).
 */
export { type AuditAction, type AuditPayload, auditAction } from '@civicgrid/core/audit/payloads';

export interface AuditActor {
  userId: string | null;
  username: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** A row's payload field: optional where the action records nothing required. */
type PayloadOf<A extends AuditAction> =
  Record<string, never> extends AuditPayload<A>
    ? { payload?: AuditPayload<A> }
    : { payload: AuditPayload<A> };

/**
 * One row to append, a union discriminated by `action`: a payload that does not fit its
 * action is refused by the compiler, and again by `appendAudit` when it is written.
 */
export type AuditEntry<A extends AuditAction = AuditAction> = {
  [K in A]: { action: K; targetType?: string; targetId?: string | number } & PayloadOf<K>;
}[A];

/**
 * The entry of `action` with its payload, for a module's helper that appends for several
 * actions (`audit(tx, actor, meta, action, id, payload)`): the helper's callers are checked
 * pair by pair; the compiler cannot follow a generic action into the union, hence the one
 * cast here — and `appendAudit` parses the payload anyway.
 */
export function auditEntry<A extends AuditAction>(
  action: A,
  target: { targetType?: string; targetId?: string | number },
  payload?: AuditPayload<A>,
): AuditEntry<A> {
  return { action, ...target, ...(payload === undefined ? {} : { payload }) } as unknown as AuditEntry<A>;
}

/** The bytes a row's hash covers, fixed so `audit:verify` recomputes the same. */
export function auditRowContent(r: {
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  payload: unknown;
}): string {
  return JSON.stringify([
    new Date(r.at).toISOString(),
    r.actorId,
    r.actorName,
    r.action,
    r.targetType,
    r.targetId,
    r.ip,
    r.userAgent,
    canonical(r.payload),
  ]);
}

/** JSON with sorted keys, since jsonb does not keep key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** The hash of rows written before the chain was keyed: SHA-256, no secret. */
export function legacyChainHash(prevHash: string, content: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export const genesisHash = '0'.repeat(64);

/**
 * The key that seals the chain. It lives outside the database (AUDIT_KEY or
 * DATA_DIR/keys/audit.hex), so someone who can only write the table cannot recompute
 * the hashes after a forged or deleted row.
 */
export interface AuditSeal {
  key: Buffer;
  mac: 'sha256' | 'sm3';
  /** `<mac>:<first 8 hex of the key's hash>`: tells a rotated key (or another suite) apart. */
  keyId: string;
}

export function auditSeal(key: Buffer, suite: CryptoSuite): AuditSeal {
  const mac = suiteMac(suite);
  return { key, mac, keyId: `${mac}:${createHash(mac).update(key).digest('hex').slice(0, 8)}` };
}

export const auditSealOf = (config: Config): AuditSeal => auditSeal(config.auditKey, config.CRYPTO_SUITE);

/** A keyed row's hash: HMAC(audit key, prevHash ‖ content), HMAC-SM3 under `CRYPTO_SUITE=sm`. */
export function sealedHash(seal: AuditSeal, prevHash: string, content: string): string {
  return createHmac(seal.mac, seal.key).update(prevHash).update('\n').update(content).digest('hex');
}

/*
 * appendAudit keeps its (tx, actor, entry) signature for its many callers, so the seal is
 * found from the handle. A module-wide key would let two apps in one process (tests) seal
 * each other's rows; instead the seal is registered per database. Drizzle gives the root
 * handle and every transaction opened from it the same dialect object, and each drizzle()
 * call its own, so that object names "this database" for both. A handle with no seal is
 * refused rather than written unkeyed.
 */
const seals = new WeakMap<object, AuditSeal>();

function handleOf(db: Db): object {
  const dialect = (db as unknown as { dialect?: object }).dialect;
  if (!dialect) throw new Error('audit: this database handle has no Drizzle dialect to register a seal on');
  return dialect;
}

/** Called once per database handle at boot (buildApp): rows appended through it are sealed with `seal`. */
export function registerAuditSeal(db: Db, seal: AuditSeal): void {
  seals.set(handleOf(db), seal);
}

function sealFor(tx: Db): AuditSeal {
  const seal = seals.get(handleOf(tx));
  if (!seal) throw new Error('audit: no audit key registered for this database (registerAuditSeal)');
  return seal;
}

/** Held by the appender (chain.ts) while it links: one appender at a time, across servers. */
export const auditLockKey = 7220001;

/** The seal registered for this handle (registerAuditSeal); the appender and verify use it too. */
export const sealOf = (db: Db): AuditSeal => sealFor(db);

/**
 * The writer's seal of a row's content, before it is linked: HMAC under a key derived from
 * the audit key for entries, so it can never be replayed as a chain hash or an anchor.
 */
export function entryMac(seal: AuditSeal, content: string): string {
  const key = createHmac(seal.mac, seal.key).update('civicgrid audit entry v1').digest();
  return createHmac(seal.mac, key).update(content).digest('hex');
}

/** The appender running for each database handle (chain.ts), told when a row was appended. */
const linkers = new WeakMap<object, () => void>();

export function registerAuditLinker(db: Db, nudge: (() => void) | null): void {
  if (nudge) linkers.set(handleOf(db), nudge);
  else linkers.delete(handleOf(db));
}

/**
 * Appends to the trail inside the caller's transaction, unchained: no lock is taken, so
 * concurrent writers do not queue. The row is sealed by its entry MAC now and linked into the
 * hash chain by the appender (chain.ts) moments after the transaction commits; a row whose
 * transaction rolls back never existed. Until linked, the row is read like any other.
 */
export async function appendAudit<A extends AuditAction>(
  tx: Db,
  actor: AuditActor,
  entry: AuditEntry<A>,
): Promise<void> {
  // A payload that does not fit its action is a programming error (500): the row would
  // otherwise say something the auditor cannot read, or hold what it must not.
  const checked = auditPayloads[entry.action].safeParse(entry.payload ?? {});
  if (!checked.success)
    throw new Error(
      `audit: the payload of ${entry.action} does not fit its schema: ${checked.error.message}`,
    );
  const seal = sealFor(tx);
  const row = {
    at: new Date().toISOString(),
    actorId: actor.userId,
    actorName: actor.username,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
    payload: checked.data,
  };
  await tx
    .insert(auditLog)
    .values({ ...row, entryMac: entryMac(seal, auditRowContent(row)), keyId: seal.keyId });
  linkers.get(handleOf(tx))?.();
}
