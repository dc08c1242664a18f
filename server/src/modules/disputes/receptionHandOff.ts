import type { receptionToCaseInput, receptionToGrievanceInput } from '@civicgrid/core/api/disputes';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { SmsSender } from '../../platform/notify.js';
import { loadScoped } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { reportCase } from '../cases/report.js';
import { createGrievance } from '../grievances/service.js';
import { receptionsScope } from './policy.js';
import { presentReception } from './presenter.js';
import type { DisputeDeps } from './service.js';
import { receptions } from './tables.js';

type ReceptionRow = typeof receptions.$inferSelect;
type CaseDeps = DisputeDeps & { bus: EventBus; sms: SmsSender; log: Pick<FastifyBaseLogger, 'warn'> };

/**
 * The visit is locked and still waiting; the desk that may record visits hands it on. Both
 * halves (the grievance or case, and the visit done with its link) are written in one
 * transaction, so a failure leaves the visit waiting and nothing half-made.
 */
async function handOff(
  deps: DisputeDeps,
  actor: Actor,
  id: string,
  meta: RequestMeta,
  make: (tx: Db, r: ReceptionRow) => Promise<{ set: Partial<ReceptionRow>; after?: () => Promise<void> }>,
) {
  const { db, crypto } = deps;
  const { row, after } = await db.transaction(async (tx) => {
    const r: ReceptionRow = await loadScoped(tx, actor, receptionsScope, id, { forUpdate: true });
    if (!actor.permissions.has('reception:record')) throw new AppError('FORBIDDEN');
    if (r.status === 'done') throw new AppError('RECEPTION_ALREADY_DONE');
    const made = await make(tx, r);
    const [u] = await tx
      .update(receptions)
      .set({ ...made.set, status: 'done', doneAt: new Date() })
      .where(eq(receptions.id, r.id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'reception.done',
      targetType: 'reception',
      targetId: r.id,
      payload: { route: (u as ReceptionRow).route },
    });
    return { row: u as ReceptionRow, after: made.after };
  });
  await after?.();
  const [by] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, row.receivedBy));
  return presentReception(row, by?.name ?? null, crypto);
}

/** 来访 → 信访事项: registered by the grievances module with the visitor as the person. */
export function receptionToGrievance(
  deps: DisputeDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof receptionToGrievanceInput>,
  meta: RequestMeta,
) {
  return handOff(deps, actor, id, meta, async (tx, r) => {
    const g = await createGrievance(
      deps,
      actor,
      {
        channel: 'visit',
        subject: input.subject,
        content: r.matter.length >= 2 ? r.matter : `${r.matter}。`,
        person: {
          name: r.visitorName,
          ...(r.idEnc ? { idNumber: deps.crypto.decrypt(r.idEnc) } : {}),
          ...(r.phoneEnc ? { phone: deps.crypto.decrypt(r.phoneEnc) } : {}),
        },
        orgUnitId: r.orgUnitId,
        idempotencyKey: `reception-${r.id}`,
      },
      meta,
      tx,
    );
    return { set: { route: 'grievance', grievanceId: g.id } };
  });
}

/** 来访 → 事件: reported by the cases module (walk-in channel), the visitor as the reporter. */
export function receptionToCase(
  deps: CaseDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof receptionToCaseInput>,
  meta: RequestMeta,
) {
  return handOff(deps, actor, id, meta, async (tx, r) => {
    const phone = r.phoneEnc ? deps.crypto.decrypt(r.phoneEnc) : undefined;
    const { row, afterCommit } = await reportCase(
      deps,
      actor,
      {
        description: `（群众来访第 ${r.number} 号）${r.matter}`.slice(0, 2000),
        categoryCode: input.categoryCode,
        channel: 'walk_in',
        ...(input.location ? { location: input.location } : {}),
        ...(input.address ? { address: input.address } : {}),
        reporter: { name: r.visitorName.slice(0, 40), ...(phone ? { phone } : {}) },
        idempotencyKey: `reception-${r.id}`,
      },
      meta,
      tx,
    );
    return { set: { route: 'case', caseId: row.id }, ...(afterCommit ? { after: afterCommit } : {}) };
  });
}
