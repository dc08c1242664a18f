import type { ActionHandler } from './effect.js';

/** 领取: the applicant (or the proxy agent) has the result in hand. */
export const collect: ActionHandler<'collect'> = (_ctx, body) => ({ note: body.note ?? null });
