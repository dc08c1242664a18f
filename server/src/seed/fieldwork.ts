import type { AreaGeometry } from '@civicgrid/core/api/org';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { sql } from 'drizzle-orm';
import { workSummaryJson, workSummarySql } from '../modules/fieldwork/service.js';
import { orgUnits } from '../modules/org/tables.js';
import type { Db } from '../platform/db.js';
import { walkRoute } from './patrolRoutes.js';

/**
 * Seconds between two track points of a demo patrol. The phone records every 5 s; the demo
 * keeps one point in 36, or its ~10 000 patrols would be millions of rows to seed.
 */
export const demoPointEveryS = 180;

/**
 * Six weeks of grid work for every demo grid worker, so the patrol pages, the work-log
 * review and the scorecards (考核计分) have something true-looking to rank. A grid's manager
 * (专职网格员) patrols on a third to a half of the weekdays, assistants and informants now
 * and then, each at least once. A patrol walks its grid in lanes ~100 m apart, turning at
 * the edges (patrolRoutes.ts), at 0.7–1.2 m/s for 45–120 minutes, with a point every three
 * minutes or less and a few metres of GPS scatter; its distance, walking time and point
 * count are then read from the points, as the server reads a phone's. Work logs and
 * household visits follow on most days. The choices come from a hash of worker and day —
 * the same on every fresh start — and vary from worker to worker, so the ranking is not a
 * tie. (Weekends are skipped; the holiday calendar is not consulted, it is demo data.)
 */
export async function seedDemoFieldwork(db: Db) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
    create temporary table demo_workers on commit drop as
    select u.id as user_id, u.display_name as user_name, u.org_unit_id as grid_id, u.org_path,
      coalesce(m.role, 'gridAssistant') as team_role, abs(hashtext(u.id::text)) as uh
    from users u
    join user_roles ur on ur.user_id = u.id
    join roles r on r.id = ur.role_id and r.code = 'gridWorker'
    join org_units g on g.id = u.org_unit_id and g.level = 'grid'
    left join grid_team_members m on m.user_id = u.id and m.grid_id = g.id`);
    await seedRoutes(tx);
    await tx.execute(sql`
    create temporary table demo_work_days on commit drop as
    select w.*, d::date as day, abs(hashtext(w.user_id::text || d::text)) as h,
      row_number() over (partition by w.user_id order by d) - 1 as k
    from demo_workers w
    cross join generate_series(
      (now() at time zone 'Asia/Shanghai')::date - 42, (now() at time zone 'Asia/Shanghai')::date - 1, interval '1 day') d
    where extract(isodow from d) < 6`);
    await tx.execute(sql`
    create temporary table demo_patrols on commit drop as
    select *,
      -- A point every three minutes; more often on a short walk or one of short legs, which
      -- turns before three minutes are up (the straight line between two points would then
      -- cut the corner and hide the walking).
      least(${sql.raw(String(demoPointEveryS))}, greatest(5, floor(least(run / 4, run / legs / 2) / speed)))::int as step_s
    from (
      select gen_random_uuid() as id, user_id, user_name, w.grid_id, org_path, r.north_south, r.run, r.legs,
        (day + time '08:30' + (h % 90) * interval '1 minute') at time zone 'Asia/Shanghai' as started_at,
        2700 + (h / 7) % 4501 as walk_s,
        (0.7 + ((h / 13) % 51) / 100.0)::float8 as speed,
        (((h / 19) % 1000) / 1000.0)::float8 as phase,
        (h / 23) % 9973 as jitter
      from demo_work_days w
      -- Lanes east–west or north–south by the day's hash, unless one way is much the shorter.
      cross join lateral (
        select north_south, run, legs from demo_routes r where r.grid_id = w.grid_id
        order by run < 600, (north_south = ((h / 17) % 2 = 0)) desc limit 1) r
    -- Diligent workers (by the hash of their id) walk on more days than the others; each walks once at least.
    where (team_role = 'gridManager' and h % 100 < 30 + uh % 25)
      or (team_role <> 'gridManager' and h % 100 < 1 + uh % 4)
      or k = uh % 30) p`);
    await tx.execute(sql`
    insert into patrols (id, user_id, user_name, grid_id, org_path, started_at, ended_at)
    select id, user_id, user_name, grid_id, org_path, started_at, started_at + walk_s * interval '1 second'
    from demo_patrols`);
    // A point every step where the walk has got to, back and forth along the route (u: the
    // metres from the route's start), with up to 3 m of scatter (the route keeps 8 m from the
    // edge). The leg a point is on is found through the route's 50 m buckets: a hash join.
    await tx.execute(sql`
    create temporary table demo_points on commit drop as
    select id, g, j, at, grid_id, north_south, run, u, floor(u / 50)::int as bucket
    from (
      select id, g, j, at, grid_id, north_south, run, case when u0 > run then 2 * run - u0 else u0 end as u
      from (
        select p.id, g, (p.jitter + g * 7919) % 104729 as j,
          p.started_at + g * p.step_s * interval '1 second' as at, p.grid_id, p.north_south, p.run,
          (p.phase * 2 * p.run + g * p.step_s * p.speed)
            - 2 * p.run * floor((p.phase * 2 * p.run + g * p.step_s * p.speed) / (2 * p.run)) as u0
        from demo_patrols p cross join generate_series(0, p.walk_s / p.step_s) g) w) x`);
    await tx.execute(sql`analyze demo_points`);
    await tx.execute(sql`
    insert into patrol_points (patrol_id, seq, at, lat, lng, accuracy, segment)
    select q.id, q.g, q.at,
      l.lat1 + f * (l.lat2 - l.lat1) + (q.j % 7 - 3) / 110574.0,
      l.lng1 + f * (l.lng2 - l.lng1) + ((q.j / 7) % 7 - 3) / (111320 * cos(radians(l.lat1))),
      4 + (q.j / 49) % 12, 0
    from demo_points q
    join demo_route_buckets l on l.grid_id = q.grid_id and l.north_south = q.north_south
      and l.bucket = q.bucket and l.from_m <= q.u and (q.u < l.to_m or l.to_m >= q.run)
    cross join lateral (select coalesce(least(1, (q.u - l.from_m) / nullif(l.to_m - l.from_m, 0)), 0) as f) ff`);
    // Distance and walking time from the points, by the haversine formula of core/geo.ts.
    await tx.execute(sql`
    update patrols p set distance_m = t.distance, duration_s = t.seconds, points = t.points
    from (
      select patrol_id, count(*)::int as points,
        coalesce(sum(2 * 6371008.8 * asin(least(1, sqrt(
          power(sin(radians(lat - plat) / 2), 2) + cos(radians(plat)) * cos(radians(lat)) * power(sin(radians(lng - plng) / 2), 2)
        )))) filter (where plat is not null), 0) as distance,
        coalesce(extract(epoch from max(at) - min(at)), 0)::int as seconds
      from (
        select patrol_id, at, lat, lng, lag(lat) over w as plat, lag(lng) over w as plng
        from patrol_points where patrol_id in (select id from demo_patrols)
        window w as (partition by patrol_id order by seq)) x
      group by patrol_id) t
    where p.id = t.patrol_id`);
    await tx.execute(sql`
    insert into household_visits (id, household_id, org_path, visited_at, notes, by_user_id, by_name)
    select gen_random_uuid(), hh.id, hh.org_path,
      (day + time '14:00' + (h % 120) * interval '1 minute') at time zone 'Asia/Shanghai',
      '入户走访，了解家庭情况', user_id, user_name
    from demo_work_days w
    -- The grid's (h mod 40)th household, if it has that many.
    join (select id, org_path, grid_id, row_number() over (partition by grid_id order by id) - 1 as k
          from households) hh on hh.grid_id = w.grid_id and hh.k = w.h % 40
    where (h / 11 % 100) < 35`);
    // Logs are sent at six in the evening with the day's figures as the records give them:
    // one insert with the summary joined in (an insert then two updates rewrote every row twice).
    const start = new Date(`${localDay(Date.now() - 42 * 86_400_000)}T00:00:00+08:00`);
    const who = (column: string) => sql`${sql.raw(column)} in (select user_id from demo_workers)`;
    await tx.execute(sql`
    with s as (${workSummarySql(who, start, new Date())})
    insert into work_logs (user_id, user_name, org_path, day, summary, notes, submitted_at)
    select w.user_id, w.user_name, w.org_path, to_char(w.day, 'YYYY-MM-DD'),
      case when s.user_id is null then jsonb_build_object('patrols', 0, 'patrolDistanceM', 0, 'patrolMinutes', 0,
        'casesReported', 0, 'casesSelfResolved', 0, 'casesHandled', 0, 'visits', 0)
      else ${workSummaryJson} end,
      (array['巡查网格，无异常', '巡查中发现问题已上报', '走访重点户，了解近况', '协助社区开展安全检查', '宣传防诈骗知识'])[1 + w.h % 5],
      (w.day + time '18:00') at time zone 'Asia/Shanghai'
    from demo_work_days w
    left join s on s.user_id = w.user_id and s.day = to_char(w.day, 'YYYY-MM-DD')
    where (w.h / 3 % 100) < 70 + w.uh % 30`);
  });
}

/**
 * Each worker's grid's walks (patrolRoutes.ts), both ways, as legs with the metres walked
 * at their start and end: `demo_route_legs` and, per grid and direction, the whole
 * length in `demo_routes`.
 */
async function seedRoutes(tx: Db) {
  await tx.execute(sql`
    create temporary table demo_route_legs (grid_id int, north_south boolean, from_m float8, to_m float8,
      lng1 float8, lat1 float8, lng2 float8, lat2 float8) on commit drop`);
  const grids = await tx
    .select({ id: orgUnits.id, geometry: orgUnits.geometry })
    .from(orgUnits)
    .where(sql`${orgUnits.id} in (select grid_id from demo_workers) and ${orgUnits.geometry} is not null`);
  const legs: string[] = [];
  const n = (x: number) => (Number.isFinite(x) ? String(x) : '0');
  for (const g of grids)
    for (const northSouth of [false, true]) {
      const route = walkRoute(g.geometry as AreaGeometry, { northSouth });
      if (!route) continue;
      for (let i = 1; i < route.points.length; i++) {
        const a = route.points[i - 1] as { lng: number; lat: number };
        const b = route.points[i] as { lng: number; lat: number };
        // Numbers only, made here: nothing from outside goes into the statement.
        legs.push(
          `(${g.id},${northSouth},${n(route.at[i - 1] as number)},${n(route.at[i] as number)},${n(a.lng)},${n(a.lat)},${n(b.lng)},${n(b.lat)})`,
        );
      }
    }
  for (let i = 0; i < legs.length; i += 2000)
    await tx.execute(sql.raw(`insert into demo_route_legs values ${legs.slice(i, i + 2000).join(',')}`));
  await tx.execute(sql`
    create temporary table demo_route_buckets on commit drop as
    select l.*, bucket from demo_route_legs l
    cross join generate_series(floor(l.from_m / 50)::int, floor(l.to_m / 50)::int) bucket`);
  await tx.execute(sql`analyze demo_route_buckets`);
  await tx.execute(sql`
    create temporary table demo_routes on commit drop as
    select grid_id, north_south, max(to_m) as run, count(*) as legs from demo_route_legs group by grid_id, north_south
    having max(to_m) > 0`);
}
