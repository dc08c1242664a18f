import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { resolveArea } from '../../platform/scope.js';
import type { NameBook } from '../cases/names.js';

/** The area a report covers, with the name and level its title and sub-areas need. */
export interface ReportArea {
  id: number;
  name: string;
  level: string;
  path: string;
}

/**
 * The reported area: one in the viewer's jurisdiction (platform/scope.ts `resolveArea`, 400
 * outside it), or the viewer's own unit (the root for a global viewer). Who may take reports
 * at all is the route's permission (assessment:read); the figures are then every case of the
 * area, as a leader of the area is accountable for all of them.
 */
export async function reportArea(
  db: Db,
  book: NameBook,
  actor: Actor,
  orgUnitId: number | undefined,
): Promise<ReportArea> {
  let id = orgUnitId ?? actor.orgUnitId;
  if (id === null && actor.global) id = [...book.units].find(([, u]) => u.parentId === null)?.[0] ?? null;
  if (id === null || id === undefined) throw fieldError('orgUnitId', 'required', 'REPORT_AREA_REQUIRED');
  const area = await resolveArea(db, actor, id);
  return { ...area, id, name: area.name ?? '', level: area.level ?? '' };
}
