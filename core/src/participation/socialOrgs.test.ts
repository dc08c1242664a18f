import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../ids/creditCode.js';
import {
  creditCodePrefixOf,
  incubationStepAllowed,
  nextSocialProjectState,
  overBudget,
  socialProjectActions,
  socialProjectTransitions,
  yuan,
} from './socialOrgs.js';

describe('公益创投 project states', () => {
  it('run 申报 → 立项 → 实施中 → 结项', () => {
    expect(nextSocialProjectState('approve', 'applied')).toBe('approved');
    expect(nextSocialProjectState('start', 'approved')).toBe('inProgress');
    expect(nextSocialProjectState('complete', 'inProgress')).toBe('completed');
  });

  it('terminate from any open state, and nothing after the end', () => {
    for (const s of ['applied', 'approved', 'inProgress'] as const)
      expect(nextSocialProjectState('terminate', s)).toBe('terminated');
    for (const end of ['completed', 'terminated'] as const)
      for (const a of socialProjectActions) expect(nextSocialProjectState(a, end)).toBeNull();
    expect(nextSocialProjectState('complete', 'approved')).toBeNull();
    expect(nextSocialProjectState('start', 'applied')).toBeNull();
  });

  it('gives 立项、结项、终止 to the buyer and 实施 to those who manage it', () => {
    expect(socialProjectTransitions.approve.permission).toBe('socialOrg:fund');
    expect(socialProjectTransitions.complete.permission).toBe('socialOrg:fund');
    expect(socialProjectTransitions.terminate.permission).toBe('socialOrg:fund');
    expect(socialProjectTransitions.start.permission).toBe('socialOrg:manage');
  });
});

describe('incubation', () => {
  it('starts with 入驻孵化 and only moves forward, skipping allowed, never repeated', () => {
    expect(incubationStepAllowed(null, 'incubating')).toBe(true);
    expect(incubationStepAllowed(null, 'nurturing')).toBe(false);
    expect(incubationStepAllowed('incubating', 'nurturing')).toBe(true);
    expect(incubationStepAllowed('incubating', 'graduated')).toBe(true);
    expect(incubationStepAllowed('nurturing', 'nurturing')).toBe(false);
    expect(incubationStepAllowed('graduated', 'incubating')).toBe(false);
  });
});

describe('budget', () => {
  it('lets spending reach the budget exactly, and says what is left past it', () => {
    expect(overBudget(10_000, 4_000, 6_000)).toBeNull();
    expect(overBudget(10_000, 4_000, 6_001)).toBe(6_000);
    expect(yuan(2_630_000)).toBe('26300.00');
  });
});

describe('credit codes of social organizations (GB 32100)', () => {
  it('are registered by civil affairs (5) as 社会团体 51, 民办非企业 52, 基金会 53; a filed group has none', () => {
    for (const [type, prefix] of Object.entries(creditCodePrefixOf)) {
      if (prefix === null) {
        expect(type).toBe('communityBased');
        continue;
      }
      const body = `${prefix}150203MJ0000001`;
      expect(isValidCreditCode(body + creditCodeCheckChar(body))).toBe(true);
    }
  });
});
