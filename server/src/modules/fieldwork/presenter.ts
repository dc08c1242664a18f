import type { Db } from '../../platform/db.js';
import { nameBook } from '../cases/names.js';
import type { householdVisits, patrols } from './tables.js';

/** Patrols as the API shows them: the walker by name, the grid by name, the track's figures. */
export async function presentPatrols(db: Db, rows: (typeof patrols.$inferSelect)[]) {
  const book = await nameBook(db);
  return rows.map((p) => ({
    id: p.id,
    userId: p.userId,
    userName: p.userName,
    gridId: p.gridId,
    gridName: p.gridId ? (book.units.get(p.gridId)?.name ?? null) : null,
    startedAt: p.startedAt.toISOString(),
    endedAt: p.endedAt?.toISOString() ?? null,
    // The distance is the length of the recorded track: no points, no distance to claim.
    distanceM: p.points > 0 ? Math.round(p.distanceM) : null,
    durationS: p.durationS,
    points: p.points,
  }));
}

/** A household visit: what was seen, by whom (the name he had then). */
export function presentHouseholdVisit(v: typeof householdVisits.$inferSelect) {
  return {
    id: v.id,
    visitedAt: v.visitedAt.toISOString(),
    notes: v.notes,
    photoIds: v.photoIds,
    by: v.byName,
  };
}
