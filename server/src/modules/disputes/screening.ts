import type { screeningInput, screeningStatusQuery } from '@civicgrid/core/api/disputes';
import { weekOf, weekOfDay } from '@civicgrid/core/calendar/weeks';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, gridInScope, resolveArea } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { disputeScreenings, disputes } from './tables.js';

type ScreeningRow = typeof disputeScreenings.$inferSelect;

function present(r: ScreeningRow) {
  return {
    id: r.id,
    gridId: r.gridId,
    weekFrom: r.weekFrom,
    disputeCount: r.disputeIds.length,
    zero: r.zero,
    note: r.note,
    reportedAt: r.reportedAt.toISOString(),
  };
}

/**
 * 排查: a grid's report for this week (Monday-based, Beijing): the disputes it found — they
 * must be disputes of that grid — or none, a zero report (零报告). One report per grid and week.
 */
export async function reportScreening(
  db: Db,
  actor: Actor,
  input: z.infer<typeof screeningInput>,
  meta: RequestMeta,
) {
  const grid = await gridInScope(db, actor, input.gridId);
  const ids = [...new Set(input.disputeIds)];
  if (ids.length) {
    const found = await db
      .select({ id: disputes.id })
      .from(disputes)
      .where(and(inArray(disputes.id, ids), eq(disputes.gridId, grid.id)));
    if (found.length !== ids.length) throw fieldError('disputeIds', 'ofGrid', 'SCREENING_DISPUTE_UNKNOWN');
  }
  const week = weekOf(Date.now());
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(disputeScreenings)
      .values({
        gridId: grid.id,
        orgPath: grid.path,
        weekFrom: week.from,
        disputeIds: ids,
        zero: ids.length === 0,
        note: input.note ?? null,
        reportedBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!r) throw new AppError('SCREENING_ALREADY_REPORTED');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'screening.reported',
      targetType: 'grid',
      targetId: grid.id,
      payload: { gridId: grid.id, weekFrom: week.from, disputes: ids.length },
    });
    return r;
  });
  return present(row);
}

/** The week's reports of the area's grids, and the grids that have not reported (未报送). */
export async function screeningStatus(db: Db, actor: Actor, q: z.infer<typeof screeningStatusQuery>) {
  const area = await resolveArea(db, actor, q.orgUnitId);
  const week = q.week ? weekOfDay(q.week) : weekOf(Date.now());
  const grids = await db
    .select({ id: orgUnits.id, name: orgUnits.name, parentId: orgUnits.parentId })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt), areaCondition(area, orgUnits.path)))
    .orderBy(asc(orgUnits.path));
  const reports = await db
    .select()
    .from(disputeScreenings)
    .where(and(eq(disputeScreenings.weekFrom, week.from), areaCondition(area, disputeScreenings.orgPath)));
  const parentIds = [...new Set(grids.map((g) => g.parentId).filter((x): x is number => x !== null))];
  const parents = parentIds.length
    ? await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, parentIds))
    : [];
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const reported = new Set(reports.map((r) => r.gridId));
  return {
    week: { from: week.from, to: week.to },
    reported: reports.map((r) => ({ ...present(r), gridName: gridName.get(r.gridId) ?? '' })),
    missing: grids
      .filter((g) => !reported.has(g.id))
      .map((g) => ({
        gridId: g.id,
        gridName: g.name,
        communityName: g.parentId === null ? null : (parentName.get(g.parentId) ?? null),
      })),
  };
}
