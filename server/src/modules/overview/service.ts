import type { AuditOverview, SecurityOverview, SystemOverview } from '@civicgrid/core/api/overview';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, count, desc, eq, gt, gte, isNull, lt, sql } from 'drizzle-orm';
import { auditLog } from '../../platform/audit/tables.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { importJobs } from '../../platform/importTables.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { managedAccounts } from './policy.js';
import { presentAuditOverview, presentSecurityOverview, presentSystemOverview } from './presenter.js';

const listed = 10;

/** The system admin's home: imports of the last seven days, by status, and the latest. */
export async function systemOverview(db: Db): Promise<SystemOverview> {
  const since = new Date(Date.now() - 7 * 86_400_000);
  const recentJobs = gte(importJobs.createdAt, since);
  const [byStatus, recent] = await Promise.all([
    db
      .select({ status: importJobs.status, n: count() })
      .from(importJobs)
      .where(recentJobs)
      .groupBy(importJobs.status),
    db
      .select({
        id: importJobs.id,
        kind: importJobs.kind,
        status: importJobs.status,
        total: importJobs.total,
        imported: importJobs.imported,
        failed: importJobs.failed,
        createdAt: importJobs.createdAt,
        finishedAt: importJobs.finishedAt,
      })
      .from(importJobs)
      .where(recentJobs)
      .orderBy(desc(importJobs.createdAt))
      .limit(listed),
  ]);
  return presentSystemOverview(byStatus, recent);
}

/**
 * The security admin's home, over the accounts he manages: locked ones, ones whose role
 * requires TOTP but that have not enrolled, and ones whose last logins failed.
 */
export async function securityOverview(db: Db, actor: Actor): Promise<SecurityOverview> {
  const active = managedAccounts(actor);
  const account = { id: users.id, username: users.username, displayName: users.displayName };
  const lockedWhere = and(active, gt(users.lockedUntil, new Date()));
  const failingWhere = and(active, gt(users.failedLogins, 0));
  const missingWhere = and(active, isNull(users.totpEnabledAt), eq(roles.totpRequired, true));
  const [lockedN, locked, failingN, failing, missing] = await Promise.all([
    db.select({ n: count() }).from(users).where(lockedWhere),
    db
      .select({ ...account, lockedUntil: users.lockedUntil })
      .from(users)
      .where(lockedWhere)
      .orderBy(desc(users.lockedUntil))
      .limit(listed),
    db.select({ n: count() }).from(users).where(failingWhere),
    db
      .select({ ...account, failures: users.failedLogins })
      .from(users)
      .where(failingWhere)
      .orderBy(desc(users.failedLogins), users.username)
      .limit(listed),
    db
      .select({ ...account, roles: sql<string[]>`array_agg(${roles.name} order by ${roles.name})` })
      .from(users)
      .innerJoin(userRoles, eq(userRoles.userId, users.id))
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(missingWhere)
      .groupBy(users.id)
      .orderBy(users.username),
  ]);
  return presentSecurityOverview(
    {
      lockedN: Number(lockedN[0]?.n ?? 0),
      locked,
      failingN: Number(failingN[0]?.n ?? 0),
      failing,
      missing,
    },
    listed,
  );
}

/** The audit admin's home: today's trail (China time) counted by action. */
export async function auditOverview(db: Db, now = Date.now()): Promise<AuditOverview> {
  const day = localDay(now);
  const from = new Date(`${day}T00:00:00+08:00`);
  const to = new Date(from.getTime() + 86_400_000);
  const rows = await db
    .select({ action: auditLog.action, n: count() })
    .from(auditLog)
    .where(and(gte(auditLog.at, from.toISOString()), lt(auditLog.at, to.toISOString())))
    .groupBy(auditLog.action)
    .orderBy(desc(count()), auditLog.action);
  return presentAuditOverview(day, rows);
}
