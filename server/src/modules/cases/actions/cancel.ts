import { type ActionHandler, endSteps } from './effect.js';

/** 撤销: the case ends unresolved (a duplicate, a report made in error). */
export const cancel: ActionHandler<'cancel'> = async ({ now }, body) => ({
  note: body.reason,
  set: { ...endSteps, closedAt: new Date(now) },
});
