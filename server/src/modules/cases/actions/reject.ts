import { type ActionHandler, endSteps } from './effect.js';

/** 不予受理: the case ends, and a reporter who left a phone is told why. */
export const reject: ActionHandler<'reject'> = async ({ row, now }, body) => ({
  note: body.reason,
  set: { ...endSteps, closedAt: new Date(now) },
  sms: row.reporterPhoneEnc
    ? [{ phoneEnc: row.reporterPhoneEnc, text: `您反映的问题（${row.code}）不予受理：${body.reason}` }]
    : [],
});
