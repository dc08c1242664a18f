/**
 * `npm run bench`, part 5 — the assessment target of issue 6 on PostgreSQL: "with
 * 1,000,000 cases and 1 year of patrols, a monthly scorecard for all workers of the
 * district computes in under 10 s".
 *
 * Runs on the database `server/bench/cases.ts` generated (`cg_bench_cases`, 1M cases over
 * a year). Adds once, set-based: the case trail of every generated case (report by a grid
 * worker of the case's grid; self-resolve or resolve, failed verifications, follow-ups),
 * and a year of weekday patrols, work logs and household visits for every grid worker of
 * the district. Then times GET /api/assessment/scorecards for the month just ended, for
 * all grid workers of the district and rolled up to streets, and for the departments; the
 * bare SQL of the heaviest part (the trail aggregated per worker) is timed beside it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPostgres } from '../src/platform/db.js';
import { localAdminUrl } from './local.js';
import { recordBench } from './report.js';
import { summary as summaryOf, timed } from './stats.js';

const summary = (xs: number[]) => summaryOf(xs, 0);

const adminUrl = process.env.BENCH_DATABASE_URL ?? localAdminUrl;
const url = new URL(adminUrl);
url.pathname = '/cg_bench_cases';

const direct = new pg.Pool({ connectionString: url.toString(), max: 2 });
const { rows: have } = await direct
  .query<{ n: number }>('select count(*)::int as n from cases')
  .catch(() => ({ rows: [{ n: 0 }] }));
if (Number(have[0]?.n) < 100_000) {
  console.error('assessment bench: run server/bench/cases.ts first (it generates cg_bench_cases)');
  process.exit(1);
}
const database = await openPostgres(url.toString(), { max: 20 });
await migrateDatabase(database);
const db = database.db;

const generated = (
  await direct.query<{ n: number }>(
    `select count(*)::int as n from case_events where actor_name = 'bench-trail'`,
  )
).rows[0]?.n;
if (!generated) {
  let t0 = performance.now();
  // The trail: who did what, when, for the generated cases (codes SB…). Grid workers are
  // those of the case's grid; the one acting is picked by the case number.
  await db.execute(sql`
    create table if not exists bench_grid_workers as
    select u.org_unit_id as grid_id, array_agg(u.id order by u.id) as ids
    from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id and r.code = 'gridWorker'
    group by u.org_unit_id`);
  const { rows: bounds } = await direct.query<{ lo: string; hi: string }>(
    `select min(substr(code, 3)::int) as lo, max(substr(code, 3)::int) as hi from cases where code like 'SB%'`,
  );
  const lo = Number(bounds[0]?.lo);
  const hi = Number(bounds[0]?.hi);
  const chunk = 100_000;
  await db.execute(sql`alter table cases disable trigger cases_stats`);
  for (let from = lo; from <= hi; from += chunk) {
    const to = Math.min(hi, from + chunk - 1);
    await db.execute(sql`
      with c as (
        select c.id, c.status, c.reported_at, c.resolved_at, c.verified_at, c.closed_at, c.rework_count, c.rating,
          c.resolved_at_level, substr(c.code, 3)::int as i,
          w.ids[1 + substr(c.code, 3)::int % cardinality(w.ids)] as worker
        from cases c join bench_grid_workers w on w.grid_id = c.grid_id
        where c.code like 'SB%' and substr(c.code, 3)::int between ${from} and ${to})
      insert into case_events (case_id, action, from_state, to_state, actor_id, actor_name, at)
      select id, 'report', null, 'reported', worker, 'bench-trail', reported_at from c where i % 3 <> 0
      union all
      select id, case when resolved_at_level = 'grid' and i % 2 = 0 then 'selfResolve' else 'resolve' end,
        'in_progress', 'resolved', case when resolved_at_level in ('grid', 'community') then worker end, 'bench-trail', resolved_at
        from c where resolved_at is not null
      union all
      select id, 'verify', 'resolved', 'rework', null, 'bench-trail', resolved_at + interval '2 hours'
        from c where rework_count > 0 and resolved_at is not null
      union all
      select id, 'verify', 'resolved', 'verified', null, 'bench-trail', verified_at from c where verified_at is not null
      union all
      select id, 'followUp', 'verified', 'closed', null, 'bench-trail', closed_at from c where status = 'closed' and rating is not null
      union all
      select id, 'reject', 'reported', 'rejected', null, 'bench-trail', closed_at from c where status = 'rejected'`);
    process.stdout.write(`\r  trail of cases up to SB${to}`);
  }
  await db.execute(sql`alter table cases enable trigger cases_stats`);
  console.log(`\ncase trail generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  t0 = performance.now();
  // A year of weekday field work for every grid worker (the demo seed does six weeks).
  await db.execute(sql`
    create temporary table bench_days as
    select u.id as user_id, u.display_name as user_name, u.org_unit_id as grid_id, u.org_path, d::date as day,
      abs(hashtext(u.id::text || d::text)) as h
    from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id and r.code = 'gridWorker'
    cross join generate_series(current_date - 365, current_date - 1, interval '1 day') d
    where extract(isodow from d) < 6 and u.org_unit_id is not null`);
  await db.execute(sql`
    insert into patrols (id, user_id, user_name, grid_id, org_path, started_at, ended_at, distance_m, duration_s, points)
    select gen_random_uuid(), user_id, user_name, grid_id, org_path,
      (day + time '08:30' + (h % 90) * interval '1 minute') at time zone 'Asia/Shanghai',
      (day + time '10:30') at time zone 'Asia/Shanghai', 1500 + (h / 7) % 4500, 3600 + h % 5400, 0
    from bench_days where h % 100 < 85`);
  await db.execute(sql`
    insert into work_logs (user_id, user_name, org_path, day, summary, notes)
    select user_id, user_name, org_path, to_char(day, 'YYYY-MM-DD'), '{}'::jsonb, '巡查'
    from bench_days where h / 3 % 100 < 90
    on conflict do nothing`);
  await db.execute(sql`
    insert into household_visits (id, household_id, org_path, visited_at, notes, by_user_id, by_name)
    select gen_random_uuid(), 1, org_path, (day + time '15:00') at time zone 'Asia/Shanghai', '走访', user_id, user_name
    from bench_days where h / 11 % 100 < 40`);
  await db.execute(sql`analyze case_events; analyze patrols; analyze work_logs; analyze household_visits`);
  console.log(
    `a year of patrols, logs and visits generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
} else console.log('reusing the generated case trail and field work');

const counts = (
  await direct.query<{ cases: number; events: number; patrols: number; workers: number }>(
    `select (select count(*) from cases)::int as cases, (select count(*) from case_events)::int as events,
      (select count(*) from patrols)::int as patrols,
      (select count(distinct ur.user_id) from user_roles ur join roles r on r.id = ur.role_id and r.code = 'gridWorker')::int as workers`,
  )
).rows[0];
console.log(`data: ${JSON.stringify(counts)}`);

const config = loadConfig({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-bench-assessment-')),
  DATA_KEY: randomBytes(32).toString('hex'),
  INDEX_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
});
const app = await buildApp(
  { db, database, crypto: createFieldCrypto('aes', config.dataKey, config.indexKey), config },
  { serveWeb: false },
);
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'district', password: 'Demo@2026' }),
});
const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';

// The month just ended (China time), whole.
const now = new Date(Date.now() + 8 * 3_600_000);
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  .toISOString()
  .slice(0, 10);
async function run(level: string, n: number) {
  const xs: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++)
    xs.push(
      await timed(async () => {
        const r = await fetch(
          `${base}/api/assessment/scorecards?level=${level}&period=month&start=${lastMonth}`,
          {
            headers: { cookie },
          },
        );
        if (!r.ok) throw new Error(`scorecard ${r.status} ${await r.text()}`);
        rows = ((await r.json()) as { rows: unknown[] }).rows.length;
      }),
    );
  return { ...summary(xs), rows };
}
await run('worker', 1);
const results = {
  worker: await run('worker', 5),
  street: await run('street', 3),
  department: await run('department', 3),
};
const start = `${lastMonth}T00:00:00+08:00`;
const bare: number[] = [];
for (let i = 0; i < 5; i++)
  bare.push(
    await timed(() =>
      direct.query(
        `select e.actor_id, count(distinct e.case_id) filter (where e.action = 'report'),
           count(distinct e.case_id) filter (where e.action in ('resolve', 'selfResolve') and c.resolved_on_time)
         from case_events e join cases c on c.id = e.case_id
         where e.at >= $1 and e.at < ($1::timestamptz + interval '1 month') and e.actor_id is not null
           and e.action in ('report', 'selfResolve', 'resolve', 'return')
         group by e.actor_id`,
        [start],
      ),
    ),
  );
console.log(
  `monthly scorecard (${lastMonth}), all ${results.worker.rows} grid workers of the district: p50 ${results.worker.p50} ms, max ${results.worker.max} ms (target < 10 s); streets p50 ${results.street.p50} ms; departments p50 ${results.department.p50} ms; bare SQL of the trail aggregate p50 ${summary(bare).p50} ms`,
);
console.log(JSON.stringify({ ...results, bareTrail: summary(bare) }));
recordBench('assessment', [
  {
    name: `monthly scorecard, all ${results.worker.rows} grid workers, slowest of 5`,
    value: results.worker.max,
    unit: 'ms',
    target: { max: 10_000 },
  },
  {
    name: 'monthly scorecard, grid workers, p50 (bare: the trail aggregate)',
    value: results.worker.p50,
    unit: 'ms',
    bare: summary(bare).p50,
  },
  { name: 'monthly scorecard, streets, p50', value: results.street.p50, unit: 'ms' },
  { name: 'monthly scorecard, departments, p50', value: results.department.p50, unit: 'ms' },
]);
await app.close();
await direct.end();
await database.close();
process.exit(0);
