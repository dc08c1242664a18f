import type { OrgTreeNode, orgUnit } from '@civicgrid/core/api/org';
import type { z } from 'zod';
import type { departments, orgUnits } from './tables.js';

export type OrgUnitRow = typeof orgUnits.$inferSelect;
export type TeamMember = z.infer<typeof orgUnit>['team'][number];

export function presentUnit(u: OrgUnitRow, team: TeamMember[] = []): z.infer<typeof orgUnit> {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    level: u.level,
    parentId: u.parentId,
    path: u.path,
    geometry: u.geometry ?? null,
    householdsTarget: u.householdsTarget,
    retiredAt: u.retiredAt?.toISOString() ?? null,
    team,
  };
}

export function presentGrid(u: OrgUnitRow) {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    parentId: u.parentId,
    geometry: u.geometry ?? null,
    householdsTarget: u.householdsTarget,
  };
}

/** Nests rows (sorted by code) under their parents; rows whose parent is absent are roots. */
export function buildTree(
  rows: Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'level' | 'parentId'>[],
): OrgTreeNode[] {
  const nodes = new Map<number, OrgTreeNode>();
  for (const r of rows)
    nodes.set(r.id, { id: r.id, code: r.code, name: r.name, level: r.level, children: [] });
  const roots: OrgTreeNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id) as OrgTreeNode;
    const parent = r.parentId === null ? undefined : nodes.get(r.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function presentDepartment(d: typeof departments.$inferSelect) {
  return { id: d.id, code: d.code, name: d.name, retiredAt: d.retiredAt?.toISOString() ?? null };
}
