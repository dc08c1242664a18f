import { z } from 'zod';
import { type TodoView, todoViews } from './cases.js';
import { intId } from './common.js';
import { governanceSummary } from './governanceStats.js';

const count = z.object({ key: z.string(), name: z.string(), count: z.number() });
const rate = z.number().nullable();

/** `GET /api/dashboard`: the console's home and the big screen read the same reply. */
export const dashboardReply = z.object({
  /**
   * `department`: a department handler's home — the cases dispatched to the department, no
   * area (they have no jurisdiction), no 小事不出网格 share, no area or department rankings.
   */
  scope: z.enum(['area', 'department']),
  area: z.object({ id: z.number().nullable(), name: z.string() }),
  today: z.object({ reported: z.number(), open: z.number(), overdue: z.number(), supervised: z.number() }),
  rates: z.object({
    onTimeRate: rate,
    fulfilmentRate: rate,
    satisfactionRate: rate,
    gridResolvedShare: rate,
  }),
  trend: z.array(z.object({ day: z.string(), reported: z.number(), closed: z.number() })),
  months: z.array(z.object({ month: z.string(), reported: z.number() })),
  byCategory: z.array(count),
  byChannel: z.array(count),
  areas: z.array(count),
  departments: z.array(z.object({ id: z.number(), name: z.string(), count: z.number(), onTimeRate: rate })),
  /** 综治中心, the last 30 days: only for holders of governance:stats with an area (absent otherwise). */
  governance: governanceSummary.optional(),
});
export type Dashboard = z.infer<typeof dashboardReply>;
export type DashboardCount = z.infer<typeof count>;

/**
 * `GET /api/dashboard/todos` (我的待办): per to-do view, the cases waiting for this user's
 * action; the views do not overlap, so `total` (the badge) is their sum, and each view's
 * case list (`/api/cases?view=…`) has exactly `count` rows.
 */
export const todoReply = z.object({
  total: z.number().int(),
  tiles: z.array(z.object({ view: z.enum(todoViews as [TodoView, ...TodoView[]]), count: z.number().int() })),
});
export type Todos = z.infer<typeof todoReply>;

/** An area of the actor's jurisdiction; unasked, the whole of it. */
export const dashboardQuery = z.object({ orgUnitId: intId.optional() });
