import type { ActionHandler } from './effect.js';

/** 签收: the assignee takes the case on. */
export const claim: ActionHandler<'claim'> = async ({ row, actor, now }, body) => ({
  note: body.note ?? null,
  set: { claimedAt: new Date(now) },
  // A department's (or unit's) case is claimed by one person, whom the trail names.
  data: row.assigneeKind !== 'user' ? { claimedBy: actor.displayName } : null,
});
