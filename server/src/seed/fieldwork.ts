import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';

/**
 * Six weeks of grid work for every demo grid worker, so the patrol pages, the work-log
 * review and the scorecards (考核计分) have something true-looking to rank: on most
 * weekdays a patrol of 1.5–6 km, a work log, and now and then a household visit. The
 * numbers come from a hash of worker and day — the same on every fresh start — and vary
 * from worker to worker, so the ranking is not a tie. (Weekends are skipped; the holiday
 * calendar is not consulted, it is demo data.)
 */
export async function seedDemoFieldwork(db: Db) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
    create temporary table demo_work_days on commit drop as
    select u.id as user_id, u.display_name as user_name, u.org_unit_id as grid_id, u.org_path, d::date as day,
      abs(hashtext(u.id::text || d::text)) as h
    from users u
    join user_roles ur on ur.user_id = u.id
    join roles r on r.id = ur.role_id and r.code = 'gridWorker'
    join org_units g on g.id = u.org_unit_id and g.level = 'grid'
    cross join generate_series(
      (now() at time zone 'Asia/Shanghai')::date - 42, (now() at time zone 'Asia/Shanghai')::date - 1, interval '1 day') d
    where extract(isodow from d) < 6`);
    await tx.execute(sql`
    insert into patrols (id, user_id, user_name, grid_id, org_path, started_at, ended_at, distance_m, duration_s, points)
    select gen_random_uuid(), user_id, user_name, grid_id, org_path,
      (day + time '08:30' + (h % 90) * interval '1 minute') at time zone 'Asia/Shanghai',
      (day + time '08:30' + (h % 90) * interval '1 minute' + (3600 + h % 5400) * interval '1 second') at time zone 'Asia/Shanghai',
      1500 + (h / 7) % 4500, 3600 + h % 5400, 0
    from demo_work_days
    -- Diligent workers (by the hash of their id) walk on more days than the others.
    where (h % 100) < 60 + abs(hashtext(user_id::text)) % 40`);
    await tx.execute(sql`
    insert into work_logs (user_id, user_name, org_path, day, summary, notes, submitted_at)
    select user_id, user_name, org_path, to_char(day, 'YYYY-MM-DD'),
      jsonb_build_object('patrols', 1, 'patrolDistanceM', 1500 + (h / 7) % 4500, 'patrolMinutes', (3600 + h % 5400) / 60,
        'casesReported', 0, 'casesSelfResolved', 0, 'casesHandled', 0, 'visits', 0),
      (array['巡查网格，无异常', '巡查中发现问题已上报', '走访重点户，了解近况', '协助社区开展安全检查', '宣传防诈骗知识'])[1 + h % 5],
      (day + time '18:00') at time zone 'Asia/Shanghai'
    from demo_work_days
    where (h / 3 % 100) < 70 + abs(hashtext(user_id::text)) % 30`);
    await tx.execute(sql`
    insert into household_visits (id, household_id, org_path, visited_at, notes, by_user_id, by_name)
    select gen_random_uuid(), hh.id, hh.org_path,
      (day + time '14:00' + (h % 120) * interval '1 minute') at time zone 'Asia/Shanghai',
      '入户走访，了解家庭情况', user_id, user_name
    from demo_work_days w
    cross join lateral (
      select id, org_path from households where grid_id = w.grid_id order by id offset (w.h % 40) limit 1) hh
    where (h / 11 % 100) < 35`);
  });
}
