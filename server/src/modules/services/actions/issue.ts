import type { ActionHandler } from './effect.js';

/** 出件: the result goes out at the window; the application is done (办结) from now. */
export const issue: ActionHandler<'issue'> = ({ now }, body) => ({
  note: body.note ?? null,
  set: { completedAt: new Date(now) },
});
