import {
  childLevel,
  type ErrorCode,
  type ErrorParams,
  errorText,
  type FieldError,
  isChildCode,
  isValidOrgCode,
  type OrgLevel,
} from '@civicgrid/core';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import { and, eq, inArray, isNotNull, isNull, like, ne, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, loadScoped } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { orgUnitScope } from './policy.js';
import { buildTree, type OrgUnitRow, type TeamMember } from './presenter.js';
import { gridTeamMembers, orgUnits } from './tables.js';

/**
 * Tables of other modules that carry org paths register here, so that moving a unit
 * carries every scoped row along in the same transaction.
 */
type PathFollower = (tx: Db, oldPrefix: string, newPrefix: string) => Promise<void>;
const pathFollowers: PathFollower[] = [
  (tx, from, to) =>
    tx
      .update(users)
      .set({ orgPath: sql`${to} || substr(${users.orgPath}, ${from.length + 1})` })
      .where(like(users.orgPath, `${from}%`))
      .then(() => undefined),
];
export function registerPathFollower(f: PathFollower): void {
  pathFollowers.push(f);
}

export async function orgTree(db: Db, actor: Actor, includeRetired = false) {
  const rows = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      level: orgUnits.level,
      parentId: orgUnits.parentId,
    })
    .from(orgUnits)
    .where(and(orgUnitScope.where(actor), includeRetired ? undefined : isNull(orgUnits.retiredAt)))
    .orderBy(orgUnits.code);
  return buildTree(rows);
}

/** Loads a unit the actor may see, or 404. */
export function loadUnit(db: Db, actor: Actor, id: number): Promise<OrgUnitRow> {
  return loadScoped(db, actor, orgUnitScope, id);
}

export async function teamOf(db: Db, gridId: number): Promise<TeamMember[]> {
  const rows = await db
    .select({ userId: gridTeamMembers.userId, role: gridTeamMembers.role, displayName: users.displayName })
    .from(gridTeamMembers)
    .innerJoin(users, eq(users.id, gridTeamMembers.userId))
    .where(eq(gridTeamMembers.gridId, gridId))
    .orderBy(gridTeamMembers.role, users.displayName);
  return rows;
}

export async function gridsUnder(db: Db, actor: Actor, id: number): Promise<OrgUnitRow[]> {
  const unit = await loadUnit(db, actor, id);
  return db
    .select()
    .from(orgUnits)
    .where(and(areaCondition(unit, orgUnits.path), eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)))
    .orderBy(orgUnits.code);
}

/** The drawn areas above grid level in the actor's jurisdiction, for maps (grids have their own list). */
export async function mapAreas(db: Db, actor: Actor) {
  const rows = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      level: orgUnits.level,
      parentId: orgUnits.parentId,
      geometry: orgUnits.geometry,
    })
    .from(orgUnits)
    .where(
      and(
        orgUnitScope.where(actor),
        ne(orgUnits.level, 'grid'),
        isNull(orgUnits.retiredAt),
        isNotNull(orgUnits.geometry),
      ),
    )
    .orderBy(orgUnits.code);
  return rows.map((r) => ({ ...r, geometry: r.geometry as AreaGeometry }));
}

/** The next free 3-digit suffix below a parent code (grids: 001, 002, …). */
async function nextChildCode(tx: Db, parent: OrgUnitRow): Promise<string> {
  const [row] = await tx
    .select({ max: sql<string | null>`max(${orgUnits.code})` })
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, parent.id), sql`length(${orgUnits.code}) = ${parent.code.length + 3}`));
  const next = row?.max ? Number(row.max.slice(-3)) + 1 : 1;
  if (next > 999) throw new AppError('ORG_CODE_INVALID', 'no free code below this parent');
  return `${parent.code}${String(next).padStart(3, '0')}`;
}

/** One field problem of a refusal whose reply code is the operation's (ORG_CODE_INVALID, GRID_TEAM_INVALID). */
function problem(field: string, rule: string, code: ErrorCode, params?: ErrorParams): FieldError {
  return { field, rule, code, message: errorText(code, 'zh', params), ...(params ? { params } : {}) };
}

function checkCode(code: string, level: OrgLevel, parentCode: string): void {
  if (!isValidOrgCode(code, level) || !isChildCode(parentCode, code)) {
    const digits = level === 'grid' ? 15 : level === 'community' ? 12 : 9;
    throw new AppError('ORG_CODE_INVALID', undefined, [
      problem('code', 'orgCode', 'ORG_CODE_PREFIX', { parentCode, digits }),
    ]);
  }
}

export interface CreateUnitInput {
  parentId: number;
  name: string;
  code?: string | undefined;
  geometry?: AreaGeometry | undefined;
  householdsTarget?: number | undefined;
}

export async function createUnit(db: Db, actor: Actor, input: CreateUnitInput, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const parent = await loadUnit(tx, actor, input.parentId).catch(() => {
      throw fieldError('parentId', 'exists', 'ORG_PARENT_NOT_FOUND');
    });
    if (parent.retiredAt) throw fieldError('parentId', 'active', 'ORG_PARENT_RETIRED');
    const level = childLevel(parent.level);
    if (!level) throw fieldError('parentId', 'level', 'ORG_BELOW_GRID');
    const code = input.code ?? (await nextChildCode(tx, parent));
    checkCode(code, level, parent.code);
    const [taken] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, code));
    if (taken) throw new AppError('ORG_CODE_TAKEN', undefined, [problem('code', 'unique', 'ORG_CODE_TAKEN')]);
    const [row] = await tx
      .insert(orgUnits)
      .values({
        code,
        name: input.name,
        level,
        parentId: parent.id,
        path: `${parent.path}pending/`,
        geometry: input.geometry ?? null,
        householdsTarget: input.householdsTarget ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    const [unit] = await tx
      .update(orgUnits)
      .set({ path: `${parent.path}${row.id}/` })
      .where(eq(orgUnits.id, row.id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'org.unitCreated',
      targetType: 'orgUnit',
      targetId: row.id,
      payload: { code, level, parentId: parent.id },
    });
    return unit as OrgUnitRow;
  });
}

export async function updateUnit(
  db: Db,
  actor: Actor,
  id: number,
  input: {
    name?: string | undefined;
    geometry?: AreaGeometry | null | undefined;
    householdsTarget?: number | null | undefined;
  },
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    await loadUnit(tx, actor, id);
    const [unit] = await tx
      .update(orgUnits)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(orgUnits.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'org.unitUpdated',
      targetType: 'orgUnit',
      targetId: id,
      payload: { fields: Object.keys(input) },
    });
    return unit as OrgUnitRow;
  });
}

/**
 * Moves a unit below another parent of the same level as its current one. The unit
 * and its subtree are recoded under the new parent's code (a child's code begins with
 * its parent's) and every path below follows.
 */
export async function moveUnit(db: Db, actor: Actor, id: number, parentId: number, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const unit = await loadUnit(tx, actor, id);
    const target = await loadUnit(tx, actor, parentId).catch(() => {
      throw fieldError('parentId', 'exists', 'ORG_PARENT_NOT_FOUND');
    });
    if (unit.parentId === null || childLevel(target.level) !== unit.level) {
      throw new AppError('ORG_MOVE_INVALID', undefined, [problem('parentId', 'level', 'ORG_MOVE_LEVEL')]);
    }
    if (target.path.startsWith(unit.path)) throw new AppError('ORG_MOVE_INVALID');
    if (target.retiredAt) throw fieldError('parentId', 'active', 'ORG_PARENT_RETIRED');
    if (unit.parentId === target.id) return unit;
    const oldPath = unit.path;
    const newPath = `${target.path}${unit.id}/`;
    const oldCode = unit.code;
    const newCode = await nextChildCode(tx, target);
    await tx
      .update(orgUnits)
      .set({
        path: sql`${newPath} || substr(${orgUnits.path}, ${oldPath.length + 1})`,
        code: sql`${newCode} || substr(${orgUnits.code}, ${oldCode.length + 1})`,
        updatedAt: new Date(),
      })
      .where(like(orgUnits.path, `${oldPath}%`));
    await tx.update(orgUnits).set({ parentId: target.id }).where(eq(orgUnits.id, unit.id));
    for (const follow of pathFollowers) await follow(tx, oldPath, newPath);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'org.unitMoved',
      targetType: 'orgUnit',
      targetId: id,
      payload: { from: unit.parentId, to: target.id, oldCode, newCode },
    });
    const [moved] = await tx.select().from(orgUnits).where(eq(orgUnits.id, id));
    return moved as OrgUnitRow;
  });
}

export async function retireUnit(db: Db, actor: Actor, id: number, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const unit = await loadUnit(tx, actor, id);
    if (unit.retiredAt) return unit;
    if (unit.path === actor.orgPath) throw new AppError('FORBIDDEN', 'you cannot retire your own unit');
    const [child] = await tx
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, id), isNull(orgUnits.retiredAt)))
      .limit(1);
    if (child) throw new AppError('ORG_HAS_CHILDREN');
    const [row] = await tx
      .update(orgUnits)
      .set({ retiredAt: new Date() })
      .where(eq(orgUnits.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'org.unitRetired',
      targetType: 'orgUnit',
      targetId: id,
    });
    return row as OrgUnitRow;
  });
}

/** A grid team: exactly one manager, two to five assistants, any number of informants. */
export async function setTeam(
  db: Db,
  actor: Actor,
  gridId: number,
  members: { userId: string; role: TeamMember['role'] }[],
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    const grid = await loadUnit(tx, actor, gridId);
    if (grid.level !== 'grid') throw new AppError('GRID_TEAM_INVALID', 'only grids have teams');
    const count = (role: TeamMember['role']) => members.filter((m) => m.role === role).length;
    const problems: FieldError[] = [];
    if (count('gridManager') !== 1) problems.push(problem('members', 'oneManager', 'GRID_TEAM_ONE_MANAGER'));
    const assistants = count('gridAssistant');
    if (assistants < 2 || assistants > 5)
      problems.push(problem('members', 'assistants2to5', 'GRID_TEAM_ASSISTANTS', { min: 2, max: 5 }));
    if (new Set(members.map((m) => m.userId)).size !== members.length) {
      problems.push(problem('members', 'unique', 'GRID_TEAM_DUPLICATE'));
    }
    if (problems.length) throw new AppError('GRID_TEAM_INVALID', undefined, problems);
    const ids = members.map((m) => m.userId);
    const found = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, ids), isNull(users.disabledAt)));
    if (found.length !== ids.length) {
      throw new AppError('GRID_TEAM_INVALID', undefined, [
        problem('members', 'activeUsers', 'GRID_TEAM_INACTIVE_USER'),
      ]);
    }
    await tx.delete(gridTeamMembers).where(eq(gridTeamMembers.gridId, gridId));
    await tx.insert(gridTeamMembers).values(members.map((m) => ({ gridId, userId: m.userId, role: m.role })));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'org.teamUpdated',
      targetType: 'orgUnit',
      targetId: gridId,
      payload: { members: members.map((m) => ({ userId: m.userId, role: m.role })) },
    });
    return grid;
  });
}
