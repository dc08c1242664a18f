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

/** The calendar day of a work log or a coverage map, in Beijing time. */
export const workDay = z.string().date('日期格式为 YYYY-MM-DD');
export const workDayParams = z.object({ day: workDay });
export const patrolList = z.object({ items: z.array(patrol) });

const lineCoordinates = z.array(z.array(z.tuple([z.number(), z.number()])));
/** A patrol's walk as GeoJSON: one line per segment (a pause breaks the line). */
export const patrolTrack = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('MultiLineString'), coordinates: lineCoordinates }),
  properties: z.object({ id: z.string(), userName: z.string().optional() }),
});
export type PatrolTrack = z.infer<typeof patrolTrack>;
export const patrolTrackReply = z.object({ patrol: patrol.optional(), track: patrolTrack });

export const gridCoverageQuery = z.object({ gridId: intId, day: workDay });
/** A grid's lattice of cells, each covered when a track of the day passes within 50 m. */
export const gridCoverage = z.object({
  gridId: z.number().int(),
  day: z.string(),
  coverage: z.number(),
  patrols: z.array(patrol),
  tracks: z.array(patrolTrack),
  cells: z.array(z.object({ lng: z.number(), lat: z.number(), covered: z.boolean() })),
});

/** The households and housing units of one grid, for a visit or a registration on the phone. */
export const gridQuery = z.object({ gridId: intId });
export const gridHousehold = z.object({
  id: z.number().int(),
  code: z.string(),
  address: z.string().nullable(),
  headName: z.string().nullable(),
  members: z.number().int(),
});
export type GridHousehold = z.infer<typeof gridHousehold>;
export const gridHouseholdList = z.object({ items: z.array(gridHousehold) });
export const gridHousingUnitList = z.object({
  items: z.array(z.object({ id: z.number().int(), address: z.string().nullable() })),
});

export const householdVisitInput = z.object({
  /** Made on the phone: a visit sent twice (its reply lost) is one visit. */
  id: z.string().uuid(),
  householdId: intId,
  visitedAt: instant,
  notes: z.string().trim().min(1, '请填写走访情况').max(4000),
  photoIds: z.array(z.string().uuid()).max(9).default([]),
});
export const householdVisitRecorded = z.object({ id: z.string() });
export const householdVisit = z.object({
  id: z.string(),
  visitedAt: z.string(),
  notes: z.string(),
  photoIds: z.array(z.string()),
  by: z.string(),
});
export const householdVisitList = z.object({ items: z.array(householdVisit) });

export const workLogList = z.object({
  items: z.array(workLog),
  missing: z.array(z.object({ userId: z.string(), userName: z.string(), day: z.string() })),
});
