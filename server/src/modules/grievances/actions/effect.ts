import type { GrievanceActionBody } from '@civicgrid/core/api/grievances';
import type { WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import type { Deadline } from '@civicgrid/core/grievances/clock';
import type { GrievanceAction } from '@civicgrid/core/grievances/stateMachine';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db.js';
import type { GrievanceRow } from '../policy.js';
import type { grievances } from '../tables.js';

export type GrievanceUpdate = Partial<typeof grievances.$inferInsert>;

/** What an action is given: the locked grievance, who acts, the calendar, today (China date). */
export interface ActionContext {
  tx: Db;
  actor: Actor;
  row: GrievanceRow;
  cal: WorkCalendar;
  today: string;
}

/** What an action decides; `performAction` writes it with the state and the trail event. */
export interface ActionEffect {
  set?: GrievanceUpdate;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

export type ActionHandler<A extends GrievanceAction> = (
  ctx: ActionContext,
  body: GrievanceActionBody<A>,
) => Promise<ActionEffect> | ActionEffect;

/** The deadline that now runs, as the row keeps it (one column each for lists and counts). */
export function running(step: 'acknowledge' | 'answer' | 'reviewAnswer', d: Deadline): GrievanceUpdate {
  return { dueStep: step, dueOn: d.due, warnOn: d.warn };
}

/** No deadline runs (waiting for the person, or done). */
export const stopped: GrievanceUpdate = { dueStep: null, dueOn: null, warnOn: null };
