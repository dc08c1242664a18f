import { assigneeUsers, dispatchers } from '../recipients.js';
import { type ActionHandler, futureDeadline, noticeTitle } from './effect.js';

/** 督办: an order with its own deadline; the assignee and the dispatchers are told. */
export const supervise: ActionHandler<'supervise'> = async ({ tx, actor, row, cat, now }, body) => {
  const deadline = futureDeadline(body.deadline, 'deadline', now).dueAt;
  return {
    note: body.order,
    set: {
      supervised: true,
      supervision: { order: body.order, deadline: deadline.toISOString(), by: actor.displayName },
      supervisionDueAt: deadline,
    },
    data: { deadline: deadline.toISOString() },
    notify: {
      ids: [...(await assigneeUsers(tx, row)), ...(await dispatchers(tx, row.handlingUnitId))],
      kind: 'case.supervised',
      title: `${noticeTitle.supervise}：${cat.name}`,
    },
  };
};
