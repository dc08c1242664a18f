import type { Permission } from '../permissions.js';

/**
 * The workflow of an application (办件) at the service centre, as data: server, UI and tests
 * read this table (DESIGN.md §2: workflows are state machines in core).
 *
 * online ─→ submitted ─accept→ accepted (受理: the window's pre-check of an online application)
 *              ├─requireMaterial→ incomplete (补正: 一次性告知, the clock has not started)
 *              └─decline→ rejected (不予受理, with the reason)
 * intake ─→ incomplete ─supplement→ accepted ─approve→ approved ─issue→ issued ─collect→ collected
 *   └──────────────────────────────────↗  │ ↑                          ↑
 *                                         │ └─ transfer (another unit or department)
 *                       incomplete ←requestMaterial (补正: the clock stops)
 *                                         ├─reject→ rejected
 *                                         └─issue (即办件: done at the window) ──┘
 * withdraw ends any application not yet issued.
 */
export const applicationStates = [
  'submitted',
  'incomplete',
  'accepted',
  'approved',
  'issued',
  'collected',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationState = (typeof applicationStates)[number];

/** States no action leaves. `issued` is not final: the result still waits to be collected. */
export const applicationFinalStates: readonly ApplicationState[] = ['collected', 'rejected', 'withdrawn'];
export const applicationOpenStates: readonly ApplicationState[] = applicationStates.filter(
  (s) => !applicationFinalStates.includes(s),
);
/** The states the time limit runs in: accepted and not yet decided (补正 stops it). */
export const applicationClockStates: readonly ApplicationState[] = ['accepted'];
/** 办结: the application's result is out (issued, then perhaps collected). */
export const applicationDoneStates: readonly ApplicationState[] = ['issued', 'collected'];

export const applicationActions = [
  'accept',
  'requireMaterial',
  'decline',
  'supplement',
  'approve',
  'reject',
  'transfer',
  'requestMaterial',
  'issue',
  'collect',
  'withdraw',
] as const;
export type ApplicationAction = (typeof applicationActions)[number];

/**
 * Guards the server checks beyond permission and state:
 * - `handler`: the actor works in the unit or department now handling the application
 *   (后台: the back office of that level, not any holder of the permission in the area);
 * - `approvedOrImmediate`: the result may go out — approved, or an item done on the spot
 *   (即办件 such as 居住证明, which the window issues without a back-office step).
 */
export type ApplicationGuard = 'handler' | 'approvedOrImmediate';

export interface ApplicationTransition {
  from: readonly ApplicationState[];
  /** The next state; `same` keeps it (a transfer changes who handles, not the state). */
  to: ApplicationState | 'same';
  permission: Permission;
  guards: readonly ApplicationGuard[];
}

export const applicationTransitions: Record<ApplicationAction, ApplicationTransition> = {
  // 预审 of an online application at the window: 受理 starts the clock, 补正 names every
  // missing material at once (the clock still waits), 不予受理 ends it with the reason.
  accept: { from: ['submitted'], to: 'accepted', permission: 'application:intake', guards: [] },
  requireMaterial: {
    from: ['submitted'],
    to: 'incomplete',
    permission: 'application:intake',
    guards: [],
  },
  decline: { from: ['submitted'], to: 'rejected', permission: 'application:intake', guards: [] },
  supplement: { from: ['incomplete'], to: 'accepted', permission: 'application:intake', guards: [] },
  approve: { from: ['accepted'], to: 'approved', permission: 'application:handle', guards: ['handler'] },
  reject: { from: ['accepted'], to: 'rejected', permission: 'application:handle', guards: ['handler'] },
  transfer: { from: ['accepted'], to: 'same', permission: 'application:handle', guards: ['handler'] },
  requestMaterial: {
    from: ['accepted'],
    to: 'incomplete',
    permission: 'application:handle',
    guards: ['handler'],
  },
  // 窗口出件: the front desk hands out what the back office decided (统一出件).
  issue: {
    from: ['accepted', 'approved'],
    to: 'issued',
    permission: 'application:intake',
    guards: ['approvedOrImmediate'],
  },
  collect: { from: ['issued'], to: 'collected', permission: 'application:intake', guards: [] },
  withdraw: {
    from: ['submitted', 'incomplete', 'accepted', 'approved'],
    to: 'withdrawn',
    permission: 'application:intake',
    guards: [],
  },
};

export function nextApplicationState(
  action: ApplicationAction,
  from: ApplicationState,
): ApplicationState | null {
  const t = applicationTransitions[action];
  if (!t.from.includes(from)) return null;
  return t.to === 'same' ? from : t.to;
}

export const applicationStateNames: Record<ApplicationState, { zh: string; en: string }> = {
  submitted: { zh: '待受理', en: 'Submitted' },
  incomplete: { zh: '待补正', en: 'Waiting for material' },
  accepted: { zh: '办理中', en: 'In progress' },
  approved: { zh: '待出件', en: 'Approved' },
  issued: { zh: '待领取', en: 'Issued' },
  collected: { zh: '已办结', en: 'Collected' },
  rejected: { zh: '不予办理', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};
