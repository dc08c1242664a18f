import type { ActionBody } from '@civicgrid/core/api/cases';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';
import type { CaseRow, CaseUpdate } from './actions/effect.js';
import type { NameBook } from './names.js';
import { casesScope, handlingPath } from './policy.js';
import { gridTeamIds, holders } from './recipients.js';

/** Checks what a dispatch names: it must exist, be active and sit under the handling unit. */
export async function resolveAssignee(
  tx: Db,
  row: CaseRow,
  a: ActionBody<'dispatch'>['assignee'],
  book: NameBook,
): Promise<{ set: CaseUpdate; name: string; notify: string[] }> {
  if (a.kind === 'department') {
    const id = Number(a.id);
    const [d] = await tx.select().from(departments).where(eq(departments.id, id));
    if (!d || d.retiredAt) throw fieldError('assignee.id', 'exists', 'CASE_DEPARTMENT_UNKNOWN');
    return {
      set: {
        assigneeKind: 'department',
        assigneeDepartmentId: id,
        assigneeUnitId: null,
        assigneeUserId: null,
        departmentIds: [...new Set([...row.departmentIds, id])],
      },
      name: d.name,
      notify: await holders(tx, { departmentId: id }, 'case:handle'),
    };
  }
  if (a.kind === 'orgUnit') {
    const id = Number(a.id);
    const u = book.units.get(id);
    const [fresh] = await tx.select().from(orgUnits).where(eq(orgUnits.id, id));
    if (!u || !fresh || fresh.retiredAt || !fresh.path.startsWith(handlingPath(row)))
      throw fieldError('assignee.id', 'inJurisdiction', 'CASE_ASSIGNEE_UNIT_OUTSIDE');
    const notify =
      fresh.level === 'grid' ? await gridTeamIds(tx, id) : await holders(tx, { unitId: id }, 'case:handle');
    return {
      set: { assigneeKind: 'orgUnit', assigneeUnitId: id, assigneeDepartmentId: null, assigneeUserId: null },
      name: fresh.name,
      notify,
    };
  }
  const id = String(a.id);
  const [u] = await tx
    .select({
      id: users.id,
      name: users.displayName,
      orgPath: users.orgPath,
      departmentId: users.departmentId,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(sql`${users.id}::text = ${id}`);
  const inJurisdiction =
    u && !u.disabledAt && (u.departmentId !== null || (u.orgPath ?? '').startsWith(handlingPath(row)));
  if (!u || !inJurisdiction) throw fieldError('assignee.id', 'inJurisdiction', 'CASE_ASSIGNEE_OUTSIDE');
  // The same rule as the assignee picker: a case goes only to someone who can handle it.
  if ((await holders(tx, { userId: u.id }, 'case:handle')).length === 0)
    throw fieldError('assignee.id', 'canHandle', 'CASE_ASSIGNEE_CANNOT_HANDLE');
  return {
    set: {
      assigneeKind: 'user',
      assigneeUserId: u.id,
      assigneeUnitId: null,
      assigneeDepartmentId: null,
      departmentIds: u.departmentId
        ? [...new Set([...row.departmentIds, u.departmentId])]
        : row.departmentIds,
    },
    name: u.name,
    notify: [u.id],
  };
}

/**
 * Whom a case may be dispatched to. People: only those who can handle cases (case:handle)
 * — the handling unit's own staff and those below it, nearest first, then department
 * handlers (a dispatch to one names his department too) — found by name with `q`.
 */
export async function assigneeChoices(db: Db, actor: Actor, id: string, q?: string) {
  const row = await loadScoped(db, actor, casesScope, id);
  const path = handlingPath(row);
  const handlers = sql`exists (select 1 from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.roleId}
    where ${userRoles.userId} = ${users.id} and ${roles.permissions} ? 'case:handle')`;
  const term = q?.trim().replace(/[\\%_]/g, '\\$&');
  const named = term ? sql`${users.displayName} like ${`%${term}%`}` : undefined;
  const [depts, units, people] = await Promise.all([
    db
      .select({ id: departments.id, name: departments.name })
      .from(departments)
      .where(isNull(departments.retiredAt))
      .orderBy(asc(departments.id)),
    db
      .select({ id: orgUnits.id, name: orgUnits.name, level: orgUnits.level })
      .from(orgUnits)
      .where(and(sql`${orgUnits.path} like ${`${path}%`}`, isNull(orgUnits.retiredAt)))
      .orderBy(asc(orgUnits.path))
      .limit(500),
    db
      .select({
        id: users.id,
        name: users.displayName,
        unitName: sql<string | null>`coalesce(${orgUnits.name}, ${departments.name})`,
      })
      .from(users)
      .leftJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      .leftJoin(departments, eq(departments.id, users.departmentId))
      .where(
        and(
          isNull(users.disabledAt),
          sql`(${users.orgPath} like ${`${path}%`} or ${users.departmentId} is not null)`,
          handlers,
          named,
        ),
      )
      .orderBy(sql`length(${users.orgPath}) nulls last`, asc(users.displayName))
      .limit(100),
  ]);
  return { departments: depts, units, users: people };
}
