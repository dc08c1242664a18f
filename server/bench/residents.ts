/**
 * `npm run bench`, part 3 — the basic-data issue's speed targets on PostgreSQL:
 *   import 300,000 residents from xlsx (POST /api/imports/residents, the whole path:
 *   upload, streamed xlsx parse, GB 11643 checks, encryption, blind indexes, batched upsert)
 *     < 120 s and ≤ 4 × a bare COPY of the same rows into the same table, same run
 *   with 2,000,000 residents:
 *     exact ID-number lookup (GET /api/residents?idNumber=)   p95 < 10 ms
 *     name search (GET /api/residents?q=)                      p95 < 100 ms
 * BENCH_RESIDENTS_IMPORT / BENCH_RESIDENTS_TOTAL change the sizes; BENCH_DATABASE_URL as in
 * part 2 (this part creates `cg_bench_residents`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { hashPassword } from '../src/platform/auth/password.js';
import { loadConfig } from '../src/platform/config.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPostgres } from '../src/platform/db.js';
import { seedIfEmpty } from '../src/seed/seed.js';
import { localAdminUrl } from './local.js';
import { peopleGenerator, residentCsvColumns, residentCsvLine } from './people.js';
import { recordBench } from './report.js';
import { summary } from './stats.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? localAdminUrl;
const dbName = 'cg_bench_residents';
const importRows = Number(process.env.BENCH_RESIDENTS_IMPORT ?? 300_000);
const totalRows = Number(process.env.BENCH_RESIDENTS_TOTAL ?? 2_000_000);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;

const secs = (t: number) => +((performance.now() - t) / 1000).toFixed(1);

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${dbName} with (force)`);
await admin.query(`create database ${dbName}`);
await admin.end();

const database = await openPostgres(url.toString(), { max: 20 });
await migrateDatabase(database);
const config = loadConfig({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-bench-res-')),
  DATA_KEY: randomBytes(32).toString('hex'),
  INDEX_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
  BODY_LIMIT: String(60 * 1024 * 1024),
});
const crypto = createFieldCrypto('aes', config.dataKey, config.indexKey);
const db = database.db;
let t0 = performance.now();
await seedIfEmpty(db, { seedDemo: true, crypto, demoPassword: 'Demo@2026' });
console.log(`demo district seeded in ${secs(t0)} s`);
const direct = new pg.Pool({ connectionString: url.toString(), max: 4 });
// An importer for the whole district: the community workstation's role, bound to the district.
await direct.query(
  `insert into users (username, display_name, password_hash, must_change_password, org_unit_id, org_path)
   select 'benchimport', '导入测试', $1, false, id, path from org_units where level = 'district'`,
  [await hashPassword('Demo@2026')],
);
await direct.query(
  `insert into user_roles (user_id, role_id) select u.id, r.id from users u, roles r
   where u.username = 'benchimport' and r.code = 'communityWorkstation'`,
);
const { rows: grids } = await direct.query<{ id: number; code: string; path: string }>(
  `select id, code, path from org_units where level = 'grid' and retired_at is null order by id`,
);

// ——— generated people: valid ID numbers (unique), names, phones, grids ———
const { person, rand } = peopleGenerator('civicgrid-bench-residents', grids, 5_000_000); // clear of the demo's
const people = Array.from({ length: importRows }, person);

// ——— the xlsx file, as a user would upload it ———
t0 = performance.now();
const file = join(tmpdir(), `cg-bench-${process.pid}.xlsx`);
{
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet('实有人口');
  ws.addRow(['姓名', '身份证号', '手机号', '网格编码', '居住类型', '与户主关系', '标签', '备注']).commit();
  for (const p of people)
    ws.addRow([p.name, p.idNumber, p.phone, p.grid.code, '户籍人口', '', '', '']).commit();
  ws.commit();
  await wb.commit();
}
const { readFileSync, statSync } = await import('node:fs');
const xlsx = readFileSync(file);
console.log(
  `xlsx of ${importRows.toLocaleString()} rows written (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${secs(t0)} s`,
);

// ——— baseline: a bare COPY of the same rows, already encrypted, into a copy of the table ———
const csvFile = join(tmpdir(), `cg-bench-${process.pid}.csv`);
{
  const lines = people.map((p) => residentCsvLine(p, crypto));
  writeFileSync(csvFile, `${lines.join('\n')}\n`);
  chmodSync(csvFile, 0o644);
}
await direct.query('create table residents_copy (like residents including all)');
t0 = performance.now();
await direct.query(`copy residents_copy (${residentCsvColumns}) from '${csvFile}' with (format csv)`);
const copySeconds = (performance.now() - t0) / 1000;
console.log(`bare COPY of the same ${importRows.toLocaleString()} rows: ${copySeconds.toFixed(1)} s`);
await direct.query('drop table residents_copy');

// ——— the import, through the API ———
const app = await buildApp({ db, database, crypto, config }, { serveWeb: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
async function session(username: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo@2026' }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}
const importer = await session('benchimport');
async function importOnce() {
  const t = performance.now();
  const form = new FormData();
  form.append('file', new Blob([xlsx]), 'residents.xlsx');
  const res = await fetch(`${base}/api/imports/residents`, {
    method: 'POST',
    headers: { cookie: importer.cookie, 'x-csrf-token': importer.csrf },
    body: form,
  });
  if (res.status !== 202) throw new Error(`import ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const job = (await (
      await fetch(`${base}/api/imports/${id}`, { headers: { cookie: importer.cookie } })
    ).json()) as {
      status: string;
      imported: number;
      unchanged: number;
      failed: number;
    };
    if (job.status === 'done' || job.status === 'failed')
      return { ...job, seconds: (performance.now() - t) / 1000 };
  }
}
const first = await importOnce();
console.log(`import: ${JSON.stringify(first)}`);
const again = await importOnce();
console.log(`same file again: ${JSON.stringify(again)}`);
rmSync(file);

// ——— grow to the city: the rest of the 2,000,000 by COPY (the import path was measured above) ———
const { rows: countRows } = await direct.query<{ n: string }>('select count(*) as n from residents');
let have = Number(countRows[0]?.n);
t0 = performance.now();
const grower = await direct.connect();
while (have < totalRows) {
  const n = Math.min(250_000, totalRows - have);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const p = person();
    lines.push(residentCsvLine(p, crypto));
    if (k === 0 && have + n >= totalRows) people.push(p);
  }
  writeFileSync(csvFile, `${lines.join('\n')}\n`);
  await grower.query('create temporary table if not exists grow (like residents including defaults)');
  await grower.query('truncate grow');
  await grower.query(`copy grow (${residentCsvColumns}) from '${csvFile}' with (format csv)`);
  // The demo's people have random numbers; a generated one may match — it is skipped.
  const r = await grower.query('insert into residents select * from grow on conflict do nothing');
  have += r.rowCount ?? 0;
  process.stdout.write(`\r  ${have.toLocaleString()} residents`);
}
grower.release();
rmSync(csvFile);
await direct.query('vacuum analyze residents');
console.log(`\ngrown to ${have.toLocaleString()} residents in ${secs(t0)} s`);

// ——— lookups at city scale, through the API and bare ———
const district = await session('district');
const get = async (path: string) => {
  const t = performance.now();
  const r = await fetch(`${base}${path}`, { headers: { cookie: district.cookie } });
  const body = (await r.json()) as { items: unknown[]; total: number };
  if (r.status !== 200) throw new Error(`${path} ${r.status}`);
  return { ms: performance.now() - t, body };
};
const sample = Array.from(
  { length: 300 },
  () => people[Math.floor(rand() * people.length)] as (typeof people)[number],
);
// A user may look up 60 numbers an hour (rateLimitPolicies.numberLookup, anti-harvesting): the
// limit is checked on every lookup as in real use, and its count cleared between them, untimed.
const clearLookupLimit = () => direct.query(`delete from rate_limits where key like 'numberLookup:%'`);
for (const p of sample.slice(0, 20)) {
  await clearLookupLimit();
  await get(`/api/residents?idNumber=${p.idNumber}`);
}
const idTimes: number[] = [];
let found = 0;
for (const p of sample) {
  await clearLookupLimit();
  const r = await get(`/api/residents?idNumber=${p.idNumber}`);
  idTimes.push(r.ms);
  found += r.body.total;
}
const bareId: number[] = [];
for (const p of sample) {
  const t = performance.now();
  await direct.query('select * from residents where id_number_idx = $1', [crypto.blindIndex(p.idNumber)]);
  bareId.push(performance.now() - t);
}
// Name search as typed: a surname and the first given character (prefix), and a full name (fuzzy).
const nameTimes: number[] = [];
const fuzzyTimes: number[] = [];
const bareName: number[] = [];
for (const p of sample.slice(0, 200)) {
  nameTimes.push((await get(`/api/residents?q=${encodeURIComponent(p.name.slice(0, 2))}`)).ms);
  fuzzyTimes.push((await get(`/api/residents?q=${encodeURIComponent(p.name)}`)).ms);
  const t = performance.now();
  await direct.query(`select * from residents where name like $1 order by name limit 20`, [
    `${p.name.slice(0, 2)}%`,
  ]);
  bareName.push(performance.now() - t);
}
const results = {
  import: {
    rows: importRows,
    seconds: +first.seconds.toFixed(1),
    bareCopySeconds: +copySeconds.toFixed(1),
    ratio: +(first.seconds / copySeconds).toFixed(2),
    imported: first.imported,
    failed: first.failed,
    secondImport: {
      seconds: +again.seconds.toFixed(1),
      imported: again.imported,
      unchanged: again.unchanged,
    },
  },
  residents: have,
  idLookup: { api: summary(idTimes), bare: summary(bareId), found },
  namePrefix: { api: summary(nameTimes), bareLikePrefix: summary(bareName) },
  nameFull: { api: summary(fuzzyTimes) },
};
console.log(JSON.stringify(results, null, 2));
recordBench('residents', [
  {
    name: `import ${importRows.toLocaleString()} residents from xlsx (bare: COPY)`,
    value: +first.seconds.toFixed(1),
    unit: 's',
    target: { max: 120 },
    bare: +copySeconds.toFixed(1),
    maxRatio: 4,
  },
  {
    name: `ID-number lookup, p95 (${have.toLocaleString()} residents)`,
    value: summary(idTimes).p95,
    unit: 'ms',
    target: { max: 10 },
    bare: summary(bareId).p95,
  },
  {
    name: 'name search (prefix), p95 (bare: LIKE prefix)',
    value: summary(nameTimes).p95,
    unit: 'ms',
    target: { max: 100 },
    bare: summary(bareName).p95,
  },
  { name: 'name search (full name), p95', value: summary(fuzzyTimes).p95, unit: 'ms', target: { max: 100 } },
]);
await app.close();
await direct.end();
await database.close();
const pass =
  first.seconds < 120 &&
  first.seconds / copySeconds <= 4 &&
  summary(idTimes).p95 < 10 &&
  summary(nameTimes).p95 < 100 &&
  summary(fuzzyTimes).p95 < 100;
console.log(pass ? 'residents: all targets met' : 'residents: TARGET MISSED');
process.exit(pass ? 0 : 1);
