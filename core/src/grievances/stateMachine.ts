import type { Permission } from '../permissions.js';

/**
 * The workflow of a grievance (信访事项), as data (DESIGN.md §2), after the 信访工作条例:
 *
 * registered ─accept→ accepted ─answer→ answered ─requestReview→ reviewRequested ─review→ reviewed
 *     │                 │ extend (once)     │                                                │
 *     └decline→ declined                    └────────────── close (satisfaction) ←───────────┘
 *
 * accept/decline are the 告知 (within 15 days: accepted or not, and who handles it); answer is
 * the 处理意见书 (within 60 days, +30 once); a review is asked within 30 days of the answer
 * and answered within 30. A grievance is a request to be answered: nothing here follows the
 * person (DESIGN.md §6).
 */
export const grievanceStates = [
  'registered',
  'accepted',
  'declined',
  'answered',
  'reviewRequested',
  'reviewed',
  'closed',
] as const;
export type GrievanceState = (typeof grievanceStates)[number];
export const grievanceFinalStates: readonly GrievanceState[] = ['declined', 'closed'];

export const grievanceActions = [
  'accept',
  'decline',
  'extend',
  'answer',
  'requestReview',
  'review',
  'close',
] as const;
export type GrievanceAction = (typeof grievanceActions)[number];

export interface GrievanceTransition {
  from: readonly GrievanceState[];
  to: GrievanceState | 'same';
  permission: Permission;
}

export const grievanceTransitions: Record<GrievanceAction, GrievanceTransition> = {
  accept: { from: ['registered'], to: 'accepted', permission: 'grievance:handle' },
  decline: { from: ['registered'], to: 'declined', permission: 'grievance:handle' },
  extend: { from: ['accepted'], to: 'same', permission: 'grievance:handle' },
  answer: { from: ['accepted'], to: 'answered', permission: 'grievance:handle' },
  // The person's request, recorded by the office that receives it (a letter, a visit).
  requestReview: { from: ['answered'], to: 'reviewRequested', permission: 'grievance:intake' },
  review: { from: ['reviewRequested'], to: 'reviewed', permission: 'grievance:handle' },
  close: { from: ['answered', 'reviewed'], to: 'closed', permission: 'grievance:handle' },
};

export function nextGrievanceState(action: GrievanceAction, from: GrievanceState): GrievanceState | null {
  const t = grievanceTransitions[action];
  if (!t.from.includes(from)) return null;
  return t.to === 'same' ? from : t.to;
}

export const grievanceStateNames: Record<GrievanceState, { zh: string; en: string }> = {
  registered: { zh: '待告知', en: 'Registered' },
  accepted: { zh: '办理中', en: 'Accepted' },
  declined: { zh: '不予受理', en: 'Not accepted' },
  answered: { zh: '已答复', en: 'Answered' },
  reviewRequested: { zh: '复查中', en: 'Under review' },
  reviewed: { zh: '已复查', en: 'Reviewed' },
  closed: { zh: '已办结', en: 'Closed' },
};

export const grievanceChannels = ['letter', 'visit', 'phone', 'online'] as const;
export type GrievanceChannel = (typeof grievanceChannels)[number];
export const grievanceChannelNames: Record<GrievanceChannel, string> = {
  letter: '来信',
  visit: '来访',
  phone: '来电',
  online: '网上信访',
};

export const satisfactionLevels = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export const satisfactionNames: Record<(typeof satisfactionLevels)[number], string> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
};
