import type { ActionHandler } from './effect.js';

/** 回访 by the reporter from the portal: their rating closes the case, as a staff follow-up does. */
export const rate: ActionHandler<'rate'> = async ({ now }, body) => ({
  note: body.comment ?? null,
  data: { rating: body.rating },
  set: { rating: body.rating, ratingComment: body.comment ?? null, closedAt: new Date(now) },
});
