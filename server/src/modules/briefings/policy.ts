import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { defineScope } from '../../platform/scope.js';
import { briefings, type briefingTasks } from './tables.js';

/** Who sees a briefing: holders of briefing:read whose jurisdiction holds the meeting's unit. */
export const briefingsScope = defineScope(briefings, {
  id: briefings.id,
  path: briefings.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('briefing:read') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('briefing:read') && inJurisdiction,
});

type TaskRow = typeof briefingTasks.$inferSelect;

/** The task's owner: the person named, or a member of the department named. */
export function ownsTask(actor: Actor, task: TaskRow): boolean {
  return (
    task.ownerUserId === actor.userId ||
    (task.departmentId !== null && task.departmentId === actor.departmentId)
  );
}
