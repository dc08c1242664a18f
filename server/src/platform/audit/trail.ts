import { createHash } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
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

export function chainHash(prevHash: string, content: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export const genesisHash = '0'.repeat(64);

/**
 * Appends to the trail inside the caller's transaction. The advisory lock orders
 * writers so each row chains to the one committed before it; call it last in a use
 * case, so the lock is held for as short a time as possible.
 */
export async function appendAudit(tx: Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7220001)`);
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
  await tx.insert(auditLog).values({ ...row, prevHash, hash: chainHash(prevHash, auditRowContent(row)) });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId?: number;
  reason?: string;
}

/** Walks the chain in id order; reports the first row whose hash or link is wrong. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  let prev = genesisHash;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} > ${lastId}`)
      .orderBy(auditLog.id)
      .limit(batch);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prevHash !== prev) return { ok: false, checked, firstBadId: r.id, reason: 'chain link broken' };
      if (chainHash(prev, auditRowContent(r)) !== r.hash) {
        return { ok: false, checked, firstBadId: r.id, reason: 'row content changed' };
      }
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}
