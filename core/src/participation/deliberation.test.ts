import { describe, expect, it } from 'vitest';
import {
  defaultVoteRules,
  deliberationSteps,
  deliberationTransitions,
  isQuorate,
  judgeVote,
  meetingProblem,
  nextDeliberationState,
  quorumOf,
  type VoteRules,
  voteRulesProblem,
  votesNeeded,
} from './deliberation.js';

describe('the five steps', () => {
  it('run proposed → convened → adopted → implemented → reviewed → published', () => {
    let s = nextDeliberationState('convene', 'proposed');
    expect(s).toBe('convened');
    s = nextDeliberationState('vote', 'convened', true);
    expect(s).toBe('adopted');
    s = nextDeliberationState('implement', 'adopted');
    expect(s).toBe('implemented');
    s = nextDeliberationState('review', 'implemented', true);
    expect(s).toBe('reviewed');
    expect(nextDeliberationState('publish', 'reviewed')).toBe('published');
  });

  it('a failed vote rejects, a failed review sends it back to be implemented, and both can still be published or redone', () => {
    expect(nextDeliberationState('vote', 'convened', false)).toBe('rejected');
    expect(nextDeliberationState('publish', 'rejected')).toBe('published');
    expect(nextDeliberationState('review', 'implemented', false)).toBe('adopted');
    expect(nextDeliberationState('implement', 'adopted')).toBe('implemented');
  });

  it('refuses steps out of order and anything after publishing', () => {
    expect(nextDeliberationState('vote', 'proposed')).toBeNull();
    expect(nextDeliberationState('implement', 'convened')).toBeNull();
    expect(nextDeliberationState('publish', 'implemented')).toBeNull();
    for (const step of deliberationSteps) expect(nextDeliberationState(step, 'published')).toBeNull();
  });

  it('the review is the department’s permission, every other step the committee’s', () => {
    expect(deliberationTransitions.review.permission).toBe('deliberation:review');
    for (const step of deliberationSteps.filter((s) => s !== 'review'))
      expect(deliberationTransitions[step].permission).toBe('deliberation:manage');
  });
});

describe('quorum (default: two thirds of the representatives)', () => {
  it('is exactly two thirds, rounded up', () => {
    expect(quorumOf(defaultVoteRules, 30)).toBe(20);
    expect(quorumOf(defaultVoteRules, 31)).toBe(21);
    expect(quorumOf(defaultVoteRules, 1)).toBe(1);
    expect(isQuorate(defaultVoteRules, { representatives: 30, attendees: 20 })).toBe(true);
    expect(isQuorate(defaultVoteRules, { representatives: 30, attendees: 19 })).toBe(false);
    expect(isQuorate(defaultVoteRules, { representatives: 31, attendees: 20 })).toBe(false);
  });
});

describe('majority (default: more than half of those present)', () => {
  it('needs strictly more than half', () => {
    expect(votesNeeded(defaultVoteRules, { representatives: 30, attendees: 20 })).toBe(11);
    expect(votesNeeded(defaultVoteRules, { representatives: 30, attendees: 21 })).toBe(11);
    const m = { representatives: 30, attendees: 20 };
    expect(judgeVote(defaultVoteRules, m, { for: 11, against: 9, abstain: 0 })).toEqual({
      kind: 'decided',
      passed: true,
      needed: 11,
    });
    // A tie does not pass; abstentions count against, as they are part of those present.
    expect(judgeVote(defaultVoteRules, m, { for: 10, against: 10, abstain: 0 })).toMatchObject({
      passed: false,
    });
    expect(judgeVote(defaultVoteRules, m, { for: 10, against: 2, abstain: 8 })).toMatchObject({
      passed: false,
    });
  });

  it('can be a share of all representatives instead, and another share', () => {
    const rules: VoteRules = {
      quorum: { numerator: 1, denominator: 2 },
      majority: { numerator: 2, denominator: 3 },
      majorityOf: 'representatives',
    };
    const m = { representatives: 30, attendees: 16 };
    expect(votesNeeded(rules, m)).toBe(21);
    expect(judgeVote(rules, m, { for: 16, against: 0, abstain: 0 })).toMatchObject({ passed: false });
    expect(
      judgeVote(rules, { representatives: 30, attendees: 25 }, { for: 21, against: 4, abstain: 0 }),
    ).toMatchObject({ passed: true });
  });
});

describe('a vote that cannot count', () => {
  it('below quorum decides nothing, whatever the ballots', () => {
    const v = judgeVote(
      defaultVoteRules,
      { representatives: 30, attendees: 12 },
      { for: 12, against: 0, abstain: 0 },
    );
    expect(v).toEqual({ kind: 'belowQuorum', quorum: 20, attendees: 12 });
  });

  it('more ballots than people present is refused first, naming the count that tipped it over', () => {
    const m = { representatives: 30, attendees: 20 };
    expect(judgeVote(defaultVoteRules, m, { for: 15, against: 4, abstain: 2 })).toMatchObject({
      kind: 'overCount',
      field: 'abstain',
      cast: 21,
    });
    expect(judgeVote(defaultVoteRules, m, { for: 21, against: 0, abstain: 0 })).toMatchObject({
      kind: 'overCount',
      field: 'for',
    });
    // Over-count is a bad input (400), even at a meeting short of quorum.
    expect(
      judgeVote(defaultVoteRules, { representatives: 30, attendees: 5 }, { for: 3, against: 3, abstain: 0 }),
    ).toMatchObject({ kind: 'overCount', field: 'against' });
  });

  it('attendance larger than the body, or a body of none, is refused naming the field', () => {
    expect(meetingProblem({ representatives: 30, attendees: 31 })).toEqual({
      field: 'attendees',
      rule: 'atMostRepresentatives',
    });
    expect(meetingProblem({ representatives: 0, attendees: 0 })?.field).toBe('representatives');
    expect(meetingProblem({ representatives: 30, attendees: 0 })).toBeNull();
  });
});

describe('rule sets', () => {
  it('accept the defaults and refuse shares outside (0, 1] or a majority of all', () => {
    expect(voteRulesProblem(defaultVoteRules)).toBeNull();
    expect(voteRulesProblem({ ...defaultVoteRules, quorum: { numerator: 4, denominator: 3 } })).toBe(
      'quorum',
    );
    expect(voteRulesProblem({ ...defaultVoteRules, quorum: { numerator: 1, denominator: 0 } })).toBe(
      'quorum',
    );
    expect(voteRulesProblem({ ...defaultVoteRules, majority: { numerator: 1, denominator: 1 } })).toBe(
      'majority',
    );
  });
});
