import type { Permission } from '../permissions.js';

/**
 * The workflow of a dispute (矛盾纠纷排查调处), as data: server, UI and tests read this table
 * (DESIGN.md §2: workflows are state machines in core).
 *
 * registered ─accept→ accepted ─assign→ assigned ─session→ mediating ─agree→ agreed ─followUp(yes)→ closed
 *                                          │  ↑ assign (again)    │ session …        │ followUp(partly/no) stays
 *                                          └──────── fail ────────┴→ failed ─close→ closed   └─close→ closed
 * extend (with a reason) moves the deadline of any open, accepted dispute; it keeps the state.
 */
export const disputeStates = [
  'registered',
  'accepted',
  'assigned',
  'mediating',
  'agreed',
  'failed',
  'closed',
] as const;
export type DisputeState = (typeof disputeStates)[number];

export const disputeFinalStates: readonly DisputeState[] = ['closed'];
/** The states the 30-day time limit runs in: accepted and not yet settled either way. */
export const disputeClockStates: readonly DisputeState[] = ['accepted', 'assigned', 'mediating'];

export const disputeActions = [
  'accept',
  'assign',
  'session',
  'agree',
  'fail',
  'followUp',
  'close',
  'extend',
] as const;
export type DisputeAction = (typeof disputeActions)[number];

/**
 * Guards the server checks beyond permission and state:
 * - `followedUp`: an agreement is closed only after its performance was checked (回访);
 * - `mediator`: a mediator assigned to the dispute, or staff of its street or above
 *   (a mediator of another committee in the same street may not write its sessions).
 */
export type DisputeGuard = 'followedUp' | 'mediator';

export interface DisputeTransition {
  from: readonly DisputeState[];
  /**
   * The next state; `same` keeps it. `followUp` closes the dispute when the agreement was
   * performed in full (`closesWhenPerformed`); partly or not performed it stays agreed, to be
   * visited again or closed.
   */
  to: DisputeState | 'same';
  permission: Permission;
  guards: readonly DisputeGuard[];
  closesWhenPerformed?: true;
}

export const disputeTransitions: Record<DisputeAction, DisputeTransition> = {
  accept: { from: ['registered'], to: 'accepted', permission: 'dispute:mediate', guards: [] },
  assign: { from: ['accepted', 'assigned'], to: 'assigned', permission: 'dispute:mediate', guards: [] },
  session: {
    from: ['assigned', 'mediating'],
    to: 'mediating',
    permission: 'dispute:mediate',
    guards: ['mediator'],
  },
  agree: { from: ['mediating'], to: 'agreed', permission: 'dispute:mediate', guards: ['mediator'] },
  fail: {
    from: ['assigned', 'mediating'],
    to: 'failed',
    permission: 'dispute:mediate',
    guards: ['mediator'],
  },
  followUp: {
    from: ['agreed'],
    to: 'same',
    permission: 'dispute:mediate',
    guards: [],
    closesWhenPerformed: true,
  },
  close: { from: ['agreed', 'failed'], to: 'closed', permission: 'dispute:mediate', guards: ['followedUp'] },
  extend: {
    from: ['accepted', 'assigned', 'mediating'],
    to: 'same',
    permission: 'dispute:mediate',
    guards: [],
  },
};

export type Performed = 'yes' | 'partly' | 'no';

export function nextDisputeState(
  action: DisputeAction,
  from: DisputeState,
  performed?: Performed,
): DisputeState | null {
  const t = disputeTransitions[action];
  if (!t.from.includes(from)) return null;
  if (t.closesWhenPerformed && performed === 'yes') return 'closed';
  return t.to === 'same' ? from : t.to;
}

/** 人民调解法 practice: mediation ends within 30 days of acceptance unless extended with a reason. */
export const disputeTimeLimitDays = 30;
/** One extension adds at most this many days. */
export const disputeMaxExtensionDays = 30;

export const disputeStateNames: Record<DisputeState, { zh: string; en: string }> = {
  registered: { zh: '待受理', en: 'Registered' },
  accepted: { zh: '已受理', en: 'Accepted' },
  assigned: { zh: '已指派', en: 'Assigned' },
  mediating: { zh: '调解中', en: 'Mediating' },
  agreed: { zh: '已达成协议', en: 'Agreed' },
  failed: { zh: '调解不成', en: 'Not settled' },
  closed: { zh: '已结案', en: 'Closed' },
};

export const disputeActionNames: Record<DisputeAction, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'Accept' },
  assign: { zh: '指派', en: 'Assign' },
  session: { zh: '记录调解', en: 'Record session' },
  agree: { zh: '达成协议', en: 'Record agreement' },
  fail: { zh: '调解不成', en: 'Not settled' },
  followUp: { zh: '回访', en: 'Follow up' },
  close: { zh: '结案', en: 'Close' },
  extend: { zh: '延期', en: 'Extend' },
};
