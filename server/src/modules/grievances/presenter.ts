import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type { GrievanceDetail } from '@civicgrid/core/api/grievances';
import { deadlineState } from '@civicgrid/core/grievances/clock';
import type { GrievanceAction } from '@civicgrid/core/grievances/stateMachine';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { GrievanceRow } from './policy.js';
import type { grievanceEvents } from './tables.js';

type EventRow = typeof grievanceEvents.$inferSelect;

/** The deadline now running and how it stands on `today`. */
function runningDeadline(r: GrievanceRow, today: string) {
  if (r.dueStep === null || r.dueOn === null || r.warnOn === null) return null;
  return {
    step: r.dueStep,
    due: r.dueOn,
    warn: r.warnOn,
    state: deadlineState({ due: r.dueOn, warn: r.warnOn }, today),
  };
}

/** The list row: the person's name only — the ID number never leaves in a list. */
export function presentSummary(r: GrievanceRow, today: string) {
  return {
    id: r.id,
    code: r.code,
    channel: r.channel,
    subject: r.subject,
    status: r.status,
    personName: r.personName,
    orgUnitId: r.orgUnitId,
    handlingUnitId: r.handlingUnitId,
    departmentId: r.departmentId,
    receivedOn: r.receivedOn,
    deadline: runningDeadline(r, today),
    createdAt: r.createdAt.toISOString(),
  };
}

const step = (due: string | null, doneOn: string | null) => ({
  due,
  doneOn,
  late: due !== null && doneOn !== null && doneOn > due,
});

/** The detail: ID number and phone masked always (nobody needs them whole to answer). */
export function presentDetail(
  r: GrievanceRow,
  events: (EventRow & { actorName: string | null })[],
  allowed: GrievanceAction[],
  crypto: FieldCrypto,
  today: string,
): GrievanceDetail {
  return {
    ...presentSummary(r, today),
    content: r.content,
    personIdNumber: r.personIdEnc ? maskIdNumber(crypto.decrypt(r.personIdEnc)) : null,
    personPhone: r.personPhoneEnc ? maskPhone(crypto.decrypt(r.personPhoneEnc)) : null,
    steps: {
      acknowledge: step(r.acknowledgeBy, r.acknowledgedOn),
      answer: step(r.answerBy, r.answeredOn),
      reviewRequest: step(r.reviewRequestBy, r.reviewRequestedOn),
      reviewAnswer: step(r.reviewAnswerBy, r.reviewedOn),
    },
    extension:
      r.extensionDays !== null && r.extendedOn !== null
        ? { days: r.extensionDays, reason: r.extensionReason ?? '', on: r.extendedOn }
        : null,
    opinion: r.opinion,
    reviewOpinion: r.reviewOpinion,
    satisfaction: r.satisfaction,
    events: events.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName: e.actorName,
      note: e.note,
      at: e.at.toISOString(),
    })),
    allowedActions: allowed,
  };
}
