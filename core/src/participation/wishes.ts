import type { Permission } from '../permissions.js';

/**
 * The micro-wish (微心愿) loop of seed 004 — 群众点单、网格派单、党员接单、反馈评价 — as data
 * (DESIGN.md §2):
 *
 * submitted ─publish→ published ─claim→ claimed ─fulfil→ fulfilled ─rate→ rated
 *     │withdraw            │withdraw
 *     ↓                    ↓
 *  withdrawn            withdrawn
 *
 * A resident (portal), a grid worker (on a resident's behalf) or the community posts it; the
 * grid worker reviews and publishes it; an in-service party member or volunteer claims it and
 * fulfils it with a photo; the one who posted it rates it. A published wish nobody claims is
 * escalated to the community after some days (a flag and a trail event, not a state: it stays
 * open to claims).
 */
export const wishStates = ['submitted', 'published', 'claimed', 'fulfilled', 'rated', 'withdrawn'] as const;
export type WishState = (typeof wishStates)[number];
export const wishFinalStates: readonly WishState[] = ['rated', 'withdrawn'];

export const wishActions = ['publish', 'claim', 'fulfil', 'rate', 'withdraw'] as const;
export type WishAction = (typeof wishActions)[number];

/** Who, beyond the permission, must the actor be: the one who posted it, the one who claimed it. */
export type WishParty = 'anyone' | 'poster' | 'claimer' | 'posterOrPublisher';

export interface WishTransition {
  from: readonly WishState[];
  to: WishState;
  permission: Permission;
  party: WishParty;
}

export const wishTransitions: Record<WishAction, WishTransition> = {
  // 网格派单: the grid worker (or the community) reads it and puts it on the wall.
  publish: { from: ['submitted'], to: 'published', permission: 'wish:publish', party: 'anyone' },
  // 党员接单: one claim wins; the rest are told it is taken (409).
  claim: { from: ['published'], to: 'claimed', permission: 'wish:claim', party: 'anyone' },
  fulfil: { from: ['claimed'], to: 'fulfilled', permission: 'wish:claim', party: 'claimer' },
  // 反馈评价: by the one who posted it (the resident, or the worker who posted for him).
  rate: { from: ['fulfilled'], to: 'rated', permission: 'wish:post', party: 'poster' },
  // Taken back by the one who posted it, or declined by the reviewer, while nobody has claimed it.
  withdraw: {
    from: ['submitted', 'published'],
    to: 'withdrawn',
    permission: 'wish:post',
    party: 'posterOrPublisher',
  },
};

export function nextWishState(action: WishAction, from: WishState): WishState | null {
  const t = wishTransitions[action];
  return t.from.includes(from) ? t.to : null;
}

export const wishStateNames: Record<WishState, { zh: string; en: string }> = {
  submitted: { zh: '待审核', en: 'Submitted' },
  published: { zh: '待认领', en: 'Published' },
  claimed: { zh: '已认领', en: 'Claimed' },
  fulfilled: { zh: '已实现', en: 'Fulfilled' },
  rated: { zh: '已评价', en: 'Rated' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const wishActionNames: Record<WishAction, string> = {
  publish: '审核发布',
  claim: '认领',
  fulfil: '完成心愿',
  rate: '评价',
  withdraw: '撤回',
};

/** Days a published wish may wait for a claim before the community is told (seed 004's closed loop). */
export const wishEscalationDays = 3;

/**
 * A title for the public wall: any run of seven or more digits (a phone, an ID number, a house
 * number with its room) is masked, whatever the resident typed.
 */
export function publicWishTitle(title: string): string {
  return title.replace(/[0-9０-９][0-9０-９\s-]{5,}[0-9０-９Xx]/g, (m) => '*'.repeat(m.length));
}
