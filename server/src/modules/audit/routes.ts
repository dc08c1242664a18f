import { auditChainVerdict, auditEntry, auditQuery } from '@civicgrid/core/api/admin';
import { pageOf } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { anchorsDirOf } from '../../platform/audit/anchors.js';
import { auditSealOf } from '../../platform/audit/trail.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import type { AppDeps } from '../../platform/deps.js';
import { auditLogPage } from './service.js';

/**
 * The audit log is read by the audit administrator alone (等保 2.0 separation of duties).
 * This module has no policy.ts: audit rows carry no org path, so no jurisdiction narrows
 * them — the whole log is read by holders of audit:read, which each route's access declares.
 */
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
      async (req) => auditLogPage(db, req.query),
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
