import {
  type ApplicationTodoKind,
  applicationTodoActions,
  applicationTodoKinds,
} from '@civicgrid/core/api/services';
import { type ApplicationGuard, applicationTransitions } from '@civicgrid/core/services/stateMachine';
import { and, eq, inArray, not, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { applicationsScope } from './policy.js';
import { applications, serviceItems } from './tables.js';

/** `isHandler` of policy.ts as a condition on the rows: the back office now handling it. */
function handlerSql(actor: Actor): SQL {
  if (actor.global) return sql`true`;
  const parts: SQL[] = [];
  if (actor.departmentId !== null) parts.push(eq(applications.departmentId, actor.departmentId));
  if (actor.orgPath !== null && actor.orgLevel !== 'grid')
    parts.push(
      sql`(${applications.departmentId} is null and ${applications.handlingPath} like ${`${actor.orgPath}%`})`,
    );
  return or(...parts) ?? sql`false`;
}

const immediateSql = sql`exists (select 1 from ${serviceItems} si
  where si.id = ${applications.serviceItemId} and si.immediate)`;

function guardSql(guard: ApplicationGuard, actor: Actor): SQL {
  switch (guard) {
    case 'handler':
      return handlerSql(actor);
    case 'approvedOrImmediate':
      return sql`(${applications.status} = 'approved' or ${immediateSql})`;
  }
}

/**
 * `refusal` of policy.ts for one action, as a condition: the actor holds its permission, the
 * application is in a state it leaves from, and its guards hold. Read from the same workflow
 * table, so the to-dos and the detail's allowedActions cannot drift apart.
 */
export function allowsSql(actor: Actor, kind: ApplicationTodoKind): SQL {
  const t = applicationTransitions[applicationTodoActions[kind]];
  if (!actor.permissions.has(t.permission)) return sql`false`;
  return and(inArray(applications.status, [...t.from]), ...t.guards.map((g) => guardSql(g, actor))) as SQL;
}

/** The kind an application counts under: the first whose action it allows (no overlap). */
export function todoCondition(actor: Actor, kind: ApplicationTodoKind): SQL {
  const earlier = applicationTodoKinds.slice(0, applicationTodoKinds.indexOf(kind));
  return and(allowsSql(actor, kind), ...earlier.map((k) => not(allowsSql(actor, k)))) as SQL;
}

/**
 * 我的待办 of the service centre: per kind, the applications in the user's sight waiting for
 * that action of theirs; `total` counts the applications in any kind — equal to the sum of
 * the tiles, counted apart so that a test holds the two to it.
 */
export async function applicationTodos(db: Db, actor: Actor) {
  const conds = applicationTodoKinds.map((k) => todoCondition(actor, k));
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select ${sql.join(
      conds.map((c, i) => sql`count(*) filter (where ${c})::int as ${sql.identifier(`k${i}`)}`),
      sql`, `,
    )}, count(*) filter (where ${or(...conds) as SQL})::int as total
    from ${applications} where ${applicationsScope.where(actor)}`,
  );
  return {
    total: row?.total ?? 0,
    tiles: applicationTodoKinds.map((kind, i) => ({ kind, count: row?.[`k${i}`] ?? 0 })),
  };
}
