import type { AuditOverview, SecurityOverview, SystemOverview } from '@civicgrid/core/api/overview';
import type { importJobs } from '../../platform/importTables.js';
import type { users } from '../accounts/tables.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

type ImportRow = Pick<
  typeof importJobs.$inferSelect,
  'id' | 'kind' | 'status' | 'total' | 'imported' | 'failed' | 'createdAt' | 'finishedAt'
>;

/** The system admin's home: import jobs counted by status, and the latest of them. */
export function presentSystemOverview(
  byStatus: { status: string; n: number }[],
  recent: ImportRow[],
): SystemOverview {
  const n = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
  return {
    imports: {
      running: n('running') + n('queued'),
      failed: n('failed'),
      done: n('done'),
      recent: recent.map((r) => ({
        ...r,
        createdAt: iso(r.createdAt) as string,
        finishedAt: iso(r.finishedAt),
      })),
    },
  };
}

type UserRow = typeof users.$inferSelect;
type Account = Pick<UserRow, 'id' | 'username' | 'displayName'>;

/**
 * The security admin's home: accounts by username and display name only (no phone, no
 * secret), each list cut at `listed` beside its full count.
 */
export function presentSecurityOverview(
  rows: {
    lockedN: number;
    locked: (Account & Pick<UserRow, 'lockedUntil'>)[];
    failingN: number;
    failing: (Account & { failures: number })[];
    missing: (Account & { roles: string[] })[];
  },
  listed: number,
): SecurityOverview {
  return {
    locked: {
      count: rows.lockedN,
      items: rows.locked.map((u) => ({ ...u, lockedUntil: iso(u.lockedUntil) as string })),
    },
    totpMissing: { count: rows.missing.length, items: rows.missing.slice(0, listed) },
    failing: { count: rows.failingN, items: rows.failing },
  };
}

/** The audit admin's home: a day's trail counted by action, the most frequent first. */
export function presentAuditOverview(day: string, rows: { action: string; n: number }[]): AuditOverview {
  const byAction = rows.map((r) => ({ action: r.action, count: Number(r.n) }));
  return { day, total: byAction.reduce((s, r) => s + r.count, 0), byAction };
}
