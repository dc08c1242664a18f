import { todoViews } from '@civicgrid/core/api/cases';
import type { Todos } from '@civicgrid/core/api/dashboard';
import { or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { listConditions } from '../cases/service.js';
import { cases } from '../cases/tables.js';
import { todoCases } from './policy.js';
import { presentTodos } from './presenter.js';

/**
 * 我的待办: the count of each to-do view, with the very conditions of the case list, and the
 * number of distinct cases in any of them — equal to the sum, since a case waits for one
 * action at a time; counted apart so that a test can hold the two to it.
 */
export async function todos(db: Db, actor: Actor): Promise<Todos> {
  const conds = todoViews.map((view) => listConditions(actor, { view }));
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select ${sql.join(
      conds.map((c, i) => sql`count(*) filter (where ${c})::int as ${sql.identifier(`v${i}`)}`),
      sql`, `,
    )}, count(*) filter (where ${or(...conds) as SQL})::int as total
    from ${cases} where ${todoCases(actor)}`,
  );
  return presentTodos(row);
}
