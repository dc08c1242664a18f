import {
  type OrderAction,
  type OrderState,
  orderActions,
  orderTransitions,
} from '@civicgrid/core/api/eldercareOrders';
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope, type Scope } from '../../platform/scope.js';
import { elderOrders, providers } from './tables.js';

/** A provider belongs to the unit that registered it: that jurisdiction maintains and dispatches to it. */
export const providersScope = defineScope(providers, { id: providers.id, path: providers.orgPath });

/**
 * Who sees a 12349 order: a provider's staff (eldercareOrder:serve) the orders dispatched to
 * their own provider and nothing else, whatever unit their account hangs under; everyone else
 * holding eldercareOrder:read the orders of the elders in their jurisdiction. `providerId` is
 * the actor's provider (provider_staff), looked up once per request by the service.
 */
export function ordersScope(actor: Actor, providerId: number | null): Scope<typeof elderOrders> {
  // Staff serve and do not dispatch; one who does both (a test's setup account) is a dispatcher.
  const staff = isProviderStaff(actor);
  return defineScope(elderOrders, {
    id: elderOrders.id,
    path: elderOrders.orgPath,
    rule: (_actor, inJurisdiction) =>
      staff ? (providerId === null ? sql`false` : eq(elderOrders.providerId, providerId)) : inJurisdiction,
    visibleRow: (_actor, row, inJurisdiction) =>
      staff ? providerId !== null && row.providerId === providerId : inJurisdiction,
  });
}

type OrderRow = typeof elderOrders.$inferSelect;

export function isProviderStaff(actor: Actor): boolean {
  return actor.permissions.has('eldercareOrder:serve') && !actor.permissions.has('eldercareOrder:dispatch');
}

/** What the actor may do with an order he sees now; the UI shows exactly these. */
export function allowedOrderActions(actor: Actor, row: OrderRow, providerId: number | null): OrderAction[] {
  return orderActions.filter((a) => refusal(actor, row, a, providerId) === null);
}

/** Why an action is refused: 403 for who, 409 for when; null when it may go ahead. */
export function refusal(
  actor: Actor,
  row: OrderRow,
  action: OrderAction,
  providerId: number | null,
): AppError | null {
  const t = orderTransitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (t.providerOnly && (providerId === null || row.providerId !== providerId))
    return new AppError('ELDER_ORDER_NOT_YOUR_PROVIDER');
  if (!t.from.includes(row.status as OrderState)) return new AppError('ELDER_ORDER_INVALID_STATE');
  if (action === 'rate' && row.rating !== null) return new AppError('ELDER_ORDER_ALREADY_RATED');
  return null;
}
