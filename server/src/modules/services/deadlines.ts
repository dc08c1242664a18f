import { and, eq, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { EventBus } from '../../platform/bus.js';
import { type Db, queryRows } from '../../platform/db.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import { publishNotifications } from '../../platform/notify.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { notifyUsers } from '../cases/notifications.js';
import { applicationEvents, applications, serviceItems } from './tables.js';

export const applicationDeadlineJobName = 'application-deadlines';
/** The advisory lock that lets one process at a time sweep (the runner's lease is the other guard). */
const lockKey = 0x63673135;
const batch = 500;

export interface ApplicationSweep {
  ran: boolean;
  warned: number;
  overdue: number;
  notified: number;
}

type Due = 'warning' | 'overdue';

/**
 * The back office now handling an application, who get its notices: the department's staff
 * when it was sent to one, otherwise the handling unit's — those holding application:handle.
 */
async function handlersOf(
  tx: Db,
  a: { handlingUnitId: number | null; departmentId: number | null },
): Promise<string[]> {
  const where: SQL | undefined =
    a.departmentId !== null
      ? eq(users.departmentId, a.departmentId)
      : a.handlingUnitId !== null
        ? eq(users.orgUnitId, a.handlingUnitId)
        : undefined;
  if (!where) return [];
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(where, isNull(users.disabledAt), sql`${roles.permissions} ? 'application:handle'`));
  return rows.map((r) => r.id);
}

/** Running applications at a point of their clock that has not been noted in their trail yet. */
function reached(tx: Db, kind: Due, now: Date) {
  const noted = sql`exists (select 1 from ${applicationEvents} e
    where e.application_id = ${applications.id} and e.action = ${kind})`;
  const point =
    kind === 'warning'
      ? and(lte(applications.warnAt, now), sql`${applications.dueAt} > ${now}`)
      : lte(applications.dueAt, now);
  return tx
    .select({
      id: applications.id,
      code: applications.code,
      dueAt: applications.dueAt,
      handlingUnitId: applications.handlingUnitId,
      departmentId: applications.departmentId,
      serviceName: serviceItems.name,
    })
    .from(applications)
    .innerJoin(serviceItems, eq(serviceItems.id, applications.serviceItemId))
    .where(and(eq(applications.status, 'accepted'), point, sql`not ${noted}`))
    .orderBy(applications.dueAt)
    .limit(batch);
}

const titles: Record<Due, string> = { warning: '即将超期', overdue: '已超期' };

/**
 * The time-limit sweep of the service centre (issue 15 §3): an application whose running
 * clock passed 80 % of its time is 临期, one past its due time is 超期 — both read from the
 * times (lists and the dashboard compute them), so what the sweep adds is the notice: one
 * trail event per application and point, and one in-app notification to each of its
 * handlers. The trail event is the mark: a second sweep finds it and sends nothing; a clock
 * stopped for material does not run past its points, so nothing is sent while it waits.
 */
export async function sweepApplicationDeadlines(
  db: Db,
  bus: EventBus | null,
  now = new Date(),
): Promise<ApplicationSweep> {
  const result = await db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${lockKey}) as ok`,
    );
    if (!lock?.ok) return { ran: false, warned: 0, overdue: 0, told: [] };
    const told: Awaited<ReturnType<typeof notifyUsers>> = [];
    const found = { warning: 0, overdue: 0 };
    for (const kind of ['overdue', 'warning'] as const) {
      const rows = await reached(tx, kind, now);
      found[kind] = rows.length;
      for (const a of rows) {
        await tx.insert(applicationEvents).values({
          applicationId: a.id,
          action: kind,
          fromState: 'accepted',
          toState: 'accepted',
          actorId: null,
          data: { dueAt: a.dueAt?.toISOString() ?? null },
          at: now,
        });
        // The item and the number only: the applicant's name is not for a notification list.
        told.push(
          ...(await notifyUsers(tx, await handlersOf(tx, a), {
            kind: `application.${kind}`,
            title: `${titles[kind]}：${a.serviceName}（${a.code}）`,
            subject: { type: 'application', id: a.id },
          })),
        );
      }
    }
    return { ran: true, warned: found.warning, overdue: found.overdue, told };
  });
  if (bus) publishNotifications(bus, result.told);
  return { ran: result.ran, warned: result.warned, overdue: result.overdue, notified: result.told.length };
}

/** The sweep as a job of the runner, every minute; a backlog is worked off in batches. */
export function applicationDeadlineJob(db: Db, bus: EventBus | null, everyMs = 60_000): Job {
  return defineJob({
    name: applicationDeadlineJobName,
    schedule: { everyMs },
    startDelayMs: 5_000,
    run: async () => {
      const total = { warned: 0, overdue: 0, notified: 0 };
      for (let i = 0; i < 20; i++) {
        const r = await sweepApplicationDeadlines(db, bus);
        total.warned += r.warned;
        total.overdue += r.overdue;
        total.notified += r.notified;
        if (!r.ran || Math.max(r.warned, r.overdue) < batch) break;
      }
      return total;
    },
  });
}
