import type { ActionHandler } from './effect.js';

/** 不予受理 at the pre-check of an online application, with the reason the applicant is told. */
export const decline: ActionHandler<'decline'> = ({ now }, body) => ({
  note: body.reason,
  set: { result: body.reason, completedAt: new Date(now) },
});
