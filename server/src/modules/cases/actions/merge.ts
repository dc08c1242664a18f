import { finalStates } from '@civicgrid/core/cases/stateMachine';
import { eq } from 'drizzle-orm';
import { fieldError } from '../../../platform/errors.js';
import { casesScope } from '../policy.js';
import { cases } from '../tables.js';
import { type ActionHandler, endSteps } from './effect.js';

/**
 * 合并: a duplicate ends in the open case it repeats, which the actor must see; the target's
 * trail notes the merge.
 */
export const merge: ActionHandler<'merge'> = async ({ tx, actor, row, now }, body) => {
  if (body.intoCaseId === row.id) throw fieldError('intoCaseId', 'different', 'CASE_MERGE_SELF');
  const [target] = await tx.select().from(cases).where(eq(cases.id, body.intoCaseId)).for('update');
  if (!target || !casesScope.visible(actor, target))
    throw fieldError('intoCaseId', 'exists', 'CASE_MERGE_TARGET_UNKNOWN');
  if (finalStates.some((s) => s === target.status))
    throw fieldError('intoCaseId', 'open', 'CASE_MERGE_TARGET_CLOSED');
  return {
    note: body.note ?? null,
    data: { intoCaseId: target.id, intoCode: target.code },
    set: { ...endSteps, mergedInto: target.id, closedAt: new Date(now) },
    otherEvents: [
      {
        caseId: target.id,
        state: target.status,
        note: `合并重复事件 ${row.code}`,
        data: { mergedCaseId: row.id, mergedCode: row.code },
      },
    ],
  };
};
