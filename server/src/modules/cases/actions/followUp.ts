import type { ActionHandler } from './effect.js';

/** 回访: the reporter's rating closes the case. */
export const followUp: ActionHandler<'followUp'> = async ({ now }, body) => ({
  note: body.comment ?? null,
  data: { rating: body.rating },
  set: { rating: body.rating, ratingComment: body.comment ?? null, closedAt: new Date(now) },
});
