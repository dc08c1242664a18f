import { AppError } from '../../../platform/errors.js';
import { assigneeUsers } from '../recipients.js';
import { type ActionHandler, startStep } from './effect.js';

/** 审批延期: approved, the resolve deadline moves to the date asked for; either way the request ends. */
export const approveExtension: ActionHandler<'approveExtension'> = async ({ tx, row, cat, now }, body) => {
  const ext = row.extension;
  // The pendingExtension guard let the action through only with a request waiting.
  if (!ext) throw new AppError('CASE_INVALID_STATE', 'no pending extension');
  const until = new Date(ext.until);
  const moved = body.approved
    ? {
        ...startStep('resolve', { dueAt: until, warnAt: new Date(now + (until.getTime() - now) * 0.8) }),
        resolveBy: until,
      }
    : {};
  return {
    note: body.note ?? null,
    data: { approved: body.approved, until: ext.until },
    set: { extension: null, ...moved },
    notify: {
      ids: await assigneeUsers(tx, row),
      kind: 'case.extensionDecided',
      title: `延期申请${body.approved ? '已批准' : '未批准'}：${cat.name}`,
    },
  };
};
