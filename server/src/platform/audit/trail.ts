import { createHash, createHmac } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../config.js';
import { type CryptoSuite, suiteMac } from '../crypto.js';
import type { Db } from '../db.js';
import { auditLog } from './tables.js';

/** Every audited action, one typed list. */
export const auditAction = z.enum([
  'auth.login', // a successful login
  'auth.loginFailed', // wrong username or password, or a wrong second factor
  'auth.locked', // the fifth failure locked the account
  'auth.logout',
  'auth.passwordChanged',
  'auth.totpEnabled',
  'auth.totpDisabled',
  'auth.recoveryCodeUsed',
  'auth.tokenCreated',
  'auth.tokenRevoked',
  'org.unitCreated',
  'org.unitUpdated',
  'org.unitMoved',
  'org.unitRetired',
  'org.teamUpdated',
  'department.created',
  'department.updated',
  'user.created',
  'user.updated',
  'user.passwordReset',
  'user.unlocked',
  'user.adminActionRefused', // a user:write holder tried to change an administrator's account or his own
  'role.created',
  'role.updated',
  'role.deleted',
  'pii.revealed', // a user saw a full ID or phone number
  'case.reported',
  'case.action', // any workflow action on a case; payload.action names it
  'case.batchDispatched',
  'case.exported', // a case list left the platform as a spreadsheet
  'case.deadlineSwept', // the deadline job marked cases overdue or escalated them
  'caseCategory.created',
  'caseCategory.updated',
  'calendar.updated',
  'file.uploaded',
  'resident.created',
  'resident.updated',
  'resident.moved',
  'resident.imported', // one batch of an import; payload counts the rows
  'resident.exported',
  'building.created',
  'building.updated',
  'building.imported', // one batch of a buildings/housing import
  'building.exported',
  'housingUnit.created',
  'housingUnit.updated',
  'household.created',
  'household.memberSet',
  'household.memberRemoved',
  'organization.created',
  'organization.updated',
  'organization.imported',
  'organization.exported',
  'facility.created',
  'facility.updated',
  'careCategory.created',
  'careCategory.updated',
  'care.opened',
  'care.updated',
  'care.closed',
  'care.read', // someone opened a care case or listed care cases; payload names them
  'care.visited',
  'care.anonymised', // the retention job removed the person from closed cases
  'residentTag.created',
  'residentTag.updated', // renamed (carried to the residents), described, reordered or retired
  'assessment.rulesUpdated', // a district's scoring rules were saved; payload: the district
  'assessment.evaluationEntered', // a department's self / peer / third-party score for a period
  'assessment.exported', // a scorecard was downloaded; payload: level, period, area
]);
export type AuditAction = z.infer<typeof auditAction>;

export interface AuditActor {
  userId: string | null;
  username: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string | number;
  /** What changed. Never personal data in clear: ids and field names only. */
  payload?: Record<string, unknown>;
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

/** Serialises audit writers, so ids are committed in chain order (anchors.ts relies on it). */
const auditLockKey = 7220001;

/**
 * Appends to the trail inside the caller's transaction. The advisory lock orders
 * writers so each row chains to the one committed before it; call it last in a use
 * case, so the lock is held for as short a time as possible. The chain continues from
 * whatever row is last, so a database with unkeyed (pre-key) rows carries on from them.
 */
export async function appendAudit(tx: Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  const seal = sealFor(tx);
  await tx.execute(sql`select pg_advisory_xact_lock(${auditLockKey})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const row = {
    at: new Date().toISOString(),
    actorId: actor.userId,
    actorName: actor.username,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
    payload: entry.payload ?? {},
  };
  const prevHash = last?.hash ?? genesisHash;
  const hash = sealedHash(seal, prevHash, auditRowContent(row));
  await tx.insert(auditLog).values({ ...row, prevHash, hash, keyId: seal.keyId });
}
