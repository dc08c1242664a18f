import type { ActionHandler } from './effect.js';

/** 结案 without a follow-up call (no reporter to ask). */
export const close: ActionHandler<'close'> = async ({ now }, body) => ({
  note: body.note ?? null,
  set: { closedAt: new Date(now) },
});
