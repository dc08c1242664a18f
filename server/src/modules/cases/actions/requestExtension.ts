import { fieldError } from '../../../platform/errors.js';
import { holders } from '../recipients.js';
import { type ActionHandler, futureDeadline, noticeTitle } from './effect.js';

/** 申请延期: the assignee asks for a later deadline; the handling unit's approvers are told. */
export const requestExtension: ActionHandler<'requestExtension'> = async (
  { tx, actor, row, cat, now },
  body,
) => {
  const until = futureDeadline(body.until, 'until', now).dueAt;
  if (row.resolveBy && until <= row.resolveBy)
    throw fieldError('until', 'afterDeadline', 'CASE_EXTENSION_NOT_LATER');
  return {
    note: body.reason,
    set: {
      extension: {
        reason: body.reason,
        until: until.toISOString(),
        requestedBy: actor.displayName,
        requestedAt: new Date(now).toISOString(),
      },
    },
    data: { until: until.toISOString() },
    notify: {
      ids: await holders(tx, { unitId: row.handlingUnitId }, 'case:extend'),
      kind: 'case.extensionRequested',
      title: `${noticeTitle.requestExtension}：${cat.name}`,
    },
  };
};
