import { z } from 'zod';
import { intId } from './common.js';

const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const instant = z.string().datetime({ offset: true });

export const patrolStart = z.object({
  /** Made on the phone: sending the same start twice makes one patrol. */
  id: z.string().uuid(),
  startedAt: instant,
  gridId: intId.optional(),
});

export const patrolPointsInput = z.object({
  points: z
    .array(
      z.object({
        seq: z.number().int().min(0).max(1_000_000),
        at: instant,
        lat,
        lng,
        accuracy: z.number().min(0).max(100_000).optional(),
        segment: z.number().int().min(0).max(10_000).default(0),
      }),
    )
    .min(1)
    .max(2000),
});

export const patrolEnd = z.object({ endedAt: instant });

export const patrol = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The length of the recorded track; null while (or when) no point was recorded. */
  distanceM: z.number().nullable(),
  durationS: z.number(),
  points: z.number(),
});
export type Patrol = z.infer<typeof patrol>;

export const patrolListQuery = z.object({
  orgUnitId: intId.optional(),
  day: z.string().date('日期格式为 YYYY-MM-DD').optional(),
  userId: z.string().uuid().optional(),
});

export const workLogSummary = z.object({
  patrols: z.number().int(),
  patrolDistanceM: z.number(),
  patrolMinutes: z.number().int(),
  casesReported: z.number().int(),
  casesSelfResolved: z.number().int(),
  casesHandled: z.number().int(),
  visits: z.number().int(),
});
export type WorkLogSummary = z.infer<typeof workLogSummary>;

export const workLogInput = z.object({ notes: z.string().trim().max(4000).default('') });

export const workLog = z.object({
  day: z.string(),
  userId: z.string(),
  userName: z.string(),
  summary: workLogSummary,
  notes: z.string(),
  submittedAt: z.string().nullable(),
});

export const workLogListQuery = z.object({
  orgUnitId: intId.optional(),
  from: z.string().date('日期格式为 YYYY-MM-DD'),
  to: z.string().date('日期格式为 YYYY-MM-DD'),
});
