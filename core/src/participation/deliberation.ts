import type { Permission } from '../permissions.js';

/**
 * 五步民主议事 (seed 000) as data (DESIGN.md §2): 党支部提出建议 → 居民代表开会决定 → 居委会抓落实
 * → 职能部门审查指导 → 居民群众全程监督.
 *
 * proposed ─convene→ convened ─vote→ adopted ─implement→ implemented ─review(passed)→ reviewed ─publish→ published
 *                       │ ↺ convene        └─vote (no majority)→ rejected ─publish→ published
 *                       (re-held when short of quorum)      review(not passed) → adopted (implement again)
 *
 * The meeting (convene) records how many representatives there are and how many came; a vote
 * is taken only at a quorate meeting, and decides by the majority rule. Both rules are the
 * deliberation's own (set when it is proposed), with the defaults below.
 */
export const deliberationStates = [
  'proposed',
  'convened',
  'adopted',
  'rejected',
  'implemented',
  'reviewed',
  'published',
] as const;
export type DeliberationState = (typeof deliberationStates)[number];

export const deliberationSteps = ['convene', 'vote', 'implement', 'review', 'publish'] as const;
export type DeliberationStep = (typeof deliberationSteps)[number];

export interface DeliberationTransition {
  from: readonly DeliberationState[];
  /** The state after the step; a step with two outcomes names both (passed, failed). */
  to: DeliberationState | { passed: DeliberationState; failed: DeliberationState };
  permission: Permission;
}

export const deliberationTransitions: Record<DeliberationStep, DeliberationTransition> = {
  // 居民代表开会: held again while it has not voted (the first meeting was short of quorum).
  convene: { from: ['proposed', 'convened'], to: 'convened', permission: 'deliberation:manage' },
  // 开会决定: adopted by the majority rule, or rejected.
  vote: {
    from: ['convened'],
    to: { passed: 'adopted', failed: 'rejected' },
    permission: 'deliberation:manage',
  },
  // 居委会抓落实: again after a review that did not pass.
  implement: { from: ['adopted'], to: 'implemented', permission: 'deliberation:manage' },
  // 职能部门审查指导: passed, or sent back to be implemented again.
  review: {
    from: ['implemented'],
    to: { passed: 'reviewed', failed: 'adopted' },
    permission: 'deliberation:review',
  },
  // 居民群众全程监督: the outcome goes on the public page — a rejected proposal's too.
  publish: { from: ['reviewed', 'rejected'], to: 'published', permission: 'deliberation:manage' },
};

/** The state a step leads to from `from` (with its outcome when it has two), or null when not allowed. */
export function nextDeliberationState(
  step: DeliberationStep,
  from: DeliberationState,
  passed = true,
): DeliberationState | null {
  const t = deliberationTransitions[step];
  if (!t.from.includes(from)) return null;
  return typeof t.to === 'string' ? t.to : passed ? t.to.passed : t.to.failed;
}

/** A share as a fraction of whole numbers, so 2/3 of 30 is exactly 20. */
export interface Fraction {
  numerator: number;
  denominator: number;
}

/**
 * The rules of one deliberation's vote.
 * - quorum: at least this share of all representatives must attend (at least, ≥);
 * - majority: more than this share (strictly, >) of `majorityOf` must vote for.
 */
export interface VoteRules {
  quorum: Fraction;
  majority: Fraction;
  majorityOf: 'attendees' | 'representatives';
}

/**
 * 居民代表会议 is quorate with two thirds of the representatives, and decides by more than half
 * of those present (the rule of most 居民代表会议 statutes under the 城市居民委员会组织法).
 */
export const defaultVoteRules: VoteRules = {
  quorum: { numerator: 2, denominator: 3 },
  majority: { numerator: 1, denominator: 2 },
  majorityOf: 'attendees',
};

/** The fewest attendees that make a quorum of `representatives`. */
export function quorumOf(rules: VoteRules, representatives: number): number {
  const { numerator, denominator } = rules.quorum;
  return Math.ceil((numerator * representatives) / denominator);
}

export function isQuorate(rules: VoteRules, meeting: Meeting): boolean {
  const { numerator, denominator } = rules.quorum;
  return meeting.attendees * denominator >= numerator * meeting.representatives;
}

/** The fewest votes for that pass, by the majority rule. */
export function votesNeeded(rules: VoteRules, meeting: Meeting): number {
  const base = rules.majorityOf === 'attendees' ? meeting.attendees : meeting.representatives;
  const { numerator, denominator } = rules.majority;
  return Math.floor((numerator * base) / denominator) + 1;
}

export interface Meeting {
  representatives: number;
  attendees: number;
}

export interface Votes {
  for: number;
  against: number;
  abstain: number;
}

/** Why a meeting's attendance cannot be recorded: the field at fault. */
export function meetingProblem(m: Meeting): { field: 'attendees' | 'representatives'; rule: string } | null {
  if (!Number.isInteger(m.representatives) || m.representatives < 1)
    return { field: 'representatives', rule: 'positive' };
  if (!Number.isInteger(m.attendees) || m.attendees < 0) return { field: 'attendees', rule: 'nonNegative' };
  if (m.attendees > m.representatives) return { field: 'attendees', rule: 'atMostRepresentatives' };
  return null;
}

export type VoteVerdict =
  | { kind: 'overCount'; field: 'for' | 'against' | 'abstain'; cast: number; attendees: number }
  | { kind: 'belowQuorum'; quorum: number; attendees: number }
  | { kind: 'decided'; passed: boolean; needed: number };

/**
 * The verdict of a vote at a meeting: ballots cannot outnumber those present (the field named
 * is the last non-zero count, the one that tipped the sum over); a meeting short of quorum
 * decides nothing; otherwise the majority rule decides.
 */
export function judgeVote(rules: VoteRules, meeting: Meeting, votes: Votes): VoteVerdict {
  const cast = votes.for + votes.against + votes.abstain;
  if (cast > meeting.attendees) {
    const field = votes.abstain > 0 ? 'abstain' : votes.against > 0 ? 'against' : 'for';
    return { kind: 'overCount', field, cast, attendees: meeting.attendees };
  }
  if (!isQuorate(rules, meeting))
    return {
      kind: 'belowQuorum',
      quorum: quorumOf(rules, meeting.representatives),
      attendees: meeting.attendees,
    };
  const needed = votesNeeded(rules, meeting);
  return { kind: 'decided', passed: votes.for >= needed, needed };
}

/** Whether a rule set makes sense: shares between 0 and 1, whole numbers. */
export function voteRulesProblem(rules: VoteRules): 'quorum' | 'majority' | null {
  const bad = (f: Fraction) =>
    !Number.isInteger(f.numerator) ||
    !Number.isInteger(f.denominator) ||
    f.denominator < 1 ||
    f.numerator < 1 ||
    f.numerator > f.denominator;
  if (bad(rules.quorum)) return 'quorum';
  // "More than all" could never pass.
  if (bad(rules.majority) || rules.majority.numerator === rules.majority.denominator) return 'majority';
  return null;
}

export const deliberationStateNames: Record<DeliberationState, { zh: string; en: string }> = {
  proposed: { zh: '已提议', en: 'Proposed' },
  convened: { zh: '已开会', en: 'Meeting held' },
  adopted: { zh: '已通过', en: 'Adopted' },
  rejected: { zh: '未通过', en: 'Rejected' },
  implemented: { zh: '已落实', en: 'Implemented' },
  reviewed: { zh: '已审查', en: 'Reviewed' },
  published: { zh: '已公开', en: 'Published' },
};
