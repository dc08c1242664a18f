import type { batchDispatchInput } from '@civicgrid/core/api/cases';
import { type ActionBody, actionBodies } from '@civicgrid/core/api/cases';
import { type CaseAction, type CaseState, nextState } from '@civicgrid/core/cases/stateMachine';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../../platform/auth/actor.js';
import { auditActorOf } from '../../../platform/auth/service.js';
import type { Db } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { loadScoped } from '../../../platform/scope.js';
import { workCalendar } from '../calendar.js';
import { nameBook } from '../names.js';
import { notifyUsers } from '../notifications.js';
import { casesScope, guardFacts, refusal } from '../policy.js';
import { notifyReporter } from '../reporterNotices.js';
import { caseEvents } from '../tables.js';
import { accept } from './accept.js';
import { afterCommit, applyEffect, type CaseDeps } from './apply.js';
import { approveExtension } from './approveExtension.js';
import { cancel } from './cancel.js';
import { claim } from './claim.js';
import { close } from './close.js';
import { dispatch } from './dispatch.js';
import type { ActionHandler, CaseRow, CategoryRow } from './effect.js';
import { escalate } from './escalate.js';
import { followUp } from './followUp.js';
import { merge } from './merge.js';
import { note } from './note.js';
import { rate } from './rate.js';
import { recategorise } from './recategorise.js';
import { reject } from './reject.js';
import { reopen } from './reopen.js';
import { requestExtension } from './requestExtension.js';
import { resolve } from './resolve.js';
import { returnCase } from './return.js';
import { selfResolve } from './selfResolve.js';
import { supervise } from './supervise.js';
import { verify } from './verify.js';

export type { CaseDeps } from './apply.js';

/** Each action of the state machine and the function that decides its effect. */
export const actionHandlers: { [A in CaseAction]: ActionHandler<A> } = {
  accept,
  reject,
  dispatch,
  claim,
  note,
  resolve,
  verify,
  followUp,
  close,
  return: returnCase,
  escalate,
  selfResolve,
  supervise,
  requestExtension,
  approveExtension,
  merge,
  cancel,
  rate,
  reopen,
  recategorise,
};

/** The body parsed with the action's own schema; a bad one is a 400 naming each field. */
export function parseActionBody<A extends CaseAction>(action: A, raw: unknown): ActionBody<A> {
  const parsed = actionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as ActionBody<A>;
}

/**
 * One step of a case's workflow, in one transaction: lock the case (404 outside the
 * actor's sight), refuse what the policy refuses (403/409), let the action decide its
 * effect, write it with its trail event, notify, audit; after the commit, publish and text.
 */
export async function performAction<A extends CaseAction>(
  deps: CaseDeps,
  actor: Actor,
  id: string,
  action: A,
  rawBody: unknown,
  meta: RequestMeta,
  clientKey: string | null = null,
): Promise<CaseRow> {
  const body = parseActionBody(action, rawBody);
  const { db } = deps;
  const [book, cal] = await Promise.all([nameBook(db), workCalendar(db)]);
  const out = await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, casesScope, id, { forUpdate: true });
    // The same Idempotency-Key sent twice at once: the second got the row lock after the first
    // committed, and sees its event here (case_events is partitioned, so no unique index on
    // the key can stop it). The route answers with the case as it stands.
    if (clientKey && (await actionDone(tx, actor, id, clientKey))) throw new AppError('CONFLICT');
    const facts = await guardFacts(tx, actor, row, book);
    const refused = refusal(actor, row, action, facts);
    if (refused) throw refused;
    const from = row.status as CaseState;
    const outcome = action === 'verify' ? (body as ActionBody<'verify'>) : undefined;
    const to = nextState(action, from, outcome) ?? from;
    const now = Date.now();
    const cat = book.categories.get(row.categoryCode) as CategoryRow;
    const handler: ActionHandler<A> = actionHandlers[action];
    const effect = await handler({ tx, actor, row, to, facts, book, cat, cal, now }, body);
    const updated = await applyEffect(tx, actor, row, { action, to, clientKey, now }, effect);
    const told = effect.notify
      ? await notifyUsers(
          tx,
          effect.notify.ids.filter((u) => u !== actor.userId),
          {
            kind: effect.notify.kind,
            title: effect.notify.title,
            body: row.description.slice(0, 80),
            caseId: row.id,
          },
        )
      : [];
    // The resident who reported it hears of the new state (his own portal's link).
    told.push(...(await notifyReporter(tx, row, from, to, actor.userId)));
    // Last: the audit chain's lock is held from here to the commit.
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'case.action',
      targetType: 'case',
      targetId: row.id,
      payload: { action, from, to },
    });
    return { row: updated, told, sms: effect.sms ?? [] };
  });
  await afterCommit(deps, out.row, out.told, out.sms);
  return out.row;
}

export async function batchDispatch(
  deps: CaseDeps,
  actor: Actor,
  input: z.infer<typeof batchDispatchInput>,
  meta: RequestMeta,
) {
  const succeeded: string[] = [];
  const failed: { id: string; code: string; message: string }[] = [];
  // Each case is its own transaction: one that cannot be dispatched does not hold back the rest.
  for (const id of input.caseIds) {
    try {
      await performAction(
        deps,
        actor,
        id,
        'dispatch',
        { assignee: input.assignee, instructions: input.instructions },
        meta,
      );
      succeeded.push(id);
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('INTERNAL');
      failed.push({ id, code: err.code, message: err.errors?.[0]?.message ?? err.message });
    }
  }
  return { succeeded, failed };
}

/** Whether this user already did an action sent with this Idempotency-Key on the case. */
export async function actionDone(db: Db, actor: Actor, caseId: string, clientKey: string): Promise<boolean> {
  const [e] = await db
    .select({ id: caseEvents.id })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, caseId),
        eq(caseEvents.actorId, actor.userId),
        eq(caseEvents.clientKey, clientKey),
      ),
    )
    .limit(1);
  return !!e;
}
