import type { ActionHandler } from './effect.js';

/** 不予办理, with the reason the applicant is told; the application ends. */
export const reject: ActionHandler<'reject'> = ({ now }, body) => ({
  note: body.reason,
  set: { result: body.reason, completedAt: new Date(now) },
});
