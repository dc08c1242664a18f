/**
 * 红管家 (seed 004): "15 分钟响应、30 分钟回复、24 小时解决", counted from the dispatch on the
 * natural clock (a property company answers at night and on holidays too).
 * - 响应: the company's staff claim (签收) the case;
 * - 回复: they write the first note on the case (the reply the grid and the reporter read);
 * - 解决: they resolve it.
 */
export const propertyClock = { respondMinutes: 15, replyMinutes: 30, resolveMinutes: 24 * 60 } as const;

export type PropertyStep = 'respond' | 'reply' | 'resolve';
export const propertySteps: readonly PropertyStep[] = ['respond', 'reply', 'resolve'];

export const propertyStepNames: Record<PropertyStep, string> = {
  respond: '响应',
  reply: '回复',
  resolve: '解决',
};

const minutesOf: Record<PropertyStep, number> = {
  respond: propertyClock.respondMinutes,
  reply: propertyClock.replyMinutes,
  resolve: propertyClock.resolveMinutes,
};

/** The three deadlines of a dispatch made at `dispatchedMs`. */
export function propertyDeadlines(dispatchedMs: number): Record<PropertyStep, Date> {
  return {
    respond: new Date(dispatchedMs + minutesOf.respond * 60_000),
    reply: new Date(dispatchedMs + minutesOf.reply * 60_000),
    resolve: new Date(dispatchedMs + minutesOf.resolve * 60_000),
  };
}

/**
 * Whether a step was on time: done by its deadline. A step not done is late once the deadline
 * passed, and not (yet) judged before; `null` means "still running".
 */
export function stepOnTime(due: Date, doneAt: Date | null, now: Date): boolean | null {
  if (doneAt) return doneAt.getTime() <= due.getTime();
  return now.getTime() > due.getTime() ? false : null;
}

/** An on-time rate with three decimals, null without anything to rate. */
export function rate(onTime: number, total: number): number | null {
  return total === 0 ? null : Math.round((onTime / total) * 1000) / 1000;
}
