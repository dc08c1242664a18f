import type { patrolListQuery, patrolPointsInput, WorkLogSummary } from '@civicgrid/core/api/fieldwork';
import { isWorkday, localDay } from '@civicgrid/core/calendar/workCalendar';
import { distanceM, pointInGeometry } from '@civicgrid/core/geo';
import { and, asc, desc, eq, gte, inArray, like, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { queryRows } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, gridInScope, loadScoped, resolveArea } from '../../platform/scope.js';
import { activeUsersWith } from '../accounts/users.js';
import { workCalendar } from '../cases/calendar.js';
import { assertOwnPhotos } from '../cases/photos.js';
import { orgUnitScope } from '../org/policy.js';
import { registerPathFollower } from '../org/service.js';
import { householdScope } from '../places/policy.js';
import { households } from '../places/tables.js';
import { householdVisitScope, mayRecordOn, patrolScope, workLogScope } from './policy.js';
import { presentHouseholdVisit, presentPatrols } from './presenter.js';
import { householdVisits, patrolPoints, patrols, workLogs } from './tables.js';

for (const table of [patrols, workLogs, householdVisits]) {
  registerPathFollower(async (tx, from, to) => {
    await tx
      .update(table)
      .set({ orgPath: sql`${to} || substr(${table.orgPath}, ${from.length + 1})` })
      .where(like(table.orgPath, `${from}%`));
  });
}

type PatrolRow = typeof patrols.$inferSelect;

/** A China-time day as an instant range. */
function dayRange(day: string): [Date, Date] {
  const start = new Date(`${day}T00:00:00+08:00`);
  return [start, new Date(start.getTime() + 86_400_000)];
}

export async function startPatrol(
  db: Db,
  actor: Actor,
  input: { id: string; startedAt: string; gridId?: number | undefined },
) {
  const gridId = input.gridId ?? (actor.orgLevel === 'grid' ? actor.orgUnitId : null);
  const grid = gridId ? await gridInScope(db, actor, gridId) : null;
  const started = new Date(input.startedAt);
  if (started.getTime() > Date.now() + 5 * 60_000)
    throw fieldError('startedAt', 'notFuture', 'PATROL_START_IN_FUTURE');
  await db
    .insert(patrols)
    .values({
      id: input.id,
      userId: actor.userId,
      userName: actor.displayName,
      gridId: grid?.id ?? null,
      orgPath: grid?.path ?? actor.orgPath ?? '/',
      startedAt: started,
    })
    .onConflictDoNothing();
  return (await presentPatrols(db, [await ownPatrol(db, actor, input.id)]))[0];
}

/** A patrol the actor walks; another's is not found, even when he may see it. */
async function ownPatrol(db: Db, actor: Actor, id: string): Promise<PatrolRow> {
  const p = await loadScoped(db, actor, patrolScope, id);
  if (!mayRecordOn(actor, p)) throw new AppError('NOT_FOUND');
  return p;
}

/** Distance and walking time from the points: segments are joined only within themselves. */
async function recompute(tx: Db, id: string) {
  const pts = await tx
    .select({
      at: patrolPoints.at,
      lat: patrolPoints.lat,
      lng: patrolPoints.lng,
      segment: patrolPoints.segment,
    })
    .from(patrolPoints)
    .where(eq(patrolPoints.patrolId, id))
    .orderBy(asc(patrolPoints.seq));
  let distance = 0;
  let seconds = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1] as (typeof pts)[number];
    const b = pts[i] as (typeof pts)[number];
    if (a.segment !== b.segment) continue;
    distance += distanceM(a, b);
    seconds += Math.max(0, (b.at.getTime() - a.at.getTime()) / 1000);
  }
  await tx
    .update(patrols)
    .set({ distanceM: distance, durationS: Math.round(seconds), points: pts.length })
    .where(eq(patrols.id, id));
}

/** Points are numbered on the phone: a batch sent twice adds nothing the second time. */
export async function addPoints(db: Db, actor: Actor, id: string, input: z.infer<typeof patrolPointsInput>) {
  return db.transaction(async (tx) => {
    await ownPatrol(tx, actor, id);
    await tx
      .insert(patrolPoints)
      .values(
        input.points.map((p) => ({
          patrolId: id,
          seq: p.seq,
          at: new Date(p.at),
          lat: p.lat,
          lng: p.lng,
          accuracy: p.accuracy ?? null,
          segment: p.segment,
        })),
      )
      .onConflictDoNothing();
    await recompute(tx, id);
    return (await presentPatrols(tx, [await ownPatrol(tx, actor, id)]))[0];
  });
}

export async function endPatrol(db: Db, actor: Actor, id: string, endedAt: string) {
  return db.transaction(async (tx) => {
    const p = await ownPatrol(tx, actor, id);
    if (!p.endedAt) {
      const end = new Date(endedAt);
      if (end < p.startedAt) throw fieldError('endedAt', 'afterStart', 'PATROL_END_BEFORE_START');
      await tx.update(patrols).set({ endedAt: end }).where(eq(patrols.id, id));
    }
    return (await presentPatrols(tx, [await ownPatrol(tx, actor, id)]))[0];
  });
}

export async function listPatrols(db: Db, actor: Actor, q: z.infer<typeof patrolListQuery>) {
  const cond: (SQL | undefined)[] = [patrolScope.where(actor)];
  if (q.day) {
    const [from, to] = dayRange(q.day);
    cond.push(gte(patrols.startedAt, from), lt(patrols.startedAt, to));
  }
  if (q.userId) cond.push(eq(patrols.userId, q.userId));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), patrols.orgPath));
  const rows = await db
    .select()
    .from(patrols)
    .where(and(...cond))
    .orderBy(desc(patrols.startedAt))
    .limit(500);
  return presentPatrols(db, rows);
}

function lines(pts: { lat: number; lng: number; segment: number }[]) {
  const bySegment = new Map<number, [number, number][]>();
  for (const p of pts) bySegment.set(p.segment, [...(bySegment.get(p.segment) ?? []), [p.lng, p.lat]]);
  return [...bySegment.values()].filter((l) => l.length >= 2);
}

/** A patrol's track as GeoJSON: one line per segment (pauses break the line). */
export async function patrolTrack(db: Db, actor: Actor, id: string) {
  const p = await loadScoped(db, actor, patrolScope, id);
  const pts = await db
    .select()
    .from(patrolPoints)
    .where(eq(patrolPoints.patrolId, id))
    .orderBy(asc(patrolPoints.seq));
  return {
    patrol: (await presentPatrols(db, [p]))[0],
    track: {
      type: 'Feature' as const,
      geometry: { type: 'MultiLineString' as const, coordinates: lines(pts) },
      properties: { id: p.id },
    },
  };
}

type TrackPoint = { patrolId: string; lat: number; lng: number; segment: number };

/**
 * Whether the walk passes within `m` metres of `c`: the distance to each leg between two
 * consecutive points of a segment (a flat projection around `c`, exact enough at grid
 * scale), or to the point itself where a segment has only one. Points come in order.
 */
function passesNear(c: { lat: number; lng: number }, pts: TrackPoint[], m: number): boolean {
  const kx = 111_320 * Math.cos((c.lat * Math.PI) / 180);
  const ky = 110_574;
  const xy = (p: { lat: number; lng: number }) => [(p.lng - c.lng) * kx, (p.lat - c.lat) * ky] as const;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as TrackPoint;
    const [ax, ay] = xy(p);
    if (ax * ax + ay * ay <= m * m) return true;
    const q = pts[i + 1];
    if (!q || q.patrolId !== p.patrolId || q.segment !== p.segment) continue;
    const [bx, by] = xy(q);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    const k = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    const px = ax + k * dx;
    const py = ay + k * dy;
    if (px * px + py * py <= m * m) return true;
  }
  return false;
}

/**
 * A grid's patrol coverage for a day: the grid is cut into a 20 × 20 lattice; a cell inside
 * the grid counts as covered when a track of that day passes within 50 m of its centre.
 */
export async function gridCoverage(db: Db, actor: Actor, gridId: number, day: string) {
  const g = await loadScoped(db, actor, orgUnitScope, gridId);
  if (g.level !== 'grid' || !g.geometry) throw new AppError('NOT_FOUND');
  const [from, to] = dayRange(day);
  const dayPatrols = await db
    .select()
    .from(patrols)
    .where(and(eq(patrols.gridId, gridId), gte(patrols.startedAt, from), lt(patrols.startedAt, to)));
  const pts = dayPatrols.length
    ? await db
        .select()
        .from(patrolPoints)
        .where(
          inArray(
            patrolPoints.patrolId,
            dayPatrols.map((p) => p.id),
          ),
        )
        .orderBy(asc(patrolPoints.patrolId), asc(patrolPoints.seq))
    : [];
  const geom = g.geometry as Parameters<typeof pointInGeometry>[2];
  const ring = (geom.type === 'Polygon' ? geom.coordinates : geom.coordinates.flat()).flat();
  const xs = ring.map((c) => c[0] as number);
  const ys = ring.map((c) => c[1] as number);
  const [w, s, e, n] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  let inside = 0;
  let covered = 0;
  const cells: { lng: number; lat: number; covered: boolean }[] = [];
  for (let i = 0; i < 20; i++)
    for (let j = 0; j < 20; j++) {
      const c = { lng: w + ((i + 0.5) * (e - w)) / 20, lat: s + ((j + 0.5) * (n - s)) / 20 };
      if (!pointInGeometry(c.lng, c.lat, geom)) continue;
      inside++;
      const hit = passesNear(c, pts, 50);
      if (hit) covered++;
      cells.push({ ...c, covered: hit });
    }
  return {
    gridId,
    day,
    coverage: inside ? covered / inside : 0,
    patrols: await presentPatrols(db, dayPatrols),
    tracks: dayPatrols.map((p) => ({
      type: 'Feature' as const,
      geometry: {
        type: 'MultiLineString' as const,
        coordinates: lines(pts.filter((x) => x.patrolId === p.id)),
      },
      properties: { id: p.id, userName: p.userName },
    })),
    cells,
  };
}

// ---------------------------------------------------------------- work log

const noWork: WorkLogSummary = {
  patrols: 0,
  patrolDistanceM: 0,
  patrolMinutes: 0,
  casesReported: 0,
  casesSelfResolved: 0,
  casesHandled: 0,
  visits: 0,
};

/** The China date of an instant column, as the rows are grouped by. */
const chinaDay = (column: string) => sql.raw(`to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`);

/**
 * What the records say each worker did on each China day of [start, end): one row per
 * worker and day with patrols and their length and time, cases reported (by them, any
 * channel), self-resolved, handled (claimed, progressed, resolved, verified or followed up;
 * a case once a day) and household and care visits. `who(column)` picks the workers.
 */
export function workSummarySql(who: (column: string) => SQL, start: Date, end: Date): SQL {
  const within = (column: string) => sql`${sql.raw(column)} >= ${start} and ${sql.raw(column)} < ${end}`;
  return sql`select user_id, day, sum(patrols)::int as patrols, sum(distance)::float8 as distance,
      sum(seconds)::float8 as seconds, sum(reported)::int as reported,
      count(distinct self_resolved)::int as self_resolved, count(distinct handled)::int as handled,
      sum(visits)::int as visits
    from (
      select user_id, ${chinaDay('started_at')} as day, 1 as patrols, distance_m as distance, duration_s as seconds,
        0 as reported, null::uuid as self_resolved, null::uuid as handled, 0 as visits
      from patrols where ${who('user_id')} and ${within('started_at')}
      union all
      select reporter_user_id, ${chinaDay('reported_at')}, 0, 0, 0, 1, null, null, 0
      from cases where ${who('reporter_user_id')} and ${within('reported_at')}
      union all
      select actor_id, ${chinaDay('at')}, 0, 0, 0, 0,
        case when action = 'selfResolve' then case_id end,
        case when action in ('claim', 'note', 'resolve', 'verify', 'followUp') then case_id end, 0
      from case_events where ${who('actor_id')} and ${within('at')}
        and action in ('selfResolve', 'claim', 'note', 'resolve', 'verify', 'followUp')
      union all
      select by_user_id, ${chinaDay('visited_at')}, 0, 0, 0, 0, null, null, 1
      from care_visits where ${who('by_user_id')} and ${within('visited_at')}
      union all
      select by_user_id, ${chinaDay('visited_at')}, 0, 0, 0, 0, null, null, 1
      from household_visits where ${who('by_user_id')} and ${within('visited_at')}
    ) x group by user_id, day`;
}

/** A row of `workSummarySql` as the API's summary. */
export const workSummaryJson = sql.raw(`jsonb_build_object('patrols', patrols,
  'patrolDistanceM', round(distance)::int, 'patrolMinutes', round(seconds / 60)::int,
  'casesReported', reported, 'casesSelfResolved', self_resolved, 'casesHandled', handled, 'visits', visits)`);

/** `workSummarySql` for some workers and China days [from, to], keyed `userId|day`; a day without records is absent. */
export async function daySummaries(
  db: Db,
  userIds: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, WorkLogSummary>> {
  const out = new Map<string, WorkLogSummary>();
  if (userIds.length === 0) return out;
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  const who = (column: string) =>
    sql`${sql.raw(column)} in (${sql.join(
      userIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`;
  const rows = await queryRows<{ user_id: string; day: string; summary: WorkLogSummary }>(
    db,
    sql`select user_id, day, ${workSummaryJson} as summary from (${workSummarySql(who, start, end)}) s`,
  );
  for (const r of rows) out.set(`${r.user_id}|${r.day}`, r.summary);
  return out;
}

/** What the day's records say the worker did; the log is pre-filled from it. */
export async function daySummary(db: Db, userId: string, day: string): Promise<WorkLogSummary> {
  return (await daySummaries(db, [userId], day, day)).get(`${userId}|${day}`) ?? { ...noWork };
}

const today = () => localDay(Date.now());

/** How many days back a log may still be filed. */
const lateDays = 14;
/** The longest period a review lists at once. */
const reviewDays = 62;

function checkDay(day: string) {
  const t = today();
  if (day > t) throw fieldError('day', 'notFuture', 'WORK_LOG_DAY_IN_FUTURE');
  const earliest = localDay(Date.now() - lateDays * 86_400_000);
  if (day < earliest) throw fieldError('day', 'recent', 'WORK_LOG_DAY_TOO_OLD', { days: lateDays });
}

export async function workLogOf(db: Db, actor: Actor, day: string) {
  const [log] = await db
    .select()
    .from(workLogs)
    .where(and(eq(workLogs.userId, actor.userId), eq(workLogs.day, day)));
  return {
    day,
    userId: actor.userId,
    userName: actor.displayName,
    summary: await daySummary(db, actor.userId, day),
    notes: log?.notes ?? '',
    submittedAt: log?.submittedAt.toISOString() ?? null,
  };
}

/** Submitting again the same day updates the log: one per worker per day. */
export async function submitWorkLog(db: Db, actor: Actor, day: string, notes: string) {
  checkDay(day);
  const summary = await daySummary(db, actor.userId, day);
  await db
    .insert(workLogs)
    .values({
      userId: actor.userId,
      userName: actor.displayName,
      orgPath: actor.orgPath ?? '/',
      day,
      summary,
      notes,
    })
    .onConflictDoUpdate({
      target: [workLogs.userId, workLogs.day],
      set: { summary, notes, submittedAt: new Date() },
    });
  return workLogOf(db, actor, day);
}

/**
 * For the weekly review (周讲评): the logs in the jurisdiction for a period, and the working
 * days on which a grid worker submitted none.
 */
export async function listWorkLogs(
  db: Db,
  actor: Actor,
  q: { orgUnitId?: number | undefined; from: string; to: string },
) {
  if (q.to < q.from) throw fieldError('to', 'afterFrom', 'WORK_LOG_RANGE_REVERSED');
  if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > reviewDays)
    throw fieldError('to', 'range', 'WORK_LOG_RANGE_TOO_LONG', { days: reviewDays });
  // Someone without a jurisdiction (a department's reviewer) has no logs to review.
  if (q.orgUnitId === undefined && !actor.global && actor.orgPath === null) return { items: [], missing: [] };
  const area = await resolveArea(db, actor, q.orgUnitId);
  const path = area.path;
  const logs = await db
    .select()
    .from(workLogs)
    .where(
      and(
        workLogScope.where(actor),
        areaCondition(area, workLogs.orgPath),
        gte(workLogs.day, q.from),
        sql`${workLogs.day} <= ${q.to}`,
      ),
    )
    .orderBy(desc(workLogs.day), asc(workLogs.userName))
    .limit(5000);
  // Who should have written: active grid workers (fieldwork:record) in the area.
  const workers = (await activeUsersWith(db, 'fieldwork:record', path)).slice(0, 5000);
  const cal = await workCalendar(db);
  const days: string[] = [];
  const last = q.to < today() ? q.to : localDay(Date.now() - 86_400_000);
  for (let d = q.from; d <= last; d = localDay(Date.parse(`${d}T12:00:00+08:00`) + 86_400_000))
    if (isWorkday(cal, d)) days.push(d);
  const have = new Set(logs.map((l) => `${l.userId}|${l.day}`));
  const missing = workers.flatMap((w) =>
    days.filter((d) => !have.has(`${w.id}|${d}`)).map((d) => ({ userId: w.id, userName: w.name, day: d })),
  );
  // The figures are read from the records now, not from the copy made when the log was
  // sent: work recorded after it (a case reported in the evening, a visit synced late) counts.
  const done = await daySummaries(db, [...new Set(logs.map((l) => l.userId))], q.from, q.to);
  return {
    items: logs.map((l) => ({
      day: l.day,
      userId: l.userId,
      userName: l.userName,
      summary: done.get(`${l.userId}|${l.day}`) ?? { ...noWork },
      notes: l.notes,
      submittedAt: l.submittedAt.toISOString(),
    })),
    missing: missing.slice(0, 5000),
  };
}

// ---------------------------------------------------------------- household visits

/** A housing unit's standard address in SQL (u = housing_units, b = buildings), as housingUnitAddress writes it. */
const unitAddress = sql.raw(
  `b.address || u.unit_no || '单元' || case when u.floor < 0 then '地下' || (-u.floor) || '层'
    else u.floor || '层' || u.floor end || u.room || '室'`,
);

/** The households of a grid for the field app's visit list: head, dwelling, size. */
export async function householdsOfGrid(db: Db, actor: Actor, gridId: number) {
  await gridInScope(db, actor, gridId);
  return queryRows<{
    id: number;
    code: string;
    address: string | null;
    headName: string | null;
    members: number;
  }>(
    db,
    sql`select h.id, h.code,
        ${unitAddress} as address,
        (select r.name from residents r where r.household_id = h.id and r.relation_to_head = '户主' limit 1) as "headName",
        (select count(*)::int from residents r where r.household_id = h.id) as members
      from households h
      left join housing_units u on u.id = h.housing_unit_id
      left join buildings b on b.id = u.building_id
      where h.grid_id = ${gridId}
      order by b.code nulls last, u.code nulls last, h.id
      limit 1000`,
  );
}

/** A visit sent twice (its reply lost) is one visit: the id is made on the phone. */
export async function recordHouseholdVisit(
  db: Db,
  actor: Actor,
  input: { id: string; householdId: number; visitedAt: string; notes: string; photoIds: string[] },
) {
  const at = new Date(input.visitedAt);
  if (at.getTime() > Date.now() + 5 * 60_000)
    throw fieldError('visitedAt', 'notFuture', 'HOUSEHOLD_VISIT_IN_FUTURE');
  const [h] = await db.select().from(households).where(eq(households.id, input.householdId));
  if (!h || !householdScope.visible(actor, h))
    throw fieldError('householdId', 'inJurisdiction', 'FIELDWORK_HOUSEHOLD_NOT_IN_JURISDICTION');
  await assertOwnPhotos(db, actor.userId, input.photoIds);
  const [done] = await db.select().from(householdVisits).where(eq(householdVisits.id, input.id));
  if (done && done.byUserId !== actor.userId) throw fieldError('id', 'unique', 'HOUSEHOLD_VISIT_ID_TAKEN');
  await db
    .insert(householdVisits)
    .values({
      id: input.id,
      householdId: input.householdId,
      orgPath: h.orgPath,
      visitedAt: at,
      notes: input.notes,
      photoIds: input.photoIds,
      byUserId: actor.userId,
      byName: actor.displayName,
    })
    .onConflictDoNothing();
  return { id: input.id };
}

export async function householdVisitList(db: Db, actor: Actor, householdId: number) {
  await loadScoped(db, actor, householdScope, householdId);
  const rows = await db
    .select()
    .from(householdVisits)
    .where(eq(householdVisits.householdId, householdId))
    .orderBy(desc(householdVisits.visitedAt))
    .limit(100);
  return rows.map(presentHouseholdVisit);
}

/** Whether a photo belongs to a household visit in the viewer's jurisdiction. */
export async function householdFileVisible(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  const rows = await db
    .select({ id: householdVisits.id })
    .from(householdVisits)
    .where(
      and(sql`${fileId}::uuid::text = any(${householdVisits.photoIds})`, householdVisitScope.where(actor)),
    )
    .limit(1);
  return rows.length > 0;
}

/** The housing units of a grid with their addresses, for registering where someone lives. */
export async function unitsOfGrid(db: Db, actor: Actor, gridId: number) {
  await gridInScope(db, actor, gridId);
  return queryRows<{ id: number; address: string }>(
    db,
    sql`select u.id, ${unitAddress} as address
      from housing_units u join buildings b on b.id = u.building_id
      where b.grid_id = ${gridId} order by u.code limit 2000`,
  );
}
