import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type { DisputeDetail, DisputeSummary, Reception } from '@civicgrid/core/api/disputes';
import type { DisputeAction } from '@civicgrid/core/disputes/stateMachine';
import { disputeClockStates } from '@civicgrid/core/disputes/stateMachine';
import { disputeOverdue } from '@civicgrid/core/disputes/timeLimit';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { DisputeRow } from './policy.js';
import type { disputeEvents, disputeParties, receptions } from './tables.js';

type PartyRow = typeof disputeParties.$inferSelect;
type EventRow = typeof disputeEvents.$inferSelect;
type ReceptionRow = typeof receptions.$inferSelect;

export interface Names {
  mediatorName: string | null;
  committeeName: string | null;
}

export function presentSummary(
  r: DisputeRow,
  parties: PartyRow[],
  names: Names,
  now = Date.now(),
): DisputeSummary {
  const sorted = [...parties].sort((a, b) => a.position - b.position);
  return {
    id: r.id,
    code: r.code,
    type: r.type,
    status: r.status,
    riskLevel: r.riskLevel,
    source: r.source,
    applicants: sorted.filter((p) => p.role === 'applicant').map((p) => p.name),
    respondents: sorted.filter((p) => p.role === 'respondent').map((p) => p.name),
    orgUnitId: r.orgUnitId,
    gridId: r.gridId,
    mediatorName: names.mediatorName,
    committeeName: names.committeeName,
    deadline: r.deadline,
    overdue:
      disputeClockStates.includes(r.status) && r.acceptedAt !== null && disputeOverdue(r.deadline, now),
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * A party as it leaves the server: ID numbers (or credit codes) and phones masked, always —
 * the detail of a dispute is read by mediators, not by anyone entitled to reveal them.
 */
function presentParty(p: PartyRow, crypto: FieldCrypto) {
  const id = p.idEnc ? crypto.decrypt(p.idEnc) : null;
  return {
    kind: p.kind,
    name: p.name,
    idNumber: id ? maskIdNumber(id) : null,
    phone: p.phoneEnc ? maskPhone(crypto.decrypt(p.phoneEnc)) : null,
    role: p.role,
  };
}

export function presentDetail(
  r: DisputeRow,
  parties: PartyRow[],
  names: Names,
  events: (EventRow & { actorName: string | null })[],
  allowed: DisputeAction[],
  crypto: FieldCrypto,
): DisputeDetail {
  return {
    ...presentSummary(r, parties, names),
    description: r.description,
    location: r.location ?? null,
    parties: [...parties].sort((a, b) => a.position - b.position).map((p) => presentParty(p, crypto)),
    mediatorId: r.mediatorId,
    committeeId: r.committeeId,
    acceptedAt: r.acceptedAt?.toISOString() ?? null,
    sessions: r.sessions,
    agreement: r.agreement ?? null,
    failure: r.failure ?? null,
    followUps: r.followUps,
    caseId: r.caseId,
    receptionId: r.receptionId,
    events: events.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName: e.actorName,
      note: e.note,
      data: e.data ?? null,
      at: e.at.toISOString(),
    })),
    allowedActions: allowed,
  };
}

export function presentReception(
  r: ReceptionRow,
  receivedByName: string | null,
  crypto: FieldCrypto,
): Reception {
  return {
    id: r.id,
    number: r.number,
    visitorName: r.visitorName,
    idNumber: r.idEnc ? maskIdNumber(crypto.decrypt(r.idEnc)) : null,
    phone: r.phoneEnc ? maskPhone(crypto.decrypt(r.phoneEnc)) : null,
    residentId: r.residentId,
    matter: r.matter,
    route: r.route,
    answer: r.answer,
    status: r.status,
    disputeId: r.disputeId,
    caseId: r.caseId,
    grievanceId: r.grievanceId,
    receivedByName,
    visitedAt: r.visitedAt.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
  };
}
