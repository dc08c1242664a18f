import { eventStream, routes as routeMap } from '@civicgrid/core/api/routes';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';

/**
 * DESIGN.md §2: nothing a client sends may produce a 5xx. Every route of the OpenAPI
 * document gets generated junk in its path parameters, query and body, as a user who holds
 * many permissions; each answer must be below 500. The uploads (photos, material scans and the
 * spreadsheet imports) get junk files: random bytes, truncated workbooks, a zip bomb, formula
 * cells, CSV with control characters — and every import job they start must end.
 *
 * `npm test` runs a sample (1,500 inputs and 150 uploads); `npm run fuzz` runs FUZZ_RUNS (10,000)
 * and a sheet of 1,048,576 rows.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 1500);
const big = process.env.FUZZ_BIG === '1';
let ctx: TestContext;
let session: Session;
let routes: { method: string; path: string }[];

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'fuzzer',
    roles: ['districtCommand', 'communityWorkstation', 'gridWorker', 'serviceClerk'],
    orgUnit: t.district,
  });
  session = await login(ctx.app, 'fuzzer');
  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
      // Logging out or changing the password would end the fuzzer's own session; an event
      // stream (the route map says which) never ends by design.
      .filter(
        (m) => !['/api/auth/logout', '/api/auth/password', '/api/auth/login'].includes(path) || m === 'get',
      )
      .filter((m) => {
        const key = `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}` as keyof typeof routeMap;
        return (routeMap[key] as { reply: unknown } | undefined)?.reply !== eventStream;
      })
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}, 60_000);
afterAll(() => ctx?.close());

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '99999999999999999999',
    'null',
    '../../etc/passwd',
    '%00',
    '1e309',
    '😀',
    'SJ1',
  ),
  fc.uuid(),
);
const body = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'name',
      'id',
      'code',
      'description',
      'categoryCode',
      'location',
      'assignee',
      'page',
      'idNumber',
      'gridId',
      'days',
      'reason',
    ),
    fc.oneof(
      junk,
      fc.array(junk, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), junk, { maxKeys: 3 }),
    ),
  ),
  fc.array(junk, { maxLength: 3 }),
  junk,
);

describe('every route under generated bad input', () => {
  it(
    'answers below 500',
    async () => {
      expect(routes.length).toBeGreaterThan(50);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: 10_000 }),
          junk,
          fc.dictionary(
            fc.constantFrom(
              'page',
              'pageSize',
              'q',
              'from',
              'to',
              'status',
              'orgUnitId',
              'overdue',
              'view',
              'year',
              'lat',
              'lng',
            ),
            junk,
            { maxKeys: 4 },
          ),
          body,
          async (pick, param, query, payload) => {
            const route = routes[pick % routes.length] as { method: string; path: string };
            const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(param)));
            const qs = new URLSearchParams(
              Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
            ).toString();
            const target = `${route.method} ${url}${qs ? `?${qs}` : ''}`;
            const t0 = performance.now();
            // A request that never answers is a failure too, reported by name.
            const res = await Promise.race([
              session.inject({
                method: route.method as 'GET',
                url: `${url}${qs ? `?${qs}` : ''}`,
                ...(route.method === 'GET' || route.method === 'DELETE'
                  ? {}
                  : { payload: payload as object }),
              }),
              new Promise<never>((_, reject) =>
                setTimeout(() => reject(new Error(`no answer: ${target}`)), 10_000),
              ),
            ]);
            if (process.env.FUZZ_DEBUG)
              console.log('F', Math.round(performance.now() - t0), res.statusCode, target.slice(0, 120));
            if (res.statusCode >= 500)
              throw new Error(`${route.method} ${url}?${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          },
        ),
        { numRuns: runs, endOnFailure: true },
      );
    },
    120_000 * Math.max(1, runs / 1500),
  );
});

/** A workbook of the given rows (the first is the header), by exceljs. */
async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook whose one sheet is `xml`, zipped as Excel does. */
function sheetZip(xml: string, declared?: number): Buffer {
  const zip = Buffer.from(
    zipSync({
      '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
      'xl/workbook.xml': new TextEncoder().encode(
        '<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
      ),
      'xl/worksheets/sheet1.xml': new TextEncoder().encode(xml),
    }),
  );
  if (declared === undefined) return zip;
  // The sheet claims to unpack to `declared` bytes: a zip bomb as the importer sees it.
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  for (let at = zip.indexOf(name); at !== -1; at = zip.indexOf(name, at + 1)) {
    const central = at >= 46 && zip.readUInt32LE(at - 46) === 0x02014b50;
    zip.writeUInt32LE(declared >>> 0, central ? at - 46 + 24 : at - 30 + 22);
  }
  return zip;
}

function multipart(name: string, data: Buffer, type: string) {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('every upload under generated bad files', () => {
  it(
    'answers below 500, and every import it starts ends',
    async () => {
      const template = async (kind: string) =>
        (await session.get(`/api/imports/templates/${kind}.xlsx`)).rawPayload;
      const templates = await Promise.all(['residents', 'buildings', 'organizations'].map(template));
      const header = (await session.get('/api/imports/templates/residents.xlsx')).rawPayload;
      const formulas = await xlsxOf([
        ['姓名', '身份证号', '手机号', '网格'],
        [{ formula: 'HYPERLINK("http://evil","点我")' }, '=1+1', '@SUM(A1:A9)', '+cmd|/C calc!A0'],
        [{ formula: 'A1&A1' }, '-2+3', '\u0000\u0007', 'x'],
      ]);
      const fixed: { name: string; data: Buffer; type: string }[] = [
        {
          name: 'bomb.xlsx',
          data: sheetZip('<worksheet/>', 4_000_000_000),
          type: 'application/octet-stream',
        },
        {
          name: 'f.xlsx',
          data: formulas,
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        {
          name: 'x.csv',
          data: Buffer.from('姓名,身份证号\n\u0000\u0001,=cmd\n"unterminated'),
          type: 'text/csv',
        },
        { name: 'empty.xlsx', data: Buffer.alloc(0), type: 'application/octet-stream' },
        { name: 'notxml.xlsx', data: sheetZip('<<<not xml'), type: 'application/octet-stream' },
      ];
      // The real templates, filled with junk rows: these are taken in (202) and run as import jobs.
      for (const [i, t] of templates.entries()) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(t as unknown as ArrayBuffer);
        const ws = wb.worksheets[0];
        for (const row of [
          ['=1+1', '110101190001011234', '😀'.repeat(50), '\u0007'],
          ['', '', '', ''],
          [{ formula: 'A1' }, -1, Number.POSITIVE_INFINITY, '../../etc/passwd'],
        ])
          ws?.addRow(row);
        fixed.push({
          name: `filled${i}.xlsx`,
          data: Buffer.from(await wb.xlsx.writeBuffer()),
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
      }
      if (big) {
        // 1,048,576 rows, the most a sheet has: the import must stream it, not hold it.
        const rows: string[] = [];
        for (let r = 1; r <= 1_048_576; r++)
          rows.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>x${r}</t></is></c></row>`);
        fixed.push({
          name: 'rows.xlsx',
          data: sheetZip(
            `<worksheet><dimension ref="A1:A1048576"/><sheetData>${rows.join('')}</sheetData></worksheet>`,
          ),
          type: 'application/octet-stream',
        });
      }
      const file = fc.oneof(
        fc.constantFrom(...fixed),
        fc.record({ which: fc.nat({ max: 2 }), cut: fc.nat() }).map(({ which, cut }) => {
          const t = (templates[which] ?? header) as Buffer;
          return { name: 'cut.xlsx', data: t.subarray(0, cut % t.length), type: 'application/octet-stream' };
        }),
        fc
          .uint8Array({ maxLength: 4096 })
          .map((b) => ({ name: 'junk.bin', data: Buffer.from(b), type: 'image/jpeg' })),
      );
      const targets = [
        '/api/imports/residents',
        '/api/imports/buildings',
        '/api/imports/organizations',
        '/api/files',
        '/api/material-files',
      ];
      const jobs = new Set<string>();
      const tally = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...targets), file, async (url, f) => {
          const res = await session.inject({ method: 'POST', url, ...multipart(f.name, f.data, f.type) });
          if (res.statusCode >= 500)
            throw new Error(`${url} ${f.name} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          tally.set(`${url} ${res.statusCode}`, (tally.get(`${url} ${res.statusCode}`) ?? 0) + 1);
          if (res.statusCode === 202) jobs.add(res.json().id);
        }),
        { numRuns: Math.max(150, Math.round(runs / 10)), endOnFailure: true },
      );
      if (process.env.FUZZ_DEBUG) console.log([...tally].sort().join('\n'));
      // The importer itself was reached, not only the gate.
      expect(jobs.size).toBeGreaterThan(0);
      // Every import started ends (done or failed), none left running.
      for (const id of jobs)
        await expect
          .poll(async () => (await session.get(`/api/imports/${id}`)).json().status, {
            timeout: big ? 600_000 : 60_000,
            interval: 200,
          })
          .toMatch(/^(done|failed)$/);
      const heap = process.memoryUsage().heapUsed;
      if (process.env.FUZZ_DEBUG)
        console.log('uploads', jobs.size, 'jobs; heap MB', Math.round(heap / 1048576));
    },
    big ? 1_200_000 : 240_000,
  );
});
