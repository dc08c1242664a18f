import type { auditEntry } from '@civicgrid/core/api/admin';
import type { z } from 'zod';
import type { auditLog } from '../../platform/audit/tables.js';

type AuditRow = typeof auditLog.$inferSelect;

/**
 * One line of the log as the audit administrator reads it: the row as written, with the name
 * of what it is about (subjects.ts: a resident by surname and stars, a care case by its
 * category only).
 */
export function presentAuditEntry(r: AuditRow, names: Map<string, string>): z.infer<typeof auditEntry> {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    targetName: names.get(`${r.targetType}:${r.targetId}`) ?? null,
    ip: r.ip,
    userAgent: r.userAgent,
    payload: r.payload,
  };
}
