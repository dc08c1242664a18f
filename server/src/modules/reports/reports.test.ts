import { isWorkday, localDay } from '@civicgrid/core/calendar/workCalendar';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { mobileNumber } from '../../test/personalData.js';
import { workCalendar } from '../cases/calendar.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';
import { cases } from '../cases/tables.js';
import { workLogs } from '../fieldwork/tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let district: Session;
let otherStreet: Session;
let worker: Session;

const dayMs = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);

/**
 * The fixture lives in the month before last, in the first full week starting on the 8th
 * or later: the week before it is in the same month, so the bulletin sees all of it.
 */
const month = (() => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 2);
  return d.toISOString().slice(0, 7);
})();
const monday = (() => {
  let d = `${month}-08`;
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
})();
/** A China time `days` after the fixture's Monday. */
const at = (days: number, hour = 10) =>
  new Date(Date.parse(`${monday}T00:00:00+08:00`) + days * dayMs + hour * 3_600_000);

let seq = 0;
type Unit = (typeof t.grids)[number];
async function makeCase(grid: Unit, c: Partial<typeof cases.$inferInsert>) {
  seq++;
  const community = t.communities.find((u) => u.id === grid.parentId) as Unit;
  await ctx.deps.db.insert(cases).values({
    code: `SJ${monday.replaceAll('-', '')}${String(seq).padStart(4, '0')}`,
    status: 'reported',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    // Personal data that must never reach a report.
    description: '来电人 13912345678，身份证 150203199001011234',
    address: '测试路 1 号',
    reporterName: '张三',
    gridId: grid.id,
    communityId: community.id,
    streetId: community.parentId,
    orgPath: grid.path,
    handlingUnitId: community.id,
    idempotencyKey: `report-test-${seq}`,
    step: 'none',
    ...c,
  });
}

/** A case that went all the way through: resolved, verified and closed. */
const closedCase = (
  reported: number,
  resolved: number,
  closed: number,
  onTime: boolean,
  level: string,
  rating: string,
) => ({
  status: 'closed',
  reportedAt: at(reported),
  acceptedAt: at(reported, 11),
  dispatchedAt: at(reported, 12),
  resolvedAt: at(resolved),
  resolvedOnTime: onTime,
  resolvedAtLevel: level,
  verifiedAt: at(resolved, 15),
  closedAt: at(closed),
  updatedAt: at(closed),
  rating,
});

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  invalidateNames();
  const [g0, g1, g2, , g4] = t.grids as [Unit, Unit, Unit, Unit, Unit];
  const [chengguan, zhujian] = t.departments.map((d) => ({ id: d.id })) as [{ id: number }, { id: number }];
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'street2', roles: ['streetCentre'], orgUnit: t.streets[1] });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  const w1 = await makeUser(ctx.deps, { username: 'w1', roles: ['gridWorker'], orgUnit: g0 });
  await makeUser(ctx.deps, { username: 'w2', roles: ['gridWorker'], orgUnit: g1 });
  await makeUser(ctx.deps, { username: 'w3', roles: ['gridWorker'], orgUnit: g2 });
  await makeUser(ctx.deps, { username: 'w4', roles: ['gridWorker'], orgUnit: g4 });
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'street2');
  district = await login(ctx.app, 'district');
  worker = await login(ctx.app, 'w1');

  // The week: A, B, C in community 1-1; D in community 1-2; E reported the week before, closed in it.
  await makeCase(g0, { ...closedCase(0, 1, 2, true, 'grid', 'satisfied'), departmentIds: [chengguan.id] });
  await makeCase(g0, {
    ...closedCase(1, 2, 3, false, 'community', 'dissatisfied'),
    departmentIds: [chengguan.id],
  });
  await makeCase(g0, {
    status: 'in_progress',
    reportedAt: at(2),
    acceptedAt: at(2, 11),
    dispatchedAt: at(2, 12),
    resolveBy: at(3, 12),
    step: 'resolve',
    dueAt: at(3, 12),
    overdue: true,
  });
  await makeCase(g2, {
    status: 'resolved',
    categoryCode: 'C0101',
    reportedAt: at(3),
    acceptedAt: at(3, 11),
    dispatchedAt: at(3, 12),
    resolveBy: at(6),
    resolvedAt: at(4),
    resolvedOnTime: true,
    resolvedAtLevel: 'department',
    departmentIds: [zhujian.id],
  });
  await makeCase(g2, {
    ...closedCase(-5, 0, 1, true, 'grid', 'basicallySatisfied'),
    categoryCode: 'C0101',
    resolveBy: at(2),
  });
  // The week before: F closed in it; G never accepted, late since Saturday 09:00.
  await makeCase(g2, { ...closedCase(-6, -5, -4, true, 'grid', 'satisfied'), categoryCode: 'C0101' });
  await makeCase(g1, {
    reportedAt: at(-3),
    acceptBy: at(-2, 9),
    step: 'accept',
    dueAt: at(-2, 9),
    overdue: true,
  });
  // Another street's case: in the district's figures only.
  await makeCase(g4, { reportedAt: at(1) });

  // w1 wrote every day of the week; w2 and w3 none; w4 is in the other street.
  await ctx.deps.db.insert(workLogs).values(
    Array.from({ length: 7 }, (_, i) => ({
      userId: w1.id,
      userName: w1.displayName,
      orgPath: g0.path,
      day: addDays(monday, i),
      summary: {},
    })),
  );
}, 60_000);
afterAll(() => ctx?.close());

async function sheets(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Every cell value of a workbook, as text: for searching it. */
function allText(wb: ExcelJS.Workbook) {
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => out.push(String(c.value)))));
  return out.join('\n');
}

const personalData = [mobileNumber, /\d{17}[\dX]/i, /张三/];

describe('weekly review (周讲评)', () => {
  it('counts the week against the week before, per community, in Excel', async () => {
    const res = await street.get(
      `/api/reports/weekly-review?orgUnitId=${t.streets[0]?.id}&week=${addDays(monday, 3)}&format=xlsx`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await sheets(res.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      '概况',
      '分社区',
      '高发分类',
      '网格员讲评',
      '日志缺报',
      '超期未办结',
    ]);

    const summary = wb.getWorksheet('概况') as ExcelJS.Worksheet;
    expect(String(summary.getCell('A1').value)).toContain('测试1街道');
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const line = (label: string) => {
      const row = summary.getColumn(1).values.findIndex((v) => String(v).startsWith(label));
      const r = summary.getRow(row);
      return [r.getCell(2).value, r.getCell(3).value];
    };
    // Reported A, B, C, D this week; E, F, G the week before.
    expect(line('新增事件')).toEqual([4, 3]);
    // Closed A, B, E / F.
    expect(line('办结事件')).toEqual([3, 1]);
    // Open and late at the end: C and G / G.
    expect(line('超期未办结')).toEqual([2, 1]);
    expect(line('按时办结率')).toEqual([0.6667, 1]);
    // Resolved A, B, D, E, verified A, B, E.
    expect(line('落实到位率')).toEqual([0.75, 1]);
    // Rated A (satisfied), B (dissatisfied), E (basically satisfied).
    expect(line('回访满意率')).toEqual([0.6667, 1]);
    expect(line('小事不出网格')).toEqual([0.6667, 1]);
    const rateRow = summary.getColumn(1).values.findIndex((v) => String(v).startsWith('按时办结率'));
    expect(summary.getRow(rateRow).getCell(2).numFmt).toBe('0.0%');

    const areas = wb.getWorksheet('分社区') as ExcelJS.Worksheet;
    const byName = new Map<string, unknown[]>();
    areas.eachRow((r, n) => {
      if (n > 2) byName.set(String(r.getCell(1).value), (r.values as unknown[]).slice(2));
    });
    expect(byName.get('测试1-1社区')).toEqual([3, 2, 2, 0.5, 1, 0.5, 0.5]);
    expect(byName.get('测试1-2社区')).toEqual([1, 1, 0, 1, 0.5, 1, 1]);

    const cats = wb.getWorksheet('高发分类') as ExcelJS.Worksheet;
    expect([3, 4].map((n) => (cats.getRow(n).values as unknown[]).slice(2, 5))).toEqual([
      ['路灯不亮或损坏', 3, 1],
      ['井盖破损或缺失', 1, 2],
    ]);

    const overdue = wb.getWorksheet('超期未办结') as ExcelJS.Worksheet;
    expect(overdue.rowCount).toBe(4);
    // G: late since Saturday 09:00 of the week before; C: since Thursday 12:00 — to Monday 00:00.
    expect(
      [3, 4].map((n) => [overdue.getRow(n).getCell(4).value, overdue.getRow(n).getCell(6).value]),
    ).toEqual([
      ['待受理', 9],
      ['处置中', 4],
    ]);

    const cal = await workCalendar(ctx.deps.db);
    const workdays = Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter((d) => isWorkday(cal, d));
    const logs = wb.getWorksheet('日志缺报') as ExcelJS.Worksheet;
    const missing = new Map<string, unknown>();
    logs.eachRow((r, n) => {
      if (n > 2) missing.set(String(r.getCell(1).value), r.getCell(4).value);
    });
    expect(missing).toEqual(
      workdays.length
        ? new Map([
            ['测试w2', workdays.length],
            ['测试w3', workdays.length],
          ])
        : new Map(),
    );
    for (const p of personalData) expect(allText(wb)).not.toMatch(p);

    // The 讲评 ranks the street's grid workers by the assessment module's scorecard.
    const ranking = wb.getWorksheet('网格员讲评') as ExcelJS.Worksheet;
    const ranked: string[] = [];
    ranking.eachRow((r, n) => {
      if (n > 2) ranked.push(String(r.getCell(3).value));
    });
    expect(ranked.sort()).toEqual(['测试w1', '测试w2', '测试w3']);
    expect(ranking.getRow(3).getCell(2).value).toBe(1);
  });

  it('is a small A4 PDF with an embedded Chinese font subset and the area in its text', async () => {
    const started = Date.now();
    const res = await street.get(`/api/reports/weekly-review?week=${monday}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('周讲评'));
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(1_000_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile[23] /);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans/);
    expect(raw).toMatch(/\/MediaBox \[0 0 595.28 841.89\]/);
    const text = pdfText(pdf);
    expect(text).toContain('测试1街道');
    expect(text).toContain('按时办结率');
    expect(text).toContain('测试1-1社区');
    for (const p of personalData) expect(text).not.toMatch(p);
    // Who took the report is on record.
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log
        where action = 'assessment.exported' and payload->>'report' = 'weeklyReview' and payload->>'format' = 'pdf'`,
    );
    expect(audit?.n).toBe(1);
  });
});

describe('monthly bulletin (月通报)', () => {
  it('covers the whole district, with the departments', async () => {
    const res = await district.get(`/api/reports/monthly-bulletin?month=${month}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = await sheets(res.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toContain('职能部门');
    expect(wb.worksheets.map((s) => s.name)).toContain('分街道');
    const summary = wb.getWorksheet('概况') as ExcelJS.Worksheet;
    const row = (label: string) =>
      summary.getRow(summary.getColumn(1).values.findIndex((v) => String(v).startsWith(label))).getCell(2)
        .value;
    expect(['新增事件', '办结事件', '超期未办结', '按时办结率', '落实到位率'].map(row)).toEqual([
      8, 4, 2, 0.75, 0.8,
    ]);
    const depts = wb.getWorksheet('职能部门') as ExcelJS.Worksheet;
    const byName = new Map<string, unknown[]>();
    depts.eachRow((r, n) => {
      if (n > 2)
        byName.set(
          String(r.getCell(1).value),
          [2, 3, 4, 5, 6].map((i) => r.getCell(i).value ?? null),
        );
    });
    // 城管: A (on time, satisfied) and B (late, dissatisfied); 住建: D, resolved, not yet verified.
    expect(byName.get('城管')).toEqual([2, 2, 0.5, 1, 0.5]);
    expect(byName.get('住建')).toEqual([1, 0, null, 0, null]);

    const pdf = await district.get(`/api/reports/monthly-bulletin?month=${month}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdfText(pdf.rawPayload)).toContain('昆都仑区');
  });
});

describe('access', () => {
  it('refuses an area outside the jurisdiction, naming the field', async () => {
    const res = await otherStreet.get(
      `/api/reports/weekly-review?orgUnitId=${t.streets[0]?.id}&week=${monday}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'orgUnitId', message: '区域不存在或不在您的辖区' });
    const bulletin = await otherStreet.get(
      `/api/reports/monthly-bulletin?orgUnitId=${t.district.id}&month=${month}`,
    );
    expect(bulletin.statusCode).toBe(400);
  });

  it('needs assessment:read', async () => {
    expect((await worker.get(`/api/reports/weekly-review?week=${monday}`)).statusCode).toBe(403);
  });

  it('checks the period', async () => {
    const bad = await street.get('/api/reports/weekly-review?week=2026-13-01');
    expect(bad.statusCode).toBe(400);
    expect((await street.get(`/api/reports/monthly-bulletin?month=${month}-01`)).statusCode).toBe(400);
    expect((await street.get(`/api/reports/weekly-review?week=${monday}&format=doc`)).statusCode).toBe(400);
    const future = await street.get(`/api/reports/weekly-review?week=${addDays(localDay(Date.now()), 8)}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('week');
  });
});
