import type { DisputeDetail } from '@civicgrid/core/api/disputes';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import { AppError } from '../../platform/errors.js';
import type { SmsSender } from '../../platform/notify.js';
import { loadScoped } from '../../platform/scope.js';
import { reportCase } from '../cases/report.js';
import { orgUnits } from '../org/tables.js';
import { disputesScope } from './policy.js';
import { type DisputeDeps, disputeDetail } from './service.js';
import { disputeEvents, disputes } from './tables.js';

/**
 * A dispute that is really a matter for a department (a broken pipe behind a quarrel) goes
 * back to the case workflow: a case is reported through the cases module with the dispute's
 * facts and place, and the dispute keeps the link (`caseId`); the case's text names the
 * dispute. Both are written in one transaction; the case's key is derived from the dispute,
 * so a retried request finds the same case instead of making a twin.
 */
export async function disputeToCase(
  deps: DisputeDeps & { bus: EventBus; sms: SmsSender; log: Pick<FastifyBaseLogger, 'warn'> },
  actor: Actor,
  id: string,
  categoryCode: string,
  meta: RequestMeta,
): Promise<DisputeDetail> {
  const { db } = deps;
  // One transaction: the case is reported inside the dispute's (a savepoint of it), so a
  // failure of either half leaves neither; the case's notifications go once both are committed.
  const after = await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, disputesScope, id, { forUpdate: true });
    // Reporting the case needs case:report (the route's); deciding a dispute leaves mediation, dispute:mediate.
    if (!actor.permissions.has('dispute:mediate')) throw new AppError('FORBIDDEN');
    if (row.caseId !== null || row.status === 'closed') throw new AppError('DISPUTE_INVALID_STATE');
    const [unit] = await tx
      .select({ name: orgUnits.name })
      .from(orgUnits)
      .where(eq(orgUnits.id, row.orgUnitId));
    const { row: created, afterCommit } = await reportCase(
      deps,
      actor,
      {
        description: `（矛盾纠纷 ${row.code} 转入）${row.description}`.slice(0, 2000),
        categoryCode,
        channel: 'department',
        ...(row.location ? { location: row.location } : { address: unit?.name ?? row.code }),
        idempotencyKey: `dispute-${row.id}`,
      },
      meta,
      tx,
    );
    await tx
      .update(disputes)
      .set({ caseId: created.id, updatedAt: new Date() })
      .where(eq(disputes.id, row.id));
    await tx.insert(disputeEvents).values({
      disputeId: row.id,
      action: 'toCase',
      fromState: row.status,
      toState: row.status,
      actorId: actor.userId,
      data: { caseId: created.id, caseCode: created.code },
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'dispute.action',
      targetType: 'dispute',
      targetId: row.id,
      payload: { action: 'toCase', from: row.status, to: row.status },
    });
    return afterCommit;
  });
  await after?.();
  return disputeDetail(deps, actor, id);
}
