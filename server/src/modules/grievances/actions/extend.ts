import { answerDeadline, extensionRefusal, maxExtensionDays } from '@civicgrid/core/grievances/clock';
import { fieldError } from '../../../platform/errors.js';
import { type ActionHandler, running } from './effect.js';

/**
 * 延期: a complicated matter's 60 days extended once, by at most 30 days, with the reason
 * told to the person (the notice's channel is recorded). The policy refuses a second one (409).
 */
export const extend: ActionHandler<'extend'> = ({ row, cal, today }, body) => {
  const refused = extensionRefusal(row.extensionDays !== null, body.days);
  if (refused)
    throw fieldError('days', refused === 'tooLong' ? 'max' : 'min', 'GRIEVANCE_EXTENSION_TOO_LONG', {
      max: maxExtensionDays,
    });
  const due = answerDeadline(cal, row.acknowledgedOn ?? row.receivedOn, body.days);
  return {
    note: body.reason,
    data: { days: body.days, noticeBy: body.noticeBy, answerBy: due.due },
    set: {
      extensionDays: body.days,
      extensionReason: body.reason,
      extendedOn: today,
      answerBy: due.due,
      ...running('answer', due),
    },
  };
};
