import type { CaseAction, CaseState } from '@civicgrid/core/cases/stateMachine';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../../platform/auth/actor.js';
import type { EventBus } from '../../../platform/bus.js';
import type { FieldCrypto } from '../../../platform/crypto.js';
import type { Db } from '../../../platform/db.js';
import {
  deliverSms,
  type NotificationMessage,
  publishNotifications,
  type SmsSender,
} from '../../../platform/notify.js';
import { caseEvents, cases } from '../tables.js';
import type { ActionEffect, CaseRow } from './effect.js';

/** What the case services are built with. */
export interface CaseDeps {
  db: Db;
  crypto: FieldCrypto;
  bus: EventBus;
  sms: SmsSender;
  /** Where a failed text is reported. */
  log: Pick<FastifyBaseLogger, 'warn'>;
}

/** Who did it, as the trail shows it (kept as it was then, whatever changes later). */
export function eventActor(actor: Actor) {
  return {
    actorId: actor.userId,
    actorName: actor.displayName,
    actorUnit: actor.orgUnitName ?? actor.departmentName ?? null,
  };
}

/**
 * Writes what an action decided, in the caller's transaction: the case's fields and its new
 * state, its trail event, and the notes it leaves in other cases' trails.
 */
export async function applyEffect(
  tx: Db,
  actor: Actor,
  row: CaseRow,
  step: { action: CaseAction; to: CaseState; clientKey: string | null; now: number },
  effect: ActionEffect,
): Promise<CaseRow> {
  const [updated] = await tx
    .update(cases)
    .set({ ...effect.set, status: step.to, updatedAt: new Date(step.now) })
    .where(eq(cases.id, row.id))
    .returning();
  const photos = effect.attachmentIds ?? [];
  await tx.insert(caseEvents).values({
    caseId: row.id,
    action: step.action,
    fromState: row.status,
    toState: step.to,
    ...eventActor(actor),
    note: effect.note ?? null,
    data: effect.data ?? null,
    attachmentIds: photos.length ? photos : null,
    clientKey: step.clientKey,
  });
  for (const e of effect.otherEvents ?? [])
    await tx.insert(caseEvents).values({
      caseId: e.caseId,
      action: 'note',
      fromState: e.state,
      toState: e.state,
      ...eventActor(actor),
      note: e.note,
      data: e.data,
    });
  return updated as CaseRow;
}

/**
 * After the commit: the notifications reach their users' streams, every viewer's lists hear
 * of the change, and the reporter's texts go out.
 */
export async function afterCommit(
  deps: CaseDeps,
  row: CaseRow,
  told: readonly NotificationMessage[],
  sms: readonly { phoneEnc: string; text: string }[] = [],
): Promise<void> {
  publishNotifications(deps.bus, told);
  deps.bus.publish({
    type: 'case',
    id: row.id,
    code: row.code,
    status: row.status,
    orgPath: row.orgPath,
    departmentIds: row.departmentIds,
  });
  await deliverSms(
    deps.sms,
    deps.log,
    sms.map((m) => ({ phone: deps.crypto.decrypt(m.phoneEnc), text: m.text, ref: row.code })),
  );
}
