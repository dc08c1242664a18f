import { type ActionHandler, stopped } from './effect.js';

/** 复查意见: written within 30 days of the request; the first answer upheld or changed. */
export const review: ActionHandler<'review'> = ({ today }, body) => ({
  data: { upheld: body.upheld },
  set: { reviewOpinion: body.opinion, reviewUpheld: body.upheld, reviewedOn: today, ...stopped },
});
