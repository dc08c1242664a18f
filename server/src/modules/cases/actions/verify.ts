import { bindFiles } from '../photos.js';
import { assigneeUsers } from '../recipients.js';
import { type ActionHandler, noticeTitle, startStep, stepDeadline } from './effect.js';

/**
 * 核查: passed, the case waits for the follow-up call and the reporter is told; failed, it
 * goes back to its assignee for rework on a fresh resolve clock.
 */
export const verify: ActionHandler<'verify'> = async ({ tx, actor, row, cal, cat, now }, body) => {
  const trail = {
    note: body.note ?? null,
    data: { passed: body.passed },
    attachmentIds: await bindFiles(tx, actor, row.id, body.attachmentIds, 'attachmentIds'),
  };
  if (body.passed)
    return {
      ...trail,
      set: { verifiedAt: new Date(now) },
      sms: row.reporterPhoneEnc
        ? [{ phoneEnc: row.reporterPhoneEnc, text: `您反映的问题（${row.code}）已处理完毕，稍后将回访。` }]
        : [],
    };
  const d = stepDeadline(cal, cat, cat.resolveMinutes, now);
  return {
    ...trail,
    set: { ...startStep('resolve', d), reworkCount: row.reworkCount + 1, resolveBy: d.dueAt },
    notify: {
      ids: await assigneeUsers(tx, row),
      kind: 'case.rework',
      title: `${noticeTitle.verifyFailed}：${cat.name}`,
    },
  };
};
