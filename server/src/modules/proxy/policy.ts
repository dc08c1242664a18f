import { eq, or, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope } from '../../platform/scope.js';
import { proxyPoints, proxyRequests } from './tables.js';

/** A proxy point belongs to the grid (or community) it serves: that unit's jurisdiction sees it. */
export const proxyPointsScope = defineScope(proxyPoints, { id: proxyPoints.id, path: proxyPoints.orgPath });

type RequestRow = typeof proxyRequests.$inferSelect;

/** Whether the actor carries matters for residents (grid workers, community workstations). */
const carrier = (actor: Actor) => actor.permissions.has('application:proxy');

/**
 * Who sees a proxy request (请网格员帮办): the resident who asked, and those who carry matters
 * (application:proxy) whose jurisdiction holds its grid (or community) — a grid worker his
 * grid, a community workstation its community. Anyone else: it does not exist (404).
 */
export const proxyRequestsScope = defineScope(proxyRequests, {
  id: proxyRequests.id,
  path: proxyRequests.orgPath,
  rule: (actor, inJurisdiction) =>
    or(eq(proxyRequests.requesterId, actor.userId), carrier(actor) ? inJurisdiction : sql`false`) ??
    sql`false`,
  visibleRow: (actor, row, inJurisdiction) =>
    row.requesterId === actor.userId || (carrier(actor) && inJurisdiction),
});

export type ProxyRequestAction = 'take' | 'cancel';

/**
 * What the actor may do with a request he sees: a carrier of its area takes an open one; the
 * resident cancels his own while open or taken, and so may the worker who took it (the resident
 * withdrew by phone).
 */
export function allowedRequestActions(actor: Actor, row: RequestRow): ProxyRequestAction[] {
  const acts: ProxyRequestAction[] = [];
  const mine = row.requesterId === actor.userId;
  if (row.status === 'open' && carrier(actor) && !mine) acts.push('take');
  if (
    (row.status === 'open' || row.status === 'taken') &&
    (mine || (row.status === 'taken' && row.takenBy === actor.userId))
  )
    acts.push('cancel');
  return acts;
}

/** Refusal of an action the actor may not take now: 409 when it is a matter of state, else 403. */
export function assertRequestAction(actor: Actor, row: RequestRow, action: ProxyRequestAction): void {
  if (allowedRequestActions(actor, row).includes(action)) return;
  if (action === 'take') {
    if (!carrier(actor)) throw new AppError('FORBIDDEN');
    throw new AppError('CONFLICT', row.status === 'taken' ? '该请求已由其他网格员接单' : '该请求已结束');
  }
  if (row.status === 'done' || row.status === 'cancelled') throw new AppError('CONFLICT', '该请求已结束');
  throw new AppError('FORBIDDEN');
}
