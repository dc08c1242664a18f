import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPermission } from '../permissions.js';
import {
  type CaseAction,
  type CaseState,
  caseActions,
  caseStates,
  finalStates,
  nextState,
  transitions,
} from './stateMachine.js';

const action = fc.constantFrom(...caseActions);
const outcome = fc.boolean().map((passed) => ({ passed }));
const walk = fc.array(fc.tuple(action, outcome), { maxLength: 40 });

/** Applies the actions that are possible, skipping the rest; returns the states visited. */
function run(steps: [CaseAction, { passed: boolean }][]): { states: CaseState[]; actions: CaseAction[] } {
  let s: CaseState = 'reported';
  const states: CaseState[] = [s];
  const actions: CaseAction[] = [];
  for (const [a, o] of steps) {
    const n = nextState(a, s, o);
    if (n === null) continue;
    s = n;
    states.push(s);
    actions.push(a);
  }
  return { states, actions };
}

describe('case state machine', () => {
  it('every action has a known permission', () => {
    for (const a of caseActions) expect(isPermission(transitions[a].permission), a).toBe(true);
  });

  // One way out of a final state: the reporter's 没修好 within the reopen window sends a closed
  // case back to rework (its guards, reporter and window, are checked by the policy).
  it('closed, rejected, cancelled and merged are final, but for the reporter reopening a closed case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...finalStates), action, outcome, (s, a, o) => {
        expect(nextState(a, s, o)).toBe(s === 'closed' && a === 'reopen' ? 'rework' : null);
      }),
      { numRuns: 500 },
    );
    expect(nextState('reopen', 'closed')).toBe('rework');
    expect(transitions.reopen.guards).toEqual(expect.arrayContaining(['reporter', 'reopenWindow']));
  });

  it('no path reaches closed without a passed verification', () => {
    fc.assert(
      fc.property(walk, (steps) => {
        const { states } = run(steps);
        const closedAt = states.indexOf('closed');
        if (closedAt >= 0) expect(states.slice(0, closedAt)).toContain('verified');
      }),
    );
  });

  it('every non-final state can still reach closed', () => {
    for (const s of caseStates.filter((x) => !finalStates.includes(x))) {
      const seen = new Set<CaseState>([s]);
      const queue = [s];
      while (queue.length) {
        const cur = queue.shift() as CaseState;
        for (const a of caseActions) {
          for (const passed of [true, false]) {
            const n = nextState(a, cur, { passed });
            if (n && !seen.has(n)) {
              seen.add(n);
              queue.push(n);
            }
          }
        }
      }
      expect(seen.has('closed'), s).toBe(true);
    }
  });

  it('a failed verification sends the case to rework, a passed one to verified', () => {
    expect(nextState('verify', 'resolved', { passed: false })).toBe('rework');
    expect(nextState('verify', 'resolved', { passed: true })).toBe('verified');
  });

  it('escalation keeps a reported case reported and puts others back to dispatch', () => {
    expect(nextState('escalate', 'reported')).toBe('reported');
    expect(nextState('escalate', 'in_progress')).toBe('accepted');
    expect(nextState('escalate', 'resolved')).toBeNull();
  });

  it('改类 only before dispatch, and it leaves the state as it is', () => {
    for (const st of caseStates) {
      const n = nextState('recategorise', st);
      if (st === 'reported' || st === 'accepted') expect(n, st).toBe(st);
      else expect(n, st).toBeNull();
    }
    expect(transitions.recategorise).toMatchObject({
      permission: 'case:dispatch',
      guards: ['handlingLevel'],
    });
  });
});
