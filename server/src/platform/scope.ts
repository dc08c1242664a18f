import { and, count, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { orgUnits } from '../modules/org/tables.js';
import type { Actor } from './auth/actor.js';
import type { Db } from './db.js';
import { AppError, fieldError } from './errors.js';

/**
 * Jurisdiction, in one place (DESIGN.md §3). Every scoped row carries the materialised path
 * of its org unit; a user sees the rows whose path starts with theirs. A module declares, once
 * per table, how its rows are scoped (`defineScope`): the column holding the path, and any
 * need-to-know rule on top (care cases: only the assigned workers and their supervisors;
 * cases: also the departments they were sent to and the reporter). Services then read through
 * `listScoped` / `loadScoped` / `scope.where(actor)` and check loaded rows with `scope.check`.
 * Nothing else in a module decides who sees a row: a forgotten call is a leak, and the
 * authorization matrix test (server/src/test/authzMatrix.test.ts) asks every route with a
 * resource inside and outside each role's jurisdiction.
 *
 * The jurisdiction tree (org_units) is the platform's frame of reference, as the accounts
 * table is for auth; it is the one module table this file reads.
 *
 * Paths hold only digits and slashes (checked), so the prefix is inlined as a literal:
 * the planner then uses the text_pattern_ops index for the LIKE.
 */
const pathShape = /^\/(\d+\/)*$/;

function scopePrefix(actor: Actor): string | null {
  if (actor.global) return '/';
  return actor.orgPath;
}

/** The condition "`column` (an org path) lies under `prefix`", with the prefix checked. */
function underPath(column: AnyPgColumn | SQL, prefix: string): SQL {
  if (prefix === '/') return sql`true`;
  if (!pathShape.test(prefix)) throw new Error('corrupt org path');
  return sql`${column} like ${sql.raw(`'${prefix}%'`)}`;
}

/** A WHERE condition limiting `column` (an org path) to the actor's jurisdiction. */
export function jurisdiction(actor: Actor, column: AnyPgColumn | SQL): SQL {
  const prefix = scopePrefix(actor);
  if (prefix === null) return sql`false`;
  return underPath(column, prefix);
}

/** Whether an org path lies in the actor's jurisdiction (a row already loaded, an event). */
export function pathInScope(actor: Actor, path: string | null): boolean {
  const prefix = scopePrefix(actor);
  if (prefix === null || path === null) return prefix === '/';
  return path.startsWith(prefix);
}

/** Rows outside the jurisdiction do not exist for the actor: 404, not 403. */
export function assertInScope(actor: Actor, path: string | null): void {
  if (!pathInScope(actor, path)) throw new AppError('NOT_FOUND');
}

/** How one table's rows are scoped; made once per table by `defineScope`. */
export interface Scope<T extends PgTable> {
  readonly table: T;
  readonly id: AnyPgColumn;
  /** The WHERE condition of the rows the actor may see. */
  where(actor: Actor): SQL;
  /** Whether the actor may see a row already loaded (e.g. under FOR UPDATE). */
  visible(actor: Actor, row: T['$inferSelect']): boolean;
  /** `visible`, or 404 as if the row did not exist. */
  check(actor: Actor, row: T['$inferSelect'] | undefined): asserts row is T['$inferSelect'];
}

interface ScopeDefinition<T extends PgTable> {
  /** The primary key column `loadScoped` looks rows up by. */
  id: AnyPgColumn;
  /** The column holding the row's org path: the jurisdiction rule. */
  path?: AnyPgColumn;
  /**
   * The whole rule, when it is more than the jurisdiction (need to know, departments,
   * own records). Gets the jurisdiction condition of `path` (or `false` without one).
   */
  rule?: (actor: Actor, inJurisdiction: SQL) => SQL;
  /** The same rule for a loaded row; required with `rule`. */
  visibleRow?: (actor: Actor, row: T['$inferSelect'], inJurisdiction: boolean) => boolean;
}

/** Declares how the rows of `table` are scoped; the module keeps the result in its policy.ts. */
export function defineScope<T extends PgTable>(table: T, def: ScopeDefinition<T>): Scope<T> {
  if (def.rule && !def.visibleRow) throw new Error('defineScope: a rule needs its visibleRow twin');
  const pathOf = (row: T['$inferSelect']): string | null => {
    if (!def.path) return null;
    const key = Object.entries(getTableColumns(table)).find(([, c]) => c === def.path)?.[0];
    return key ? ((row as Record<string, unknown>)[key] as string | null) : null;
  };
  const scope: Scope<T> = {
    table,
    id: def.id,
    where(actor) {
      const inJurisdiction = def.path ? jurisdiction(actor, def.path) : sql`false`;
      return def.rule ? def.rule(actor, inJurisdiction) : inJurisdiction;
    },
    visible(actor, row) {
      const inJurisdiction = def.path ? pathInScope(actor, pathOf(row)) : false;
      return def.visibleRow ? def.visibleRow(actor, row, inJurisdiction) : inJurisdiction;
    },
    check(actor, row): asserts row is T['$inferSelect'] {
      if (!row || !scope.visible(actor, row)) throw new AppError('NOT_FOUND');
    },
  };
  return scope;
}

/** One row by id if the actor may see it; 404 otherwise (outside and missing look alike). */
export async function loadScoped<T extends PgTable>(
  db: Db,
  actor: Actor,
  scope: Scope<T>,
  id: string | number,
  options: { forUpdate?: boolean } = {},
): Promise<T['$inferSelect']> {
  const q = db
    .select()
    .from(scope.table as PgTable)
    .where(and(eq(scope.id, id), scope.where(actor)));
  const [row] = options.forUpdate ? await q.for('update') : await q;
  if (!row) throw new AppError('NOT_FOUND');
  return row as T['$inferSelect'];
}

/** A page of the rows the actor may see, with the total; `where` narrows further. */
export async function listScoped<T extends PgTable>(
  db: Db,
  actor: Actor,
  scope: Scope<T>,
  q: { where?: SQL | undefined; orderBy?: SQL[]; page?: number; pageSize?: number } = {},
): Promise<{ items: T['$inferSelect'][]; total: number }> {
  const cond = and(scope.where(actor), q.where);
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const [rows, [t]] = await Promise.all([
    db
      .select()
      .from(scope.table as PgTable)
      .where(cond)
      .orderBy(...(q.orderBy ?? []))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: count() })
      .from(scope.table as PgTable)
      .where(cond),
  ]);
  return { items: rows as T['$inferSelect'][], total: Number(t?.n ?? 0) };
}

/** An area the actor asked to narrow a view to (`?orgUnitId=`). */
export interface Area {
  id: number | null;
  name: string | null;
  level: string | null;
  path: string;
}

/**
 * The one area filter: the area asked for by id must exist and lie in the actor's
 * jurisdiction (400 `orgUnitId` otherwise, naming nothing of it); without one, the actor's
 * own jurisdiction. Use `areaCondition` to turn it into a WHERE on an org-path column.
 */
export async function resolveArea(db: Db, actor: Actor, orgUnitId: number | undefined): Promise<Area> {
  if (orgUnitId === undefined) {
    const prefix = scopePrefix(actor);
    if (prefix === null) throw fieldError('orgUnitId', 'required', 'AREA_REQUIRED');
    return { id: actor.orgUnitId, name: actor.orgUnitName, level: actor.orgLevel, path: prefix };
  }
  const [u] = await db
    .select({ id: orgUnits.id, name: orgUnits.name, level: orgUnits.level, path: orgUnits.path })
    .from(orgUnits)
    .where(eq(orgUnits.id, orgUnitId));
  if (!u || !pathInScope(actor, u.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'AREA_NOT_IN_JURISDICTION');
  return u;
}

/** Rows whose org path (`column`) lies in the area. */
export function areaCondition(area: Area, column: AnyPgColumn | SQL): SQL {
  return underPath(column, area.path);
}

/**
 * A grid a request names (a new record's grid, a move's target): active and inside the
 * actor's jurisdiction, or 400 `gridId` that names nothing of it.
 */
export async function gridInScope(db: Db, actor: Actor, gridId: number) {
  const [g] = await db.select().from(orgUnits).where(eq(orgUnits.id, gridId));
  if (g?.level !== 'grid' || g.retiredAt || !pathInScope(actor, g.path))
    throw fieldError('gridId', 'inJurisdiction', 'GRID_NOT_IN_JURISDICTION');
  return g;
}
