import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { EventBus } from '../../platform/bus.js';
import { type Db, queryRows } from '../../platform/db.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import { publishNotifications } from '../../platform/notify.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { nameBook } from './names.js';
import { notifyUsers } from './notifications.js';
import { caseEvents, cases } from './tables.js';

export const deadlineJobName = 'case-deadlines';
/** A fixed key for the advisory lock that makes one process at a time run the sweep. */
const lockKey = 0x63673031;
const batch = 500;

export interface SweepResult {
  ran: boolean;
  warned: number;
  overdue: number;
  escalated: number;
}

async function dispatchersOf(tx: Db, unitId: number, permission: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(eq(users.orgUnitId, unitId), isNull(users.disabledAt), sql`${roles.permissions} ? ${permission}`),
    );
  return rows.map((r) => r.id);
}

/**
 * The deadline sweep (DESIGN.md §4): at 80 % of a step's time a warning, past it the case
 * is overdue and — where its category says so — escalated one level up. Everything it
 * needs is in the rows (due_at, warn_at and the flags), so a restart loses nothing: the
 * next sweep catches up. Several processes may call it at once; the transaction-scoped
 * advisory lock lets one of them work, and the flags make a second pass a no-op.
 */
export async function sweepDeadlines(db: Db, bus: EventBus | null, now = new Date()): Promise<SweepResult> {
  const book = await nameBook(db);
  const result = await db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${lockKey}) as ok`,
    );
    if (!lock?.ok) return { ran: false, warned: 0, overdue: 0, escalated: 0, told: [], changed: [] };
    const told: Awaited<ReturnType<typeof notifyUsers>> = [];
    const changed: (typeof cases.$inferSelect)[] = [];

    const warn = await tx
      .select()
      .from(cases)
      .where(
        and(
          sql`${cases.step} <> 'none'`,
          eq(cases.warned, false),
          lte(cases.warnAt, now),
          sql`${cases.dueAt} > ${now}`,
        ),
      )
      .limit(batch);
    for (const c of warn) {
      await tx.update(cases).set({ warned: true }).where(eq(cases.id, c.id));
      // Published like any change: case lists and the big screen's alert feed follow at once.
      changed.push({ ...c, warned: true });
      await tx.insert(caseEvents).values({
        caseId: c.id,
        action: 'warning',
        fromState: c.status,
        toState: c.status,
        actorName: '系统',
        at: now,
        data: { step: c.step, dueAt: c.dueAt?.toISOString() },
      });
      const name = book.categories.get(c.categoryCode)?.name ?? c.categoryCode;
      told.push(
        ...(await notifyUsers(tx, await dispatchersOf(tx, c.handlingUnitId, 'case:dispatch'), {
          kind: 'case.warning',
          title: `即将超期：${name}（${c.code}）`,
          caseId: c.id,
        })),
      );
    }

    const late = await tx
      .select()
      .from(cases)
      .where(and(sql`${cases.step} <> 'none'`, eq(cases.overdue, false), lte(cases.dueAt, now)))
      .limit(batch);
    let escalated = 0;
    for (const c of late) {
      const cat = book.categories.get(c.categoryCode);
      const unit = book.units.get(c.handlingUnitId);
      const up = cat?.autoEscalate && unit?.parentId ? unit.parentId : null;
      const set: Partial<typeof cases.$inferInsert> = {
        overdue: true,
        everOverdue: true,
        warned: true,
        updatedAt: now,
      };
      await tx.insert(caseEvents).values({
        caseId: c.id,
        action: 'overdue',
        fromState: c.status,
        toState: c.status,
        actorName: '系统',
        at: now,
        data: { step: c.step, dueAt: c.dueAt?.toISOString() },
      });
      if (up) {
        // Escalation by the clock hands oversight to the level above; the handler keeps working.
        set.handlingUnitId = up;
        set.escalations = c.escalations + 1;
        escalated++;
        await tx.insert(caseEvents).values({
          caseId: c.id,
          action: 'escalate',
          fromState: c.status,
          toState: c.status,
          actorName: '系统',
          at: now,
          note: '超期自动上报上级',
          data: {
            automatic: true,
            fromUnitId: c.handlingUnitId,
            toUnitId: up,
            toUnitName: book.units.get(up)?.name,
          },
        });
      }
      const [u] = await tx.update(cases).set(set).where(eq(cases.id, c.id)).returning();
      if (u) changed.push(u);
      const name = cat?.name ?? c.categoryCode;
      told.push(
        ...(await notifyUsers(tx, await dispatchersOf(tx, up ?? c.handlingUnitId, 'case:dispatch'), {
          kind: 'case.overdue',
          title: `${up ? '超期上报' : '已超期'}：${name}（${c.code}）`,
          caseId: c.id,
        })),
      );
    }
    if (warn.length || late.length)
      await appendAudit(
        tx,
        { userId: null, username: 'system', ip: null, userAgent: null },
        { action: 'case.deadlineSwept', payload: { warned: warn.length, overdue: late.length, escalated } },
      );
    return { ran: true, warned: warn.length, overdue: late.length, escalated, told, changed };
  });
  if (bus) {
    publishNotifications(bus, result.told);
    for (const c of result.changed)
      bus.publish({
        type: 'case',
        id: c.id,
        code: c.code,
        status: c.status,
        orgPath: c.orgPath,
        departmentIds: c.departmentIds,
      });
  }
  return { ran: result.ran, warned: result.warned, overdue: result.overdue, escalated: result.escalated };
}

/**
 * The sweep as a job of the runner, every 30 s. Large backlogs (after downtime) are worked
 * off in batches within one run; the runner records the run's totals.
 */
export function deadlineJob(db: Db, bus: EventBus | null, everyMs = 30_000): Job {
  return defineJob({
    name: deadlineJobName,
    schedule: { everyMs },
    run: async () => {
      const total = { warned: 0, overdue: 0, escalated: 0 };
      for (let i = 0; i < 20; i++) {
        const r = await sweepDeadlines(db, bus);
        total.warned += r.warned;
        total.overdue += r.overdue;
        total.escalated += r.escalated;
        if (!r.ran || r.warned + r.overdue < batch) break;
      }
      return total;
    },
  });
}
