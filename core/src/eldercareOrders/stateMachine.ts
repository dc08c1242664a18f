import type { Permission } from '../permissions.js';

/**
 * The workflow of a 12349 order (为老服务工单), as data (DESIGN.md §2):
 *
 * pending ─dispatch→ dispatched ─accept→ accepted ─arrive→ arrived ─finish→ finished ─followUp→ closed
 *    └──────────────────┴─── cancel ────────┘                                 rate (once, finished or closed)
 *
 * The operator takes the call and dispatches it to a provider serving the elder's area; the
 * provider's staff accept, arrive (position checked against the elder's address) and finish;
 * the elder or the family rates (by phone, recorded by the operator); the operator's follow-up
 * call (回访) closes the order.
 */
export const orderStates = [
  'pending',
  'dispatched',
  'accepted',
  'arrived',
  'finished',
  'closed',
  'cancelled',
] as const;
export type OrderState = (typeof orderStates)[number];
export const orderFinalStates: readonly OrderState[] = ['closed', 'cancelled'];

export const orderActions = ['dispatch', 'accept', 'arrive', 'finish', 'rate', 'followUp', 'cancel'] as const;
export type OrderAction = (typeof orderActions)[number];

export interface OrderTransition {
  from: readonly OrderState[];
  to: OrderState | 'same';
  permission: Permission;
  /** Taken by the staff of the provider the order is dispatched to, and nobody else. */
  providerOnly?: true;
}

export const orderTransitions: Record<OrderAction, OrderTransition> = {
  dispatch: { from: ['pending'], to: 'dispatched', permission: 'eldercareOrder:dispatch' },
  accept: { from: ['dispatched'], to: 'accepted', permission: 'eldercareOrder:serve', providerOnly: true },
  arrive: { from: ['accepted'], to: 'arrived', permission: 'eldercareOrder:serve', providerOnly: true },
  finish: { from: ['arrived'], to: 'finished', permission: 'eldercareOrder:serve', providerOnly: true },
  rate: { from: ['finished', 'closed'], to: 'same', permission: 'eldercareOrder:dispatch' },
  followUp: { from: ['finished'], to: 'closed', permission: 'eldercareOrder:dispatch' },
  cancel: {
    from: ['pending', 'dispatched', 'accepted'],
    to: 'cancelled',
    permission: 'eldercareOrder:dispatch',
  },
};

export function nextOrderState(action: OrderAction, from: OrderState): OrderState | null {
  const t = orderTransitions[action];
  if (!t.from.includes(from)) return null;
  return t.to === 'same' ? from : t.to;
}

export const orderStateNames: Record<OrderState, string> = {
  pending: '待派单',
  dispatched: '已派单',
  accepted: '已接单',
  arrived: '服务中',
  finished: '已完成',
  closed: '已回访',
  cancelled: '已取消',
};

export const orderActionNames: Record<OrderAction, string> = {
  dispatch: '派单',
  accept: '接单',
  arrive: '到达',
  finish: '完成服务',
  rate: '评价',
  followUp: '回访',
  cancel: '取消',
};
