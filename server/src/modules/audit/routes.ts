import { auditChainVerdict, auditEntry, auditQuery } from '@civicgrid/core/api/admin';
import { pageOf } from '@civicgrid/core/api/common';
import { and, count, desc, eq, gte, ilike, lte, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { anchorsDirOf } from '../../platform/audit/anchors.js';
import { auditLog } from '../../platform/audit/tables.js';
import { auditSealOf } from '../../platform/audit/trail.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import type { AppDeps } from '../../platform/deps.js';
import { subjectNames } from './subjects.js';

/** The audit log is read by the audit administrator alone (等保 2.0 separation of duties). */
export const auditRoutes =
  ({ db, config }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['audit'];
    app.get(
      '/api/audit-log',
      {
        config: { access: 'audit:read' },
        schema: { tags, querystring: auditQuery, response: { 200: pageOf(auditEntry) } },
      },
      async (req) => {
        const q = req.query;
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
        return {
          total: Number(total?.n ?? 0),
          items: rows.map((r) => ({
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
          })),
        };
      },
    );
    app.get(
      '/api/audit-log/verify',
      {
        config: { access: 'audit:read' },
        schema: { tags, response: { 200: auditChainVerdict } },
      },
      async () => verifyAuditChain(db, { seal: auditSealOf(config), anchorsDir: anchorsDirOf(config) }),
    );
  };
