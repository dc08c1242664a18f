import type { CareCase } from '@civicgrid/core/api/care';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { users } from '../accounts/tables.js';
import { nameBook } from '../cases/names.js';
import { residents } from '../residents/tables.js';
import { type careCases, careCaseWorkers, careCategories, type careVisits } from './tables.js';

type CaseRow = typeof careCases.$inferSelect;

/** What an anonymised case shows where the person's name was. */
const anonymised = '（已匿名化）';

/**
 * Care cases as the API shows them: the person by name only (no ID number, no phone),
 * nothing of him once the case is anonymised, workers by name.
 */
export async function presentCareCases(db: Db, rows: CaseRow[]): Promise<CareCase[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const residentIds = rows.map((r) => r.residentId).filter((x): x is string => !!x);
  const [workers, people, cats, book] = await Promise.all([
    db
      .select({ caseId: careCaseWorkers.caseId, id: users.id, name: users.displayName })
      .from(careCaseWorkers)
      .innerJoin(users, eq(users.id, careCaseWorkers.userId))
      .where(inArray(careCaseWorkers.caseId, ids)),
    residentIds.length
      ? db
          .select({ id: residents.id, name: residents.name })
          .from(residents)
          .where(inArray(residents.id, residentIds))
      : [],
    db.select({ code: careCategories.code, name: careCategories.name }).from(careCategories),
    nameBook(db),
  ]);
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const catName = new Map(cats.map((c) => [c.code, c.name]));
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    residentId: r.residentId,
    residentName: r.anonymisedAt ? anonymised : (nameOf.get(r.residentId ?? '') ?? ''),
    categoryCode: r.categoryCode,
    categoryName: catName.get(r.categoryCode) ?? r.categoryCode,
    riskLevel: r.riskLevel,
    status: r.status,
    gridId: r.gridId,
    gridName: book.units.get(r.gridId)?.name ?? '',
    plan: r.plan,
    openedAt: r.openedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    closeReason: r.closeReason,
    lastVisitAt: r.lastVisitAt?.toISOString() ?? null,
    nextVisitDue: r.nextVisitDue?.toISOString() ?? null,
    overdue: r.status === 'open' && !!r.nextVisitDue && r.nextVisitDue.getTime() < now,
    anonymised: !!r.anonymisedAt,
    workers: workers.filter((w) => w.caseId === r.id).map((w) => ({ id: w.id, name: w.name })),
  }));
}

/** A visit as the case detail lists it: the visitor by the name he had then. */
export function presentCareVisit(v: typeof careVisits.$inferSelect) {
  return {
    id: v.id,
    visitedAt: v.visitedAt.toISOString(),
    place: v.place,
    notes: v.notes,
    photoIds: v.photoIds,
    by: v.byName,
  };
}
