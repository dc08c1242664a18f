import { reviewRequestDeadline } from '@civicgrid/core/grievances/clock';
import { type ActionHandler, stopped } from './effect.js';

/** 书面答复: the 处理意见书; from today the person has 30 days to ask for review. */
export const answer: ActionHandler<'answer'> = ({ cal, today }, body) => ({
  set: {
    opinion: body.opinion,
    answeredOn: today,
    reviewRequestBy: reviewRequestDeadline(cal, today).due,
    ...stopped,
  },
});
