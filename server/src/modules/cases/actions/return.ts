import { dispatchers } from '../recipients.js';
import { type ActionHandler, clearAssignee, noticeTitle, startStep, stepDeadline } from './effect.js';

/** 退回: the assignee hands the case back; the handling unit dispatches it again. */
export const returnCase: ActionHandler<'return'> = async ({ tx, row, cal, cat, now }, body) => {
  const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
  return {
    note: body.reason,
    set: { ...startStep('dispatch', d), ...clearAssignee, dispatchBy: d.dueAt },
    notify: {
      ids: await dispatchers(tx, row.handlingUnitId),
      kind: 'case.returned',
      title: `${noticeTitle.return}：${cat.name}`,
    },
  };
};
