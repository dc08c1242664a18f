import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPermission } from '../permissions.js';
import {
  type ApplicationState,
  applicationActions,
  applicationFinalStates,
  applicationStates,
  applicationTransitions,
  nextApplicationState,
} from './stateMachine.js';

const action = fc.constantFrom(...applicationActions);

describe('application state machine', () => {
  it('every action has a known permission', () => {
    for (const a of applicationActions)
      expect(isPermission(applicationTransitions[a].permission), a).toBe(true);
  });

  it('no action leaves a final state', () => {
    fc.assert(
      fc.property(fc.constantFrom(...applicationFinalStates), action, (s, a) => {
        expect(nextApplicationState(a, s)).toBeNull();
      }),
    );
  });

  it('any walk from intake stays in known states and ends nowhere but a final state once final', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ApplicationState>('submitted', 'incomplete', 'accepted'),
        fc.array(action, { maxLength: 30 }),
        (start, steps) => {
          let s = start;
          let ended = false;
          for (const a of steps) {
            const n = nextApplicationState(a, s);
            if (n === null) continue;
            expect(ended).toBe(false);
            expect(applicationStates).toContain(n);
            s = n;
            ended = applicationFinalStates.includes(s);
          }
        },
      ),
    );
  });

  it('every open state has a way out, and every final state is reachable', () => {
    const reached = new Set<ApplicationState>();
    for (const a of applicationActions)
      for (const s of applicationStates) {
        const n = nextApplicationState(a, s);
        if (n) reached.add(n);
      }
    for (const f of applicationFinalStates) expect(reached.has(f), f).toBe(true);
    for (const s of applicationStates.filter((x) => !applicationFinalStates.includes(x)))
      expect(
        applicationActions.some((a) => nextApplicationState(a, s) !== null),
        s,
      ).toBe(true);
  });

  it('补正 stops the clock: requestMaterial leads back to incomplete, supplement out of it', () => {
    expect(nextApplicationState('requestMaterial', 'accepted')).toBe('incomplete');
    expect(nextApplicationState('supplement', 'incomplete')).toBe('accepted');
  });

  it('预审 of an online application: 受理, 补正 or 不予受理, and nothing else moves it on', () => {
    expect(nextApplicationState('accept', 'submitted')).toBe('accepted');
    expect(nextApplicationState('requireMaterial', 'submitted')).toBe('incomplete');
    expect(nextApplicationState('decline', 'submitted')).toBe('rejected');
    expect(nextApplicationState('withdraw', 'submitted')).toBe('withdrawn');
    for (const a of ['approve', 'issue', 'collect', 'supplement', 'requestMaterial', 'transfer'] as const)
      expect(nextApplicationState(a, 'submitted'), a).toBeNull();
    // The pre-check is the window's, and only of what has not been looked at yet.
    for (const a of ['accept', 'requireMaterial', 'decline'] as const) {
      expect(applicationTransitions[a].permission).toBe('application:intake');
      expect(applicationTransitions[a].from).toEqual(['submitted']);
    }
  });
});
