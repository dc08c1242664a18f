import type { ScreenEldercare } from '@civicgrid/core/api/eldercareOrders';
import { and, count, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { alertsScope, devicesScope } from '../eldercare/policy.js';
import { deviceAlerts, devices } from '../eldercare/tables.js';
import { ordersScope } from './policy.js';
import { elderOrders } from './tables.js';

/** Midnight of today in China. */
const chinaMidnight = () =>
  new Date(`${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`);

/**
 * 大屏 eldercare panel (issue 20 item 6): today's alerts and orders, the open ones, and the
 * wearables online (heard from within three reporting intervals, at least ten minutes) — in
 * the viewer's jurisdiction, counts only.
 */
export async function screenEldercare(db: Db, actor: Actor): Promise<ScreenEldercare> {
  const today = chinaMidnight();
  const n = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);
  const [alertsToday, alertsOpen, ordersToday, ordersOpen, online, total] = await Promise.all([
    db
      .select({ n: count() })
      .from(deviceAlerts)
      .where(and(alertsScope.where(actor), gte(deviceAlerts.openedAt, today))),
    db
      .select({ n: count() })
      .from(deviceAlerts)
      .where(and(alertsScope.where(actor), ne(deviceAlerts.status, 'closed'))),
    db
      .select({ n: count() })
      .from(elderOrders)
      .where(and(ordersScope(actor, null).where(actor), gte(elderOrders.createdAt, today))),
    db
      .select({ n: count() })
      .from(elderOrders)
      .where(
        and(
          ordersScope(actor, null).where(actor),
          inArray(elderOrders.status, ['pending', 'dispatched', 'accepted', 'arrived']),
        ),
      ),
    db
      .select({ n: count() })
      .from(devices)
      .where(
        and(
          devicesScope.where(actor),
          isNull(devices.retiredAt),
          sql`${devices.lastSeenAt} >= now() - make_interval(secs => greatest(${devices.intervalS} * 3, 600))`,
        ),
      ),
    db
      .select({ n: count() })
      .from(devices)
      .where(and(devicesScope.where(actor), isNull(devices.retiredAt))),
  ]);
  return {
    alertsToday: n(alertsToday),
    alertsOpen: n(alertsOpen),
    ordersToday: n(ordersToday),
    ordersOpen: n(ordersOpen),
    devicesOnline: n(online),
    devicesTotal: n(total),
  };
}
