import { z } from 'zod';

const count = z.object({ key: z.string(), name: z.string(), count: z.number() });
const rate = z.number().nullable();

/** `GET /api/dashboard`: the console's home and the big screen read the same reply. */
export const dashboardReply = z.object({
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
});
export type Dashboard = z.infer<typeof dashboardReply>;
export type DashboardCount = z.infer<typeof count>;
