import { type ActionHandler, stopped } from './effect.js';

/** 办结: the person's satisfaction with the answer (or the review) is recorded. */
export const close: ActionHandler<'close'> = ({ today }, body) => ({
  note: body.note ?? null,
  data: { satisfaction: body.satisfaction },
  set: { satisfaction: body.satisfaction, closedOn: today, ...stopped },
});
