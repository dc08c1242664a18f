import type { ApplicationActionBody } from '@civicgrid/core/api/services';
import type { WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import type { ApplicationAction } from '@civicgrid/core/services/stateMachine';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db.js';
import type { ApplicationRow } from '../policy.js';
import type { applications, serviceItems } from '../tables.js';

export type ItemRow = typeof serviceItems.$inferSelect;
export type ApplicationUpdate = Partial<typeof applications.$inferInsert>;

/** What an action is given: the locked application, its item version, who acts, the calendar. */
export interface ActionContext {
  tx: Db;
  actor: Actor;
  row: ApplicationRow;
  item: ItemRow;
  cal: WorkCalendar;
  now: number;
}

/** What an action decides; `performAction` writes it with the state and the trail event. */
export interface ActionEffect {
  set?: ApplicationUpdate;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

export type ActionHandler<A extends ApplicationAction> = (
  ctx: ActionContext,
  body: ApplicationActionBody<A>,
) => Promise<ActionEffect> | ActionEffect;
