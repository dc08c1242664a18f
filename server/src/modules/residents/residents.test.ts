import { idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { mobileNumber } from '../../test/personalData.js';
import { ensureResidentTagDefaults } from './tags.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let gridWorker: Session;
let district: Session;

/** A valid GB 11643 number for a birth date and sequence. */
const idFor = (birth: string, seq: string, region = '150203') => {
  const first = `${region}${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const wrongCheck = (id: string) => `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, {
    username: 'community2',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[2],
  });
  await makeUser(ctx.deps, { username: 'gridworker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  community = await login(ctx.app, 'community');
  otherCommunity = await login(ctx.app, 'community2');
  gridWorker = await login(ctx.app, 'gridworker');
  district = await login(ctx.app, 'district');
  await ensureResidentTagDefaults(ctx.deps.db);
}, 60_000);
afterAll(() => ctx?.close());

const add = (s: Session, body: Record<string, unknown>) => s.post('/api/residents', body);

describe('residents', () => {
  it('registers a resident, deriving age, sex and birthplace from the ID number (the birth date stays masked)', async () => {
    const res = await add(community, {
      name: '王秀英',
      idNumber: idFor('19450312', '024'),
      phone: '13912345678',
      gridId: t.grids[0]?.id,
      tags: ['独居老人'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: '王秀英',
      sex: 'female',
      birthDate: null,
      birthplaceCode: '150203',
      idNumber: expect.stringMatching(/^150203\*{8}\d{3}[\dX]$/),
      phone: '139****5678',
      tags: ['独居老人'],
    });
    expect(res.json().age).toBeGreaterThanOrEqual(80);
  });

  it('refuses wrong check digits, impossible birth dates and duplicates, naming idNumber', async () => {
    const good = idFor('19900101', '013');
    const bad = await add(community, { name: '张三', idNumber: wrongCheck(good), gridId: t.grids[0]?.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'idNumber', rule: 'checkDigit' });
    const feb30 = await add(community, {
      name: '张三',
      idNumber: idFor('19900230', '013'),
      gridId: t.grids[0]?.id,
    });
    expect(feb30.json().errors[0]).toMatchObject({ field: 'idNumber', rule: 'birthDate' });
    expect((await add(community, { name: '张三', idNumber: good, gridId: t.grids[0]?.id })).statusCode).toBe(
      201,
    );
    const dup = await add(community, { name: '张三', idNumber: good, gridId: t.grids[1]?.id });
    expect(dup.json().errors[0]).toMatchObject({ field: 'idNumber', rule: 'unique' });
    const outside = await add(community, {
      name: '李四',
      idNumber: idFor('19900101', '035'),
      gridId: t.grids[4]?.id,
    });
    expect(outside.json().errors[0].field).toBe('gridId');
  });

  it('finds people by exact ID or phone (blind index), name prefix and fuzzy name, tag and age', async () => {
    const id = idFor('19800505', '057');
    await add(community, {
      name: '赵建国',
      idNumber: id,
      phone: '13700001234',
      gridId: t.grids[1]?.id,
      tags: ['退役军人'],
    });
    const byId = (await community.get(`/api/residents?idNumber=${id}`)).json();
    expect(byId.items.map((r: { name: string }) => r.name)).toEqual(['赵建国']);
    expect((await community.get('/api/residents?phone=13700001234')).json().items[0].name).toBe('赵建国');
    expect((await community.get(`/api/residents?q=${encodeURIComponent('赵')}`)).json().items[0].name).toBe(
      '赵建国',
    );
    expect((await community.get(`/api/residents?q=${encodeURIComponent('赵建')}`)).json().total).toBe(1);
    // No name starts with 赵建国华; the similar 赵建国 is offered (trigram similarity ≥ 0.5).
    const similar = (await community.get(`/api/residents?q=${encodeURIComponent('赵建国华')}`)).json();
    expect(similar.items.map((r: { name: string }) => r.name)).toEqual(['赵建国']);
    expect((await community.get(`/api/residents?q=${encodeURIComponent('钱多多')}`)).json().total).toBe(0);
    expect((await community.get(`/api/residents?tag=${encodeURIComponent('退役军人')}`)).json().total).toBe(
      1,
    );
    const elders = (await community.get('/api/residents?ageFrom=75'))
      .json()
      .items.map((r: { name: string }) => r.name);
    expect(elders).toContain('王秀英');
    expect(elders).not.toContain('赵建国');
  });

  it('never returns a full ID or phone number without a reveal, and audits each reveal', async () => {
    const list = await community.get('/api/residents?pageSize=200');
    expect(list.body).not.toMatch(/\d{17}[\dX]/);
    expect(list.body).not.toMatch(mobileNumber);
    const target = list.json().items.find((r: { name: string }) => r.name === '赵建国');
    expect((await community.get(`/api/residents/${target.id}`)).body).not.toMatch(mobileNumber);
    // Community workstations do not hold pii:reveal; the district command centre does.
    expect((await community.post(`/api/residents/${target.id}/reveal`)).statusCode).toBe(403);
    const revealed = await district.post(`/api/residents/${target.id}/reveal`);
    expect(revealed.json()).toEqual({
      idNumber: idFor('19800505', '057'),
      phone: '13700001234',
      birthDate: '1980-05-05',
    });
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'pii.revealed' and target_id = ${target.id}`,
    );
    expect(audit?.n).toBe(1);
  });

  it('keeps to the jurisdiction: a grid worker sees only the grid, another community nothing', async () => {
    const mine = (await gridWorker.get('/api/residents?pageSize=200')).json();
    expect(mine.items.every((r: { gridId: number }) => r.gridId === t.grids[0]?.id)).toBe(true);
    expect(mine.total).toBeGreaterThan(0);
    const all = (await community.get('/api/residents?pageSize=200')).json();
    const elsewhere = all.items.find((r: { gridId: number }) => r.gridId === t.grids[1]?.id);
    expect((await gridWorker.get(`/api/residents/${elsewhere.id}`)).statusCode).toBe(404);
    expect((await otherCommunity.get(`/api/residents/${elsewhere.id}`)).statusCode).toBe(404);
    expect((await otherCommunity.get('/api/residents')).json().total).toBe(0);
  });

  it('moves a resident to another grid and keeps the history', async () => {
    const all = (await community.get('/api/residents?pageSize=200')).json();
    const r = all.items.find((x: { name: string }) => x.name === '王秀英');
    const moved = await community.post(`/api/residents/${r.id}/move`, {
      gridId: t.grids[1]?.id,
      note: '搬入子女家',
    });
    expect(moved.json().gridId).toBe(t.grids[1]?.id);
    const history = (await community.get(`/api/residents/${r.id}/moves`)).json().items;
    expect(history.map((h: { toGridName: string }) => h.toGridName)).toEqual([
      t.grids[0]?.name,
      t.grids[1]?.name,
    ]);
    expect(history[1]).toMatchObject({ fromGridName: t.grids[0]?.name, note: '搬入子女家' });
    // The grid worker of the old grid no longer sees her.
    expect((await gridWorker.get(`/api/residents/${r.id}`)).statusCode).toBe(404);
    const edited = await community.patch(`/api/residents/${r.id}`, {
      phone: '13600000000',
      tags: ['独居老人', '高龄老人'],
    });
    expect(edited.json()).toMatchObject({ phone: '136****0000', tags: ['独居老人', '高龄老人'] });
  });
});

describe('the one-person file and exports', () => {
  it('lists the cases a resident reported, matched through the phone number’s blind index', async () => {
    const { ensureCaseDefaults } = await import('../cases/defaults.js');
    await ensureCaseDefaults(ctx.deps.db);
    // Names are cached for 30 s; the taxonomy was just inserted behind the API's back.
    (await import('../cases/names.js')).invalidateNames();
    const zhao = (await community.get('/api/residents?phone=13700001234')).json().items[0];
    const reported = await community.post('/api/cases', {
      description: '楼道灯不亮',
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      location: { lat: 40.605, lng: 109.875 },
      reporter: { name: '赵建国', phone: '13700001234' },
      idempotencyKey: 'resident-profile-case-1',
    });
    expect(reported.statusCode).toBe(201);
    const list = (await community.get(`/api/residents/${zhao.id}/cases`)).json().items;
    expect(list).toEqual([
      expect.objectContaining({
        code: reported.json().code,
        status: 'reported',
        categoryName: '路灯不亮或损坏',
      }),
    ]);
    // Another community sees neither the person nor the case.
    expect((await otherCommunity.get(`/api/residents/${zhao.id}/cases`)).statusCode).toBe(404);
  });

  it('exports the list in scope with the numbers masked, and audits the export', async () => {
    const res = await community.get('/api/residents/export.xlsx');
    expect(res.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const total = (await community.get('/api/residents')).json().total;
    expect((ws?.rowCount ?? 0) - 1).toBe(total);
    const text = JSON.stringify(ws?.getSheetValues());
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).not.toMatch(mobileNumber);
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'resident.exported'`,
    );
    expect(audit?.n).toBe(1);
  });
});

describe('imports', () => {
  const multipart = (name: string, data: Buffer, type = 'text/csv') => {
    const boundary = '----cgimport';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };
  const upload = (s: Session, name: string, data: Buffer, type?: string) =>
    s.inject({ method: 'POST', url: '/api/imports/residents', ...multipart(name, data, type) });
  async function finished(s: Session, id: string) {
    for (let i = 0; i < 100; i++) {
      const job = (await s.get(`/api/imports/${id}`)).json();
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  it('imports the good rows, reports every bad one by row number, and a second import changes nothing', async () => {
    const g0 = t.grids[0]?.code;
    const g1 = t.grids[1]?.code;
    const a = idFor('19600101', '011');
    const b = idFor('19700202', '022');
    const c = idFor('19850303', '033');
    const csv = [
      '姓名,身份证号,手机号,网格编码,居住类型,与户主关系,标签,备注',
      `刘一,${a},13800000001,${g0},户籍人口,户主,"独居老人,高龄老人",`,
      `陈二,${wrongCheck(b)},,${g0},,,,校验位错`,
      `,${c},,${g0},,,,缺姓名`,
      `张三丰,${b},,${g1},流动人口,,,`,
      `刘一重复,${a},,${g0},,,,`,
      `孙五,${c},,999999999999999,,,,`,
      `周六,${idFor('19900909', '044')},12345,${g1},,,,`,
      `王七,${idFor('19920101', '055')},,${g1},,,不存在的标签,`,
      '',
    ].join('\r\n');
    const res = await upload(community, 'residents.csv', Buffer.from(`\uFEFF${csv}`));
    expect(res.statusCode).toBe(202);
    const job = await finished(community, res.json().id);
    expect(job).toMatchObject({ status: 'done', total: 8, imported: 2, failed: 6, unchanged: 0 });
    const report = await community.get(job.errorReportUrl);
    expect(report.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).slice(2) as unknown[][];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [3, '身份证号校验位不正确'],
      [4, '姓名为空'],
      [6, '与第 2 行身份证号重复'],
      [7, '网格编码 999999999999999 不存在'],
      [8, '手机号格式不正确'],
      [9, '标签“不存在的标签”不在标签库中'],
    ]);
    // No personal numbers in clear in the report.
    expect(report.rawPayload.toString('latin1')).not.toContain(c);
    const liu = (await community.get(`/api/residents?idNumber=${a}`)).json().items[0];
    expect(liu).toMatchObject({ name: '刘一', tags: ['独居老人', '高龄老人'], phone: '138****0001' });

    const before = await queryRows<{ id: string; updated_at: string }>(
      ctx.deps.db,
      sql`select id, updated_at::text from residents order by id`,
    );
    const again = await finished(
      community,
      (await upload(community, 'residents.csv', Buffer.from(csv))).json().id,
    );
    expect(again).toMatchObject({ status: 'done', imported: 0, unchanged: 2, failed: 6 });
    const after = await queryRows<{ id: string; updated_at: string }>(
      ctx.deps.db,
      sql`select id, updated_at::text from residents order by id`,
    );
    expect(after).toEqual(before);
  });

  it('reads the xlsx template format and refuses what is not a spreadsheet', async () => {
    const template = await community.get('/api/imports/templates/residents.xlsx');
    expect(template.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).getCell(2).value).toBe('身份证号');
    ws?.spliceRows(2, 1, [
      '吴七',
      idFor('19991231', '058'),
      '',
      t.grids[0]?.code ?? '',
      '户籍人口',
      '',
      '',
      '',
    ]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(
      community,
      'r.xlsx',
      data,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.statusCode).toBe(202);
    expect(await finished(community, res.json().id)).toMatchObject({
      status: 'done',
      imported: 1,
      failed: 0,
    });

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const notSheet = await upload(community, 'photo.xlsx', png);
    expect(notSheet.statusCode).toBe(400);
    expect(notSheet.json().errors[0]).toMatchObject({ field: 'file', rule: 'spreadsheet' });
    const noColumns = await upload(community, 'x.csv', Buffer.from('a,b\n1,2\n'));
    expect(noColumns.json().errors[0]).toMatchObject({ field: 'file', rule: 'columns' });
    // Someone else's import is not theirs to read.
    expect((await otherCommunity.get(`/api/imports/${res.json().id}`)).statusCode).toBe(404);
  });

  it('keeps committed batches and none of a batch that fails midway, and says the import failed', async () => {
    const g = t.grids[1]?.code;
    const lines = ['姓名,身份证号,手机号,网格编码'];
    for (let i = 0; i < 2500; i++) {
      const first = `150203${String(19500101 + (i % 28))}${String(100 + Math.floor(i / 28)).padStart(3, '0')}`;
      const id = `${first}${idNumberCheckChar(first)}`;
      // Row 2,301 passes every check but the database refuses it (the trigger below).
      lines.push(`${i === 2299 ? '拒收名' : `批量${i}`},${id},,${g}`);
    }
    await ctx.deps.db.execute(sql`create function refuse_name() returns trigger language plpgsql as $$
      begin if new.name = '拒收名' then raise exception 'refused by test'; end if; return new; end $$`);
    await ctx.deps.db.execute(
      sql`create trigger refuse_name before insert on residents for each row execute function refuse_name()`,
    );
    const before = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from residents`);
    const res = await upload(community, 'big.csv', Buffer.from(lines.join('\n')));
    expect(res.statusCode).toBe(202);
    const job = await finished(community, res.json().id);
    expect(job).toMatchObject({ status: 'failed', imported: 2000 });
    expect(job.message).toContain('已写入的批次保留');
    const after = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from residents`);
    expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(2000);
    // Nothing of the failed batch, and the database goes on working.
    const [late] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from residents where name in ('批量2000', '批量2400')`,
    );
    expect(late?.n).toBe(0);
    const [kept] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from residents where name in ('批量0', '批量1999')`,
    );
    expect(kept?.n).toBe(2);
    expect((await community.get('/api/residents?pageSize=1')).statusCode).toBe(200);
    await ctx.deps.db.execute(sql`drop trigger refuse_name on residents`);
  });
});

describe('the tag library', () => {
  it('gives only library tags; an admin adds, renames (carried to the residents) and retires them', async () => {
    await makeUser(ctx.deps, { username: 'tagadmin', roles: ['systemAdmin'] });
    const admin = await login(ctx.app, 'tagadmin');
    const names = async (all = false) =>
      (await community.get(`/api/resident-tags${all ? '?all=true' : ''}`))
        .json()
        .items.map((x: { name: string }) => x.name);
    expect(await names()).toEqual(expect.arrayContaining(['独居老人', '残疾人', '退役军人']));

    const id = idFor('19580808', '066');
    const refused = await add(community, {
      name: '吴八',
      idNumber: id,
      gridId: t.grids[0]?.id,
      tags: ['重点关注'],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'tags', rule: 'known' });
    expect((await community.post('/api/resident-tags', { name: '重点关注' })).statusCode).toBe(403);
    // The admin keeps the library without seeing residents.
    expect((await admin.get('/api/resident-tags?all=true')).statusCode).toBe(200);
    expect((await admin.get('/api/residents')).statusCode).toBe(403);

    const created = await admin.post('/api/resident-tags', {
      name: '重点关注',
      description: '社区重点关注对象',
    });
    expect(created.statusCode).toBe(201);
    expect((await admin.post('/api/resident-tags', { name: '重点关注' })).json().errors[0].field).toBe(
      'name',
    );
    const r = (
      await add(community, { name: '吴八', idNumber: id, gridId: t.grids[0]?.id, tags: ['重点关注'] })
    ).json();
    expect(r.tags).toEqual(['重点关注']);

    // A rename follows the people who carry the tag.
    const tagId = created.json().id as number;
    const renamed = await admin.patch(`/api/resident-tags/${tagId}`, { name: '重点帮扶' });
    expect(renamed.json()).toEqual({ carried: 1 });
    expect((await community.get(`/api/residents/${r.id}`)).json().tags).toEqual(['重点帮扶']);
    expect(
      (await community.get('/api/residents?tag=重点帮扶')).json().items.map((x: { id: string }) => x.id),
    ).toEqual([r.id]);

    // Retired: no longer given, but kept where it is, also when other fields are edited.
    await admin.patch(`/api/resident-tags/${tagId}`, { retired: true });
    expect(await names()).not.toContain('重点帮扶');
    expect(await names(true)).toContain('重点帮扶');
    const edited = await community.patch(`/api/residents/${r.id}`, { notes: '已走访', tags: ['重点帮扶'] });
    expect(edited.statusCode).toBe(200);
    const other = idFor('19590909', '077');
    const late = await add(community, {
      name: '郑九',
      idNumber: other,
      gridId: t.grids[0]?.id,
      tags: ['重点帮扶'],
    });
    expect(late.statusCode).toBe(400);
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action like 'residentTag.%'`,
    );
    expect(audit?.n).toBe(3);
  });
});
