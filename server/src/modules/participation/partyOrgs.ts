import type {
  GridPartyBranch,
  PartyHousehold,
  PartyOrgDetail,
  PartyOrgInput,
  PartyOrgNode,
  PartyOrgPatch,
} from '@civicgrid/core/api/partyOrgs';
import { parentLevelOf, partyOrgUnitLevel } from '@civicgrid/core/participation/partyOrgs';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { buildings } from '../places/tables.js';
import { type PartyOrgRow, partyOrgsScope, peopleOf, presentHouseholds } from './partyOrgPresenter.js';
import { partyHouseholds, partyMembers, partyOrgs } from './partyOrgTables.js';

type Deps = Pick<AppDeps, 'db' | 'crypto'>;

/** Live members per organization, and each one's secretary (a person, as the presenter shows him). */
async function countsOf(deps: Deps, actor: Actor, orgIds: string[]) {
  if (!orgIds.length)
    return {
      members: new Map<string, number>(),
      secretaries: new Map<string, string>(),
      secretaryIds: new Map<string, string>(),
    };
  const live = and(inArray(partyMembers.partyOrgId, orgIds), isNull(partyMembers.removedAt));
  const [counts, secs] = await Promise.all([
    deps.db
      .select({ id: partyMembers.partyOrgId, n: count() })
      .from(partyMembers)
      .where(live)
      .groupBy(partyMembers.partyOrgId),
    deps.db
      .select()
      .from(partyMembers)
      .where(and(live, eq(partyMembers.role, 'secretary'))),
  ]);
  const people = await peopleOf(deps.db, deps.crypto, actor, secs);
  return {
    members: new Map(counts.map((c) => [c.id, Number(c.n)])),
    secretaries: new Map(secs.map((s) => [s.partyOrgId, people.get(s.id)?.name ?? ''])),
    secretaryIds: new Map(secs.map((s) => [s.partyOrgId, s.id])),
  };
}

async function namesOf(db: Db, rows: PartyOrgRow[]) {
  const units = [...new Set(rows.map((r) => r.orgUnitId))];
  const blds = [...new Set(rows.map((r) => r.buildingId).filter((b): b is number => b !== null))];
  const [u, b] = await Promise.all([
    units.length
      ? db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, units))
      : [],
    blds.length
      ? db
          .select({ id: buildings.id, name: buildings.name })
          .from(buildings)
          .where(inArray(buildings.id, blds))
      : [],
  ]);
  return {
    unit: (id: number) => u.find((x) => x.id === id)?.name ?? '',
    building: (id: number | null) => (id === null ? null : (b.find((x) => x.id === id)?.name ?? null)),
  };
}

/** The tree of the user's area (or of `orgUnitId` inside it): live organizations, 中心户 as leaves. */
export async function partyTree(deps: Deps, actor: Actor, q: { orgUnitId?: number | undefined }) {
  const { db } = deps;
  const area = await resolveArea(db, actor, q.orgUnitId);
  const rows = await db
    .select()
    .from(partyOrgs)
    .where(
      and(partyOrgsScope.where(actor), areaCondition(area, partyOrgs.orgPath), isNull(partyOrgs.retiredAt)),
    )
    .orderBy(asc(partyOrgs.orgPath), asc(partyOrgs.name));
  const ids = rows.map((r) => r.id);
  const [counts, names, marks] = await Promise.all([
    countsOf(deps, actor, ids),
    namesOf(db, rows),
    ids.length
      ? db
          .select()
          .from(partyHouseholds)
          .where(and(inArray(partyHouseholds.partyOrgId, ids), isNull(partyHouseholds.unmarkedAt)))
          .orderBy(asc(partyHouseholds.markedOn))
      : [],
  ]);
  const households = await presentHouseholds(db, deps.crypto, actor, marks);
  const nodes = new Map<string, PartyOrgNode>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        level: r.level,
        name: r.name,
        orgUnitId: r.orgUnitId,
        orgUnitName: names.unit(r.orgUnitId),
        buildingName: names.building(r.buildingId),
        secretaryName: counts.secretaries.get(r.id) ?? null,
        members: counts.members.get(r.id) ?? 0,
        households: households.filter((h) => h.partyOrgId === r.id),
        children: [],
      },
    ]),
  );
  const roots: PartyOrgNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id) as PartyOrgNode;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return { items: roots };
}

/** An organization with its secretary, children and 中心户, as the detail pane shows it. */
export async function presentDetail(deps: Deps, actor: Actor, org: PartyOrgRow): Promise<PartyOrgDetail> {
  const { db } = deps;
  const [children, parent, names] = await Promise.all([
    db
      .select()
      .from(partyOrgs)
      .where(and(eq(partyOrgs.parentId, org.id), isNull(partyOrgs.retiredAt)))
      .orderBy(asc(partyOrgs.name)),
    org.parentId
      ? db.select({ name: partyOrgs.name }).from(partyOrgs).where(eq(partyOrgs.id, org.parentId))
      : [],
    namesOf(db, [org]),
  ]);
  const counts = await countsOf(deps, actor, [org.id, ...children.map((c) => c.id)]);
  // A building group's 中心户 are its own; a higher level's, those of every organization below it.
  const marks = await db
    .select()
    .from(partyHouseholds)
    .where(
      and(
        isNull(partyHouseholds.unmarkedAt),
        org.level === 'buildingGroup'
          ? eq(partyHouseholds.partyOrgId, org.id)
          : sql`${partyHouseholds.orgPath} like ${`${org.orgPath}%`}`,
      ),
    )
    .orderBy(asc(partyHouseholds.markedOn))
    .limit(200);
  const households: PartyHousehold[] = await presentHouseholds(db, deps.crypto, actor, marks);
  const secretaryId = counts.secretaryIds.get(org.id);
  return {
    id: org.id,
    level: org.level,
    name: org.name,
    parentId: org.parentId,
    parentName: parent[0]?.name ?? null,
    orgUnitId: org.orgUnitId,
    orgUnitName: names.unit(org.orgUnitId),
    buildingId: org.buildingId,
    buildingName: names.building(org.buildingId),
    foundedOn: org.foundedOn,
    secretary: secretaryId ? { id: secretaryId, name: counts.secretaries.get(org.id) ?? '' } : null,
    members: counts.members.get(org.id) ?? 0,
    children: children.map((c) => ({
      id: c.id,
      level: c.level,
      name: c.name,
      members: counts.members.get(c.id) ?? 0,
    })),
    households,
    retiredAt: org.retiredAt?.toISOString() ?? null,
  };
}

export async function partyOrgDetail(deps: Deps, actor: Actor, id: string) {
  return presentDetail(deps, actor, await loadScoped(deps.db, actor, partyOrgsScope, id));
}

/**
 * Where a new organization goes, checked in the order a form is filled: its parent (one
 * level up, in sight), then the unit it is bound to (of its level, inside the parent's area
 * and the user's jurisdiction), then a group's building (in its branch's grid).
 */
async function placement(db: Db, actor: Actor, input: PartyOrgInput) {
  const wanted = parentLevelOf(input.level);
  let parent: PartyOrgRow | null = null;
  if (wanted === null) {
    if (input.parentId !== undefined) throw fieldError('level', 'oneBelowParent', 'PARTY_ORG_LEVEL');
  } else {
    if (input.parentId === undefined) throw fieldError('parentId', 'required', 'PARTY_ORG_PARENT');
    const [p] = await db.select().from(partyOrgs).where(eq(partyOrgs.id, input.parentId));
    if (!p || p.retiredAt || !partyOrgsScope.visible(actor, p))
      throw fieldError('parentId', 'inJurisdiction', 'PARTY_ORG_PARENT');
    if (p.level !== wanted) throw fieldError('level', 'oneBelowParent', 'PARTY_ORG_LEVEL');
    parent = p;
  }
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (!unit || unit.retiredAt || !pathInScope(actor, unit.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'PARTY_ORG_UNIT_OUTSIDE');
  if (unit.level !== partyOrgUnitLevel[input.level])
    throw fieldError('orgUnitId', 'level', 'PARTY_ORG_UNIT_LEVEL');
  if (parent) {
    const inside =
      input.level === 'buildingGroup'
        ? unit.id === parent.orgUnitId
        : unit.path.startsWith(parent.orgPath) && unit.id !== parent.orgUnitId;
    if (!inside) throw fieldError('orgUnitId', 'insideParent', 'PARTY_ORG_UNIT_OUTSIDE');
  }
  if (input.level === 'buildingGroup') {
    if (input.buildingId === undefined) throw fieldError('buildingId', 'required', 'PARTY_ORG_BUILDING');
    const [b] = await db
      .select({ gridId: buildings.gridId })
      .from(buildings)
      .where(eq(buildings.id, input.buildingId));
    if (b?.gridId !== unit.id) throw fieldError('buildingId', 'inGrid', 'PARTY_ORG_BUILDING');
  } else if (input.buildingId !== undefined) {
    throw fieldError('buildingId', 'absent', 'PARTY_ORG_BUILDING');
  }
  return { parent, unit };
}

export async function createPartyOrg(deps: Deps, actor: Actor, input: PartyOrgInput, meta: RequestMeta) {
  const { db } = deps;
  const { parent, unit } = await placement(db, actor, input);
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(partyOrgs)
      .values({
        level: input.level,
        name: input.name,
        parentId: parent?.id ?? null,
        orgUnitId: unit.id,
        buildingId: input.buildingId ?? null,
        orgPath: unit.path,
        foundedOn: input.foundedOn ?? null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!r) return null;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyOrg.created',
        { targetType: 'partyOrg', targetId: r.id },
        { level: r.level, orgUnitId: unit.id, parentId: r.parentId },
      ),
    );
    return r;
  });
  if (!row)
    throw fieldError(
      input.level === 'buildingGroup' ? 'buildingId' : 'orgUnitId',
      'unique',
      'PARTY_ORG_DUPLICATE',
    );
  return presentDetail(deps, actor, row);
}

export async function updatePartyOrg(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: PartyOrgPatch,
  meta: RequestMeta,
) {
  const row = await deps.db.transaction(async (tx) => {
    const org = await loadScoped(tx as Db, actor, partyOrgsScope, id, { forUpdate: true });
    if (org.retiredAt) throw new AppError('PARTY_ORG_RETIRED');
    const [r] = await tx
      .update(partyOrgs)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.foundedOn !== undefined ? { foundedOn: patch.foundedOn } : {}),
        updatedAt: new Date(),
      })
      .where(eq(partyOrgs.id, id))
      .returning();
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyOrg.updated',
        { targetType: 'partyOrg', targetId: id },
        { fields: Object.keys(patch).filter((k) => patch[k as keyof PartyOrgPatch] !== undefined) },
      ),
    );
    return r as PartyOrgRow;
  });
  return presentDetail(deps, actor, row);
}

/** 撤销: only an empty organization (no live organization or member under it); soft. */
export async function retirePartyOrg(deps: Deps, actor: Actor, id: string, meta: RequestMeta) {
  const row = await deps.db.transaction(async (tx) => {
    const org = await loadScoped(tx as Db, actor, partyOrgsScope, id, { forUpdate: true });
    if (org.retiredAt) throw new AppError('PARTY_ORG_RETIRED');
    const [kids] = await tx
      .select({ n: count() })
      .from(partyOrgs)
      .where(and(eq(partyOrgs.parentId, id), isNull(partyOrgs.retiredAt)));
    const [members] = await tx
      .select({ n: count() })
      .from(partyMembers)
      .where(and(eq(partyMembers.partyOrgId, id), isNull(partyMembers.removedAt)));
    if (Number(kids?.n) > 0 || Number(members?.n) > 0) throw new AppError('PARTY_ORG_NOT_EMPTY');
    const [r] = await tx
      .update(partyOrgs)
      .set({ retiredAt: new Date(), updatedAt: new Date() })
      .where(eq(partyOrgs.id, id))
      .returning();
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry('partyOrg.retired', { targetType: 'partyOrg', targetId: id }, { level: org.level }),
    );
    return r as PartyOrgRow;
  });
  return presentDetail(deps, actor, row);
}

/** A grid's party branch for the grid's page and map: null where none is set up. Another area's grid: 404. */
export async function gridPartyBranch(deps: Deps, actor: Actor, gridId: number): Promise<GridPartyBranch> {
  const [grid] = await deps.db.select().from(orgUnits).where(eq(orgUnits.id, gridId));
  if (grid?.level !== 'grid' || !pathInScope(actor, grid.path)) throw new AppError('NOT_FOUND');
  const [branch] = await deps.db
    .select()
    .from(partyOrgs)
    .where(
      and(eq(partyOrgs.orgUnitId, gridId), eq(partyOrgs.level, 'gridBranch'), isNull(partyOrgs.retiredAt)),
    );
  return {
    gridId,
    gridName: grid.name,
    branch: branch ? await presentDetail(deps, actor, branch) : null,
  };
}
