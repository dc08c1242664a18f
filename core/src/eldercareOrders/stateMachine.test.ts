import { describe, expect, it } from 'vitest';
import {
  nextOrderState,
  orderActions,
  orderFinalStates,
  orderStates,
  orderTransitions,
} from './stateMachine.js';

describe('12349 order state machine', () => {
  it('runs the whole way: dispatch, accept, arrive, finish, follow-up', () => {
    let s = nextOrderState('dispatch', 'pending');
    s = s && nextOrderState('accept', s);
    s = s && nextOrderState('arrive', s);
    s = s && nextOrderState('finish', s);
    expect(s).toBe('finished');
    expect(nextOrderState('rate', 'finished')).toBe('finished');
    expect(nextOrderState('followUp', 'finished')).toBe('closed');
  });

  it('a cancelled order takes no action, a closed one only its rating', () => {
    for (const a of orderActions) expect(nextOrderState(a, 'cancelled')).toBeNull();
    expect(orderActions.filter((a) => nextOrderState(a, 'closed') !== null)).toEqual(['rate']);
    expect(orderFinalStates).toEqual(['closed', 'cancelled']);
  });

  it('the provider acts only between dispatch and finish; nobody cancels a served order', () => {
    const served = orderActions.filter((a) => orderTransitions[a].providerOnly);
    expect(served).toEqual(['accept', 'arrive', 'finish']);
    for (const s of ['arrived', 'finished', 'closed'] as const)
      expect(nextOrderState('cancel', s)).toBeNull();
    for (const s of orderStates) if (s !== 'dispatched') expect(nextOrderState('accept', s)).toBeNull();
  });
});
