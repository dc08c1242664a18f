import { and, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
import { casesScope } from '../cases/policy.js';
import { cases } from '../cases/tables.js';

/**
 * Which cases a home counts, and from where. Who may read a dashboard at all is the route's
 * permission; this decides over what: the cases the viewer may see (cases/policy.ts), in the
 * area asked for (platform/scope.ts `resolveArea`, 400 outside the jurisdiction).
 */
export interface DashboardView {
  /**
   * A department handler has no jurisdiction: their home is the department's cases (those
   * dispatched to it), never the district's, and grid-level figures mean nothing there.
   */
  ofDepartment: boolean;
  area: Area;
  /** The cases counted: in the viewer's case scope and in the area. */
  within: SQL;
  /**
   * A district or street seen by someone whose case jurisdiction covers it is read from the
   * daily roll-ups (a year of a district is ~10^4 rows, not 10^6 cases); smaller areas and
   * department handlers aggregate the cases themselves, which are few enough.
   */
  fromRollups: boolean;
}

export async function dashboardView(
  db: Db,
  actor: Actor,
  orgUnitId: number | undefined,
  opts: { rollup?: boolean } = {},
): Promise<DashboardView> {
  const ofDepartment = !actor.global && actor.orgPath === null && actor.departmentId !== null;
  // Without an area asked for, the jurisdiction; a department handler has none, and his
  // cases are those the scope gives him wherever they lie.
  const area: Area =
    orgUnitId === undefined && !actor.global && actor.orgPath === null
      ? { id: null, name: null, level: null, path: '/' }
      : await resolveArea(db, actor, orgUnitId);
  const depth = area.path.split('/').filter(Boolean).length;
  return {
    ofDepartment,
    area,
    within: and(casesScope.where(actor), areaCondition(area, cases.orgPath)) as SQL,
    fromRollups: !ofDepartment && opts.rollup !== false && actor.permissions.has('case:read') && depth <= 2,
  };
}

/** The to-do counts are over the cases the viewer may see, wherever they lie. */
export const todoCases = (actor: Actor): SQL => casesScope.where(actor);
