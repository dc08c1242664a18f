import { propertyDispatch } from '../../participation/property.js';
import { resolveAssignee } from '../assignees.js';
import { type ActionHandler, futureDeadline, noticeTitle, startStep, stepDeadline } from './effect.js';

/**
 * 派遣: to a department, a unit at or below the handling unit, or a person who can handle
 * cases; the resolve clock starts (the dispatcher's own deadline, or the category's). A
 * property company (红管家) takes only cases in its estates, on its 24 h clock.
 */
export const dispatch: ActionHandler<'dispatch'> = async ({ tx, row, book, cal, cat, now }, body) => {
  const target = await resolveAssignee(tx, row, body.assignee, book);
  const property =
    body.assignee.kind === 'department'
      ? await propertyDispatch(tx, row, Number(body.assignee.id), now)
      : null;
  const d = body.deadline
    ? futureDeadline(body.deadline, 'deadline', now)
    : (property ?? stepDeadline(cal, cat, cat.resolveMinutes, now));
  return {
    set: { ...target.set, ...startStep('resolve', d), dispatchedAt: new Date(now), resolveBy: d.dueAt },
    note: body.instructions ?? null,
    data: { assignee: { kind: body.assignee.kind, id: String(body.assignee.id), name: target.name } },
    notify: { ids: target.notify, kind: 'case.dispatched', title: `${noticeTitle.dispatch}：${cat.name}` },
  };
};
