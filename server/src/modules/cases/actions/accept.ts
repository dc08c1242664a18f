import { type ActionHandler, startStep, stepDeadline } from './effect.js';

/** 受理: the case waits for dispatch, on the category's dispatch clock. */
export const accept: ActionHandler<'accept'> = async ({ cal, cat, now }, body) => {
  const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
  return {
    note: body.note ?? null,
    set: { ...startStep('dispatch', d), acceptedAt: new Date(now), dispatchBy: d.dueAt },
  };
};
