import { reviewAnswerDeadline, reviewInTime, reviewRequestDeadline } from '@civicgrid/core/grievances/clock';
import { fieldError } from '../../../platform/errors.js';
import { type ActionHandler, running } from './effect.js';

/**
 * 请求复查: the person asks, within 30 days of the answer, for the matter to be looked at
 * again; the day of the request (a letter's postmark) may be before today. Too late is 409.
 */
export const requestReview: ActionHandler<'requestReview'> = ({ row, cal, today }, body) => {
  const answeredOn = row.answeredOn ?? today;
  const on = body.requestedOn ?? today;
  if (on > today || on < answeredOn) throw fieldError('requestedOn', 'range', 'GRIEVANCE_REVIEW_DATE_FUTURE');
  if (!reviewInTime(cal, answeredOn, on)) {
    const due = reviewRequestDeadline(cal, answeredOn).due;
    throw fieldError('requestedOn', 'deadline', 'GRIEVANCE_REVIEW_TOO_LATE', { due });
  }
  const due = reviewAnswerDeadline(cal, on);
  return {
    note: body.reason,
    data: { requestedOn: on },
    set: {
      reviewRequestedOn: on,
      reviewReason: body.reason,
      reviewAnswerBy: due.due,
      ...running('reviewAnswer', due),
    },
  };
};
