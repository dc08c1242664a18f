import type { ActionHandler } from './effect.js';

/** 审批通过: the back office decides; the window then issues the result. */
export const approve: ActionHandler<'approve'> = (_ctx, body) => ({
  note: body.result ?? null,
  set: { result: body.result ?? null },
});
