import { AppError } from '../../../platform/errors.js';
import { handlingPath, isAssignee } from '../policy.js';
import { dispatchers, holders } from '../recipients.js';
import { type ActionHandler, clearAssignee, noticeTitle, startStep, stepDeadline } from './effect.js';

/**
 * 上报: the case goes one level up. An assignee below the handling unit (the grid) hands
 * it back to the unit that dispatched it; the handling unit hands it to its parent, where it
 * waits for acceptance or dispatch as the transition table says (`to`).
 */
export const escalate: ActionHandler<'escalate'> = async (ctx, body) => {
  const { tx, actor, row, facts, book, cal, cat, now, to } = ctx;
  const notice = { kind: 'case.escalated', title: `${noticeTitle.escalate}：${cat.name}` };
  const byAssignee =
    !actor.global && isAssignee(actor, row, facts) && !handlingPath(row).startsWith(actor.orgPath ?? '\0');
  if (byAssignee) {
    const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
    return {
      note: body.reason,
      set: { ...startStep('dispatch', d), ...clearAssignee, dispatchBy: d.dueAt },
      data: { toUnitId: row.handlingUnitId, toUnitName: book.units.get(row.handlingUnitId)?.name ?? '' },
      notify: { ids: await dispatchers(tx, row.handlingUnitId), ...notice },
    };
  }
  const parentId = book.units.get(row.handlingUnitId)?.parentId;
  if (!parentId) throw new AppError('CASE_INVALID_STATE', 'no level above');
  const step = to === 'reported' ? 'accept' : 'dispatch';
  const d = stepDeadline(cal, cat, step === 'accept' ? cat.acceptMinutes : cat.dispatchMinutes, now);
  return {
    note: body.reason,
    set: {
      ...startStep(step, d),
      ...clearAssignee,
      handlingUnitId: parentId,
      escalations: row.escalations + 1,
    },
    data: {
      fromUnitId: row.handlingUnitId,
      toUnitId: parentId,
      toUnitName: book.units.get(parentId)?.name ?? '',
    },
    notify: {
      ids: await holders(tx, { unitId: parentId }, step === 'accept' ? 'case:accept' : 'case:dispatch'),
      ...notice,
    },
  };
};
