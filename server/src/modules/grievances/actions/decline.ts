import { type ActionHandler, stopped } from './effect.js';

/** 告知不予受理: the person is told, with the reason, that it is not accepted (within 15 days). */
export const decline: ActionHandler<'decline'> = ({ today }, body) => ({
  note: body.reason,
  set: { acknowledgedOn: today, ...stopped },
});
