import type { auditQuery } from '@civicgrid/core/api/admin';
import { and, count, desc, eq, gte, ilike, lte, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { auditLog } from '../../platform/audit/tables.js';
import type { Db } from '../../platform/db.js';
import { presentAuditEntry } from './presenter.js';
import { subjectNames } from './subjects.js';

/** A page of the audit log, newest first, narrowed by the query's filters. */
export async function auditLogPage(db: Db, q: z.output<typeof auditQuery>) {
  const conds: (SQL | undefined)[] = [
    q.actor ? ilike(auditLog.actorName, `%${q.actor.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.targetType ? eq(auditLog.targetType, q.targetType) : undefined,
    q.targetId ? eq(auditLog.targetId, q.targetId) : undefined,
    q.from ? gte(auditLog.at, new Date(q.from).toISOString()) : undefined,
    q.to ? lte(auditLog.at, new Date(q.to).toISOString()) : undefined,
  ];
  const where = and(...conds);
  const [total] = await db.select({ n: count() }).from(auditLog).where(where);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const names = await subjectNames(db, rows);
  return { total: Number(total?.n ?? 0), items: rows.map((r) => presentAuditEntry(r, names)) };
}
