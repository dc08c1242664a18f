import { maskPhone } from '@civicgrid/core';
import type { DeliberationDetail, DeliberationSummary } from '@civicgrid/core/api/deliberations';
import type { Activity, Volunteer } from '@civicgrid/core/api/volunteers';
import type { WishDetail, WishSummary } from '@civicgrid/core/api/wishes';
import {
  type DeliberationStep,
  isQuorate,
  quorumOf,
  votesNeeded,
} from '@civicgrid/core/participation/deliberation';
import { hoursOf } from '@civicgrid/core/participation/volunteers';
import type { WishAction } from '@civicgrid/core/participation/wishes';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { ActivityRow, DeliberationRow, VolunteerRow, WishRow } from './policy.js';

/** The names a wish is shown with, looked up once per reply. */
export interface WishNames {
  grid: Map<number, { gridName: string; communityName: string }>;
  user: Map<string, string>;
  resident: Map<string, string>;
}

/**
 * A wish as the actor may see it. Whom it is for is staff's business (wish:read): a volunteer
 * learns what is wished and in which grid, and meets the resident through the grid worker.
 */
export function presentWish(row: WishRow, names: WishNames, staff: boolean): WishSummary {
  const g = names.grid.get(row.gridId);
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    gridId: row.gridId,
    gridName: g?.gridName ?? '',
    communityName: g?.communityName ?? '',
    forResidentName: staff && row.forResidentId ? (names.resident.get(row.forResidentId) ?? null) : null,
    claimedByName: row.claimedBy ? (names.user.get(row.claimedBy) ?? null) : null,
    rating: row.rating,
    escalated: row.escalatedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentWishDetail(
  row: WishRow,
  names: WishNames,
  staff: boolean,
  events: WishDetail['events'],
  allowed: WishAction[],
): WishDetail {
  return {
    ...presentWish(row, names, staff),
    description: row.description,
    postedByName: names.user.get(row.postedBy) ?? null,
    fulfilNote: row.fulfilNote,
    fileIds: row.fileIds,
    ratingComment: row.ratingComment,
    events,
    allowedActions: allowed,
  };
}

/** The names a deliberation is shown with, looked up once per reply. */
export interface DeliberationNames {
  unit: Map<number, string>;
  department: Map<number, string>;
  user: Map<string, string>;
}

export function presentDeliberation(row: DeliberationRow, names: DeliberationNames): DeliberationSummary {
  const m =
    row.representatives !== null && row.attendees !== null
      ? { representatives: row.representatives, attendees: row.attendees }
      : null;
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    orgUnitId: row.orgUnitId,
    orgUnitName: names.unit.get(row.orgUnitId) ?? '',
    reviewDepartmentName:
      row.reviewDepartmentId !== null ? (names.department.get(row.reviewDepartmentId) ?? null) : null,
    meeting:
      m && row.meetingAt
        ? {
            at: row.meetingAt.toISOString(),
            ...m,
            quorum: quorumOf(row.rules, m.representatives),
            quorate: isQuorate(row.rules, m),
            place: row.meetingPlace,
          }
        : null,
    vote:
      m && row.votesFor !== null
        ? {
            for: row.votesFor,
            against: row.votesAgainst ?? 0,
            abstain: row.votesAbstain ?? 0,
            needed: votesNeeded(row.rules, m),
            passed: row.votesFor >= votesNeeded(row.rules, m),
          }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentDeliberationDetail(
  row: DeliberationRow,
  names: DeliberationNames,
  events: DeliberationDetail['events'],
  allowed: DeliberationStep[],
): DeliberationDetail {
  return {
    ...presentDeliberation(row, names),
    proposal: row.proposal,
    proposedByName: names.user.get(row.proposedBy) ?? null,
    rules: row.rules,
    decision: row.decision,
    implementation: row.implementation,
    review: row.reviewPassed !== null ? { passed: row.reviewPassed, note: row.reviewNote ?? '' } : null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    events,
    allowedActions: allowed,
  };
}

/** A volunteer as staff and he himself see him: the phone always masked, the hours credited. */
export function presentVolunteer(
  row: VolunteerRow,
  crypto: FieldCrypto,
  unitName: string,
  minutes: number,
): Volunteer {
  return {
    id: row.id,
    name: row.name,
    phone: maskPhone(crypto.decrypt(row.phoneEnc)),
    residentLinked: row.residentId !== null,
    skills: row.skills,
    orgUnitId: row.orgUnitId,
    orgUnitName: unitName,
    availability: row.availability,
    hasAccount: row.userId !== null,
    hours: hoursOf(minutes),
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentActivity(
  row: ActivityRow,
  unitName: string,
  counts: { signUps: number; checkedIn: number; minutes: number },
  teamName: string | null = null,
): Activity {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    placeName: row.placeName,
    location: { lat: row.lat, lng: row.lng },
    radiusM: row.radiusM,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    orgUnitId: row.orgUnitId,
    orgUnitName: unitName,
    status: row.status,
    capacity: row.capacity,
    teamId: row.teamId,
    teamName: row.teamId ? teamName : null,
    signUps: counts.signUps,
    checkedIn: counts.checkedIn,
    hours: hoursOf(counts.minutes),
  };
}
