/**
 * The city generator (issue 18 item 5), used by the cases benchmark when BENCH_DISTRICTS > 1
 * (`npm run bench:city`): the demo district cloned into more districts beside it, each with its
 * streets, communities and grids (names marked with the district's number, shapes moved east so
 * no two grids overlap); residents and buildings spread over every grid; and, after the cases are
 * generated, each case's trail (case_events) from its state and timestamps, into the monthly
 * partitions of case_events.
 * Everything is set-based SQL or COPY; nothing goes through the API (the API is what is measured).
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { FieldCrypto } from '../src/platform/crypto.js';
import { type Db, queryRows } from '../src/platform/db.js';
import { ensureMonthlyPartitions } from '../src/platform/partitions.js';
import { type BenchGrid, peopleGenerator, residentCsvColumns, residentCsvLine } from './people.js';

const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(0);

interface Unit {
  id: number;
  code: string;
  name: string;
  level: 'district' | 'street' | 'community' | 'grid';
  parent_id: number | null;
  path: string;
  geometry: unknown;
  households_target: number | null;
}

/** Moves every coordinate of a GeoJSON geometry by `dLng` degrees of longitude. */
function shifted(geometry: unknown, dLng: number): unknown {
  const walk = (x: unknown): unknown =>
    Array.isArray(x)
      ? typeof x[0] === 'number'
        ? [(x[0] as number) + dLng, ...x.slice(1)]
        : x.map(walk)
      : x;
  if (!geometry || typeof geometry !== 'object') return geometry;
  const g = geometry as { coordinates?: unknown };
  return { ...g, coordinates: walk(g.coordinates) };
}

/** Clones the demo district `copies` times: districts 2…copies+1, each with its whole tree. */
export async function cloneDistricts(db: Db, copies: number): Promise<void> {
  const t0 = performance.now();
  const units = await queryRows<Unit>(
    db,
    sql`select id, code, name, level, parent_id, path, geometry, households_target from org_units
        where retired_at is null order by length(path), id`,
  );
  const root = units.find((u) => u.level === 'district');
  if (!root) throw new Error('no district to clone');
  // The district's width in longitude, so each copy sits beside the last.
  const lngs = units.flatMap((u) => {
    const out: number[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) typeof x[0] === 'number' ? out.push(x[0] as number) : x.forEach(walk);
    };
    walk((u.geometry as { coordinates?: unknown } | null)?.coordinates);
    return out;
  });
  const width = Math.max(...lngs) - Math.min(...lngs) + 0.02;
  for (let k = 2; k <= copies + 1; k++) {
    const newId = new Map<number, number>();
    const newPath = new Map<number, string>();
    for (const level of ['district', 'street', 'community', 'grid'] as const) {
      const rows = units.filter((u) => u.level === level);
      for (let from = 0; from < rows.length; from += 500) {
        const batch = rows.slice(from, from + 500);
        const values = batch.map((u) => {
          const parent = u.parent_id === null ? null : (newId.get(u.parent_id) ?? null);
          const name = level === 'district' ? `${u.name}（第${k}区）` : `${u.name}·${k}`;
          return sql`(${`${u.code}-${k}`}, ${name}, ${level}, ${parent}, ${'/'}, ${JSON.stringify(shifted(u.geometry, (k - 1) * width))}::jsonb, ${u.households_target})`;
        });
        const made = await queryRows<{ id: number; code: string }>(
          db,
          sql`insert into org_units (code, name, level, parent_id, path, geometry, households_target)
              values ${sql.join(values, sql`, `)} returning id, code`,
        );
        const byCode = new Map(made.map((m) => [m.code, m.id]));
        for (const u of batch) {
          const id = byCode.get(`${u.code}-${k}`) as number;
          newId.set(u.id, id);
          const parentPath = u.parent_id === null ? '/' : (newPath.get(u.parent_id) as string);
          newPath.set(u.id, `${parentPath}${id}/`);
        }
      }
    }
    // Paths once the ids are known, in one statement.
    const pairs = [...newPath.entries()].map(([oldId, p]) => sql`(${newId.get(oldId) as number}::int, ${p})`);
    for (let from = 0; from < pairs.length; from += 1000)
      await db.execute(
        sql`update org_units o set path = v.p from (values ${sql.join(pairs.slice(from, from + 1000), sql`, `)}) v(id, p) where o.id = v.id`,
      );
  }
  console.log(`  ${copies} districts cloned (${units.length} units each) in ${secs(t0)} s`);
}

async function grids(db: Db): Promise<BenchGrid[]> {
  return queryRows<BenchGrid>(
    db,
    sql`select id, code, path from org_units where level = 'grid' and retired_at is null order by id`,
  );
}

/** `total` residents over every grid, encrypted and indexed as the app stores them, by COPY. */
export async function generateResidents(
  db: Db,
  direct: pg.Pool,
  crypto: FieldCrypto,
  total: number,
): Promise<string[]> {
  const t0 = performance.now();
  const { person } = peopleGenerator('civicgrid-bench-city', await grids(db), 20_000_000);
  const csvFile = join(tmpdir(), `cg-bench-city-${process.pid}.csv`);
  const sample: string[] = [];
  const client = await direct.connect();
  try {
    await client.query('create temporary table if not exists grow (like residents including defaults)');
    let have = 0;
    while (have < total) {
      const n = Math.min(250_000, total - have);
      const lines: string[] = [];
      for (let k = 0; k < n; k++) {
        const p = person();
        if (k % 5_000 === 0) sample.push(p.idNumber);
        lines.push(residentCsvLine(p, crypto));
      }
      writeFileSync(csvFile, `${lines.join('\n')}\n`);
      chmodSync(csvFile, 0o644);
      await client.query('truncate grow');
      await client.query(`copy grow (${residentCsvColumns}) from '${csvFile}' with (format csv)`);
      const r = await client.query('insert into residents select * from grow on conflict do nothing');
      have += r.rowCount ?? 0;
      process.stdout.write(`\r  ${have.toLocaleString()} residents`);
    }
  } finally {
    client.release();
    rmSync(csvFile, { force: true });
  }
  await direct.query('vacuum analyze residents');
  console.log(`\n  residents generated in ${secs(t0)} s`);
  return sample;
}

/** `total` buildings spread over every grid, each at a point inside its grid's first corner. */
export async function generateBuildings(db: Db, total: number): Promise<void> {
  const t0 = performance.now();
  await db.execute(sql`
    create temporary table if not exists city_grids as
      select row_number() over (order by id) as n, id, path,
             (geometry->'coordinates'->0->0->>0)::float8 as lng, (geometry->'coordinates'->0->0->>1)::float8 as lat
      from org_units where level = 'grid' and geometry is not null and retired_at is null`);
  const [{ g } = { g: 0 }] = await queryRows<{ g: number }>(
    db,
    sql`select count(*)::int as g from city_grids`,
  );
  for (let from = 1; from <= total; from += 100_000) {
    const to = Math.min(total, from + 99_999);
    await db.execute(sql`
      insert into buildings (code, name, address, type, floors, grid_id, org_path, lng, lat)
      select 'BB' || lpad(i::text, 8, '0'), 'G' || i || '号楼', '生成地址 ' || i || ' 号',
             (array['residential','residential','residential','commercial','mixed'])[1 + i % 5], 1 + i % 33,
             gr.id, gr.path, gr.lng + 0.0005 + (i % 41) * 0.00002, gr.lat + 0.0005 + (i % 43) * 0.00002
      from generate_series(${from}::int, ${to}::int) as i
      join city_grids gr on gr.n = 1 + (i * 7) % ${g}`);
    process.stdout.write(`\r  ${to.toLocaleString()} buildings`);
  }
  await db.execute(sql`vacuum analyze buildings`);
  console.log(`\n  buildings generated in ${secs(t0)} s`);
}

/**
 * Each generated case's trail, from its state: report, then accept → dispatch → claim →
 * resolve → verify → close as far as its state went; a rejected, cancelled or merged case has
 * its report and that end; a case in rework failed its verification (verify → rework). The times are the
 * case's own timestamps (or a step after the report), so every event falls in its month's partition.
 */
export async function generateTrail(db: Db, total: number): Promise<number> {
  const t0 = performance.now();
  await ensureMonthlyPartitions(
    db,
    { table: 'case_events', column: 'at' },
    { since: new Date(Date.now() - 400 * 86_400_000) },
  );
  // A bulk load: the secondary indexes are dropped and made again after (as migrations define
  // them: their definitions are read from the catalogue first); the primary key stays.
  const indexes = await queryRows<{ name: string; def: string }>(
    db,
    sql`select indexname as name, indexdef as def from pg_indexes
        where schemaname = 'public' and tablename = 'case_events'
          and indexname not in (select conname from pg_constraint)`,
  );
  for (const i of indexes) await db.execute(sql.raw(`drop index if exists "${i.name}"`));
  let events = 0;
  const chunk = 250_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    const lo = `SB${String(from).padStart(9, '0')}`;
    const hi = `SB${String(to).padStart(9, '0')}`;
    const r = (await db.execute(sql`
      insert into case_events (case_id, action, from_state, to_state, actor_name, actor_unit, at)
      select c.id, e.action, e.from_state, e.to_state, '生成', e.unit, e.at
      from cases c
      cross join lateral (select case c.status when 'reported' then 1 when 'accepted' then 2 when 'dispatched' then 3
        when 'in_progress' then 4 when 'resolved' then 5 when 'verified' then 6 when 'closed' then 7 when 'rework' then 5 else 1 end as reach) s
      cross join lateral (values
        (1, 'report', null, 'reported', 'grid', c.reported_at),
        (2, 'accept', 'reported', 'accepted', 'street', c.accepted_at),
        (3, 'dispatch', 'accepted', 'dispatched', 'street', c.dispatched_at),
        (4, 'claim', 'dispatched', 'in_progress', 'department', c.claimed_at),
        (5, 'resolve', 'in_progress', 'resolved', 'department', coalesce(c.resolved_at, c.reported_at + interval '20 hours')),
        (6, 'verify', 'resolved', 'verified', 'grid', coalesce(c.verified_at, c.reported_at + interval '26 hours')),
        (7, 'close', 'verified', 'closed', 'street', coalesce(c.closed_at, c.reported_at + interval '40 hours')),
        (8, 'reject', 'reported', 'rejected', 'street', coalesce(c.closed_at, c.reported_at + interval '1 hour')),
        (8, 'cancel', 'reported', 'cancelled', 'grid', coalesce(c.closed_at, c.reported_at + interval '1 hour')),
        (8, 'merge', 'reported', 'merged', 'street', coalesce(c.closed_at, c.reported_at + interval '1 hour')),
        (8, 'verify', 'resolved', 'rework', 'grid', c.reported_at + interval '26 hours')
      ) e(step, action, from_state, to_state, unit, at)
      where c.code between ${lo} and ${hi}
        and ((e.step < 8 and e.step <= s.reach) or (e.step = 8 and e.to_state = c.status))`)) as unknown as {
      rowCount?: number;
      affectedRows?: number;
    };
    events += r.rowCount ?? r.affectedRows ?? 0;
    process.stdout.write(`\r  trail of ${to.toLocaleString()} cases: ${events.toLocaleString()} events`);
  }
  process.stdout.write('\n  indexing the trail…');
  // The catalogue writes a partitioned table's index as `ON ONLY` (the parent alone); made anew
  // it must cover every partition.
  for (const i of indexes) await db.execute(sql.raw(i.def.replace(' ON ONLY ', ' ON ')));
  await db.execute(sql`analyze case_events`);
  console.log(`\n  trail generated in ${secs(t0)} s`);
  return events;
}
