import { assigneeUsers } from '../recipients.js';
import { type ActionHandler, noticeTitle, startStep, stepDeadline } from './effect.js';

/**
 * "没修好": the reporter sends a closed case back to its assignee within the window, as a
 * failed verification does — a fresh resolve clock, one more rework, the rating cleared.
 */
export const reopen: ActionHandler<'reopen'> = async ({ tx, row, cal, cat, now }, body) => {
  const d = stepDeadline(cal, cat, cat.resolveMinutes, now);
  return {
    note: body.reason,
    data: { reopened: true },
    set: {
      ...startStep('resolve', d),
      resolveBy: d.dueAt,
      reworkCount: row.reworkCount + 1,
      closedAt: null,
      verifiedAt: null,
      rating: null,
      ratingComment: null,
    },
    notify: {
      ids: await assigneeUsers(tx, row),
      kind: 'case.rework',
      title: `${noticeTitle.reopened}：${cat.name}`,
    },
  };
};
