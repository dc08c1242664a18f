import type { Permission } from '../permissions.js';

/**
 * The case workflow of DESIGN.md §4, as data: server, UI and tests read this table.
 *
 * reported ─accept→ accepted ─dispatch→ dispatched ─claim→ in_progress ─resolve→ resolved
 *    │reject                 ↑ return ←─────┴──────────────────┘            │verify ok
 *    ↓                       │                         verify fails → rework ↓
 * rejected                                                          verified ─followUp/close→ closed
 * selfResolve: reported → resolved (minor categories, grid workers), still verified.
 * escalate moves the case one level up at any open state; supervise, note and extensions
 * leave the state as it is; merge and cancel end a case. recategorise (改类, e.g. taking the
 * 智能派单 suggestion) changes the category before dispatch and leaves the state.
 */
export const caseStates = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'resolved',
  'rework',
  'verified',
  'closed',
  'rejected',
  'cancelled',
  'merged',
] as const;
export type CaseState = (typeof caseStates)[number];

export const finalStates: readonly CaseState[] = ['closed', 'rejected', 'cancelled', 'merged'];
/** Open and not yet resolved: the states a case is still being worked on in. */
export const beforeResolution: readonly CaseState[] = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'rework',
];
/** The states before dispatch, in which the category may still change (recategorise). */
export const preDispatchStates: readonly CaseState[] = ['reported', 'accepted'];
export const openStates: readonly CaseState[] = caseStates.filter((s) => !finalStates.includes(s));

export const caseActions = [
  'accept',
  'reject',
  'dispatch',
  'claim',
  'note',
  'resolve',
  'verify',
  'followUp',
  'close',
  'return',
  'escalate',
  'selfResolve',
  'supervise',
  'requestExtension',
  'approveExtension',
  'merge',
  'cancel',
  'rate',
  'reopen',
  'recategorise',
] as const;
export type CaseAction = (typeof caseActions)[number];

/**
 * Guards the server checks beyond permission and state:
 * - `assignee`: the actor is the case's assignee (their department, unit or themselves);
 * - `handlingLevel`: the actor's unit is the level now handling the case (dispatchers);
 * - `gridTeam`: the actor is on the team of the case's grid;
 * - `selfResolvable`: the category allows self-resolution;
 * - `belowDistrict`: there is a level above to escalate to;
 * - `pendingExtension`: an extension request is waiting;
 * - `handlingLevelOrGridTeam`: a dispatcher of the handling level, or the grid's own team
 *   (核查 and 回访 are done on site by the grid worker as often as by the dispatcher);
 * - `handlingLevelOrAssignee`: a dispatcher, or the assignee handing the case back up;
 * - `reporter`: the actor reported the case (a resident, through /r);
 * - `reopenWindow`: the case closed less than `reopenWindowDays` ago.
 */
export type CaseGuard =
  | 'assignee'
  | 'handlingLevel'
  | 'gridTeam'
  | 'selfResolvable'
  | 'belowDistrict'
  | 'pendingExtension'
  | 'handlingLevelOrGridTeam'
  | 'handlingLevelOrAssignee'
  | 'reporter'
  | 'reopenWindow';

/** "没修好": a reporter may send a closed case back for rework this many days after it closed. */
export const reopenWindowDays = 7;

export interface Transition {
  from: readonly CaseState[];
  /**
   * The next state; `same` keeps it; verify chooses by its outcome; `byState` names the next
   * state for each state the action starts from.
   */
  to:
    | CaseState
    | 'same'
    | { passed: CaseState; failed: CaseState }
    | { byState: Partial<Record<CaseState, CaseState>> };
  permission: Permission;
  guards: readonly CaseGuard[];
}

export const transitions: Record<CaseAction, Transition> = {
  accept: { from: ['reported'], to: 'accepted', permission: 'case:accept', guards: ['handlingLevel'] },
  reject: { from: ['reported'], to: 'rejected', permission: 'case:accept', guards: ['handlingLevel'] },
  dispatch: { from: ['accepted'], to: 'dispatched', permission: 'case:dispatch', guards: ['handlingLevel'] },
  claim: { from: ['dispatched'], to: 'in_progress', permission: 'case:handle', guards: ['assignee'] },
  note: { from: openStates, to: 'same', permission: 'case:read', guards: [] },
  resolve: {
    from: ['in_progress', 'rework'],
    to: 'resolved',
    permission: 'case:handle',
    guards: ['assignee'],
  },
  verify: {
    from: ['resolved'],
    to: { passed: 'verified', failed: 'rework' },
    permission: 'case:verify',
    guards: ['handlingLevelOrGridTeam'],
  },
  followUp: {
    from: ['verified'],
    to: 'closed',
    permission: 'case:followUp',
    guards: ['handlingLevelOrGridTeam'],
  },
  close: {
    from: ['verified'],
    to: 'closed',
    permission: 'case:followUp',
    guards: ['handlingLevelOrGridTeam'],
  },
  return: {
    from: ['dispatched', 'in_progress'],
    to: 'accepted',
    permission: 'case:handle',
    guards: ['assignee'],
  },
  escalate: {
    from: beforeResolution,
    // The level above takes the case: one already accepted waits there for dispatch, one
    // not yet accepted waits for acceptance.
    to: {
      byState: {
        reported: 'reported',
        accepted: 'accepted',
        dispatched: 'accepted',
        in_progress: 'accepted',
        rework: 'accepted',
      },
    },
    permission: 'case:escalate',
    guards: ['handlingLevelOrAssignee', 'belowDistrict'],
  },
  selfResolve: {
    from: ['reported'],
    to: 'resolved',
    permission: 'case:selfResolve',
    guards: ['gridTeam', 'selfResolvable'],
  },
  supervise: { from: beforeResolution, to: 'same', permission: 'case:supervise', guards: [] },
  requestExtension: {
    from: ['dispatched', 'in_progress', 'rework'],
    to: 'same',
    permission: 'case:handle',
    guards: ['assignee'],
  },
  approveExtension: {
    from: ['dispatched', 'in_progress', 'rework'],
    to: 'same',
    permission: 'case:extend',
    guards: ['handlingLevel', 'pendingExtension'],
  },
  merge: {
    from: ['reported', 'accepted'],
    to: 'merged',
    permission: 'case:merge',
    guards: ['handlingLevel'],
  },
  cancel: { from: beforeResolution, to: 'cancelled', permission: 'case:cancel', guards: ['handlingLevel'] },
  // The resident's own follow-up (回访) from the portal: their rating closes the case.
  rate: { from: ['verified'], to: 'closed', permission: 'case:rate', guards: ['reporter'] },
  // "没修好": within the window the reporter sends a closed case back to its assignee.
  reopen: {
    from: ['closed'],
    to: 'rework',
    permission: 'case:rate',
    guards: ['reporter', 'reopenWindow'],
  },
  // 改类 by the dispatcher of the handling level while the case has not gone out yet.
  recategorise: {
    from: preDispatchStates,
    to: 'same',
    permission: 'case:dispatch',
    guards: ['handlingLevel'],
  },
};

export function nextState(
  action: CaseAction,
  from: CaseState,
  outcome?: { passed: boolean },
): CaseState | null {
  const t = transitions[action];
  if (!t.from.includes(from)) return null;
  if (t.to === 'same') return from;
  if (typeof t.to === 'string') return t.to;
  if ('byState' in t.to) return t.to.byState[from] ?? null;
  return outcome?.passed === false ? t.to.failed : t.to.passed;
}

/** The actions possible in a state, before permission and guards. */
export function actionsFrom(state: CaseState): CaseAction[] {
  return caseActions.filter((a) => transitions[a].from.includes(state));
}

export const caseStateNames: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '待受理', en: 'Reported' },
  accepted: { zh: '待派遣', en: 'Accepted' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  resolved: { zh: '待核查', en: 'Resolved' },
  rework: { zh: '返工', en: 'Rework' },
  verified: { zh: '待回访', en: 'Verified' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
  merged: { zh: '已合并', en: 'Merged' },
};
