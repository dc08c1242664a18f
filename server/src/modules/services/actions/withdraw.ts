import type { ActionHandler } from './effect.js';

/** 撤回: the applicant no longer wants it; the clock stops for good. */
export const withdraw: ActionHandler<'withdraw'> = (_ctx, body) => ({
  note: body.reason ?? null,
  set: { pausedAt: null },
});
