import { creditCodeCheckChar, idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let gridWorker: Session;

const idFor = (birth: string, seq: string) => {
  const first = `150203${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const creditCode = (body17: string) => `${body17}${creditCodeCheckChar(body17)}`;

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
  community = await login(ctx.app, 'community');
  otherCommunity = await login(ctx.app, 'community2');
  gridWorker = await login(ctx.app, 'gridworker');
}, 60_000);
afterAll(() => ctx?.close());

const multipart = (name: string, data: Buffer) => {
  const boundary = 'cgboundary42';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
};
async function importFile(s: Session, kind: string, csv: string) {
  const res = await s.inject({
    method: 'POST',
    url: `/api/imports/${kind}`,
    ...multipart(`${kind}.csv`, Buffer.from(csv)),
  });
  expect(res.statusCode).toBe(202);
  for (let i = 0; i < 100; i++) {
    const job = (await s.get(`/api/imports/${res.json().id}`)).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('buildings, housing units and households', () => {
  let buildingId: number;
  it('gives a building the next address code in its grid and refuses duplicates and foreign grids', async () => {
    const g = t.grids[0];
    const res = await community.post('/api/buildings', {
      name: '1号楼',
      address: '包头市昆都仑区阿尔丁大街12号1号楼',
      floors: 6,
      gridId: g?.id,
      lng: 109.875,
      lat: 40.605,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: `${g?.code}001`, type: 'residential', gridName: g?.name });
    buildingId = res.json().id;
    const second = await community.post('/api/buildings', {
      name: '2号楼',
      address: '包头市昆都仑区阿尔丁大街12号2号楼',
      floors: 11,
      gridId: g?.id,
      lng: 109.876,
      lat: 40.605,
    });
    expect(second.json().code).toBe(`${g?.code}002`);
    const dup = await community.post('/api/buildings', {
      name: '1号楼',
      address: 'x',
      floors: 3,
      gridId: g?.id,
      lng: 109.875,
      lat: 40.605,
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0]).toMatchObject({ field: 'name', rule: 'unique' });
    const foreign = await community.post('/api/buildings', {
      name: '9号楼',
      address: 'x',
      floors: 3,
      gridId: t.grids[4]?.id,
      lng: 109.9,
      lat: 40.605,
    });
    expect(foreign.json().errors[0].field).toBe('gridId');
    const noFloors = await community.post('/api/buildings', {
      name: 'x',
      address: 'x',
      floors: 0,
      gridId: g?.id,
      lng: 1,
      lat: 1,
    });
    expect(noFloors.json().errors.map((e: { field: string }) => e.field)).toContain('floors');
  });

  it('registers housing units under a building, with codes down to the room, within its floors', async () => {
    const unit = await community.post(`/api/buildings/${buildingId}/units`, {
      unitNo: 2,
      floor: 5,
      room: '2',
      use: 'rented',
    });
    expect(unit.statusCode).toBe(201);
    expect(unit.json().code).toBe(`${t.grids[0]?.code}001020502`);
    const tooHigh = await community.post(`/api/buildings/${buildingId}/units`, {
      unitNo: 1,
      floor: 7,
      room: '01',
    });
    expect(tooHigh.json().errors[0]).toMatchObject({ field: 'floor', rule: 'max' });
    const again = await community.post(`/api/buildings/${buildingId}/units`, {
      unitNo: 2,
      floor: 5,
      room: '02',
    });
    expect(again.json().errors[0]).toMatchObject({ field: 'room', rule: 'unique' });
  });

  it('puts people in a household in a unit; the building lists them, the profile shows household and housing', async () => {
    const detail = (await community.get(`/api/buildings/${buildingId}`)).json();
    const unit = detail.units[0];
    expect(unit.address).toBe('包头市昆都仑区阿尔丁大街12号1号楼2单元5层502室');
    const hh = await community.post('/api/households', { housingUnitId: unit.id, gridId: t.grids[0]?.id });
    expect(hh.statusCode).toBe(201);
    const people = [];
    for (const [name, birth, seq] of [
      ['韩德胜', '19580301', '011'],
      ['韩丽', '19850712', '022'],
    ] as const) {
      const r = await community.post('/api/residents', {
        name,
        idNumber: idFor(birth, seq),
        gridId: t.grids[0]?.id,
      });
      people.push(r.json().id);
    }
    expect(
      (
        await community.put(`/api/households/${hh.json().id}/members`, {
          residentId: people[0],
          relationToHead: '户主',
        })
      ).statusCode,
    ).toBe(200);
    await community.put(`/api/households/${hh.json().id}/members`, {
      residentId: people[1],
      relationToHead: '子女',
    });
    const secondHead = await community.put(`/api/households/${hh.json().id}/members`, {
      residentId: people[1],
      relationToHead: '户主',
    });
    expect(secondHead.json().errors[0]).toMatchObject({ field: 'relationToHead', rule: 'oneHead' });

    const after = (await community.get(`/api/buildings/${buildingId}`)).json();
    expect(after.building).toMatchObject({ housingUnits: 1, residents: 2 });
    expect(after.units[0].households[0].members.map((m: { name: string }) => m.name)).toEqual([
      '韩德胜',
      '韩丽',
    ]);
    const profile = (await community.get(`/api/residents/${people[1]}/household`)).json().household;
    expect(profile).toMatchObject({
      housing: {
        address: '包头市昆都仑区阿尔丁大街12号1号楼2单元5层502室',
        use: 'rented',
        buildingName: '1号楼',
      },
      members: [
        { name: '韩德胜', relationToHead: '户主' },
        { name: '韩丽', relationToHead: '子女' },
      ],
    });
    // Found by the address of their home.
    const byAddress = await community.get(
      `/api/residents?address=${encodeURIComponent('阿尔丁大街12号1号楼')}`,
    );
    expect(
      byAddress
        .json()
        .items.map((r: { name: string }) => r.name)
        .sort(),
    ).toEqual(['韩丽', '韩德胜']);
    // Another community does not see the building or its people.
    expect((await otherCommunity.get(`/api/buildings/${buildingId}`)).statusCode).toBe(404);
    expect((await otherCommunity.get('/api/buildings')).json().total).toBe(0);
    // A grid worker of that grid sees it.
    expect((await gridWorker.get(`/api/buildings/${buildingId}`)).statusCode).toBe(200);
  });

  it('imports buildings and units, reports bad rows, and a second import changes nothing', async () => {
    const g = t.grids[1]?.code;
    const csv = [
      '网格编码,楼栋名称,标准地址,楼栋类型,总层数,经度,纬度,单元,楼层,房号,房屋用途,建筑面积',
      `${g},5号楼,包头市昆都仑区钢铁大街8号5号楼,住宅楼,6,109.885,40.605,1,1,01,自住,80`,
      `${g},5号楼,包头市昆都仑区钢铁大街8号5号楼,住宅楼,6,109.885,40.605,1,1,02,出租,`,
      `${g},5号楼,包头市昆都仑区钢铁大街8号5号楼,住宅楼,6,109.885,40.605,1,9,01,自住,`,
      `999999999999999,6号楼,地址,,6,109.885,40.605,,,,,`,
      `${g},7号楼,包头市昆都仑区钢铁大街8号7号楼,平房,1,0,0,,,,,`,
      `${g},8号楼,包头市昆都仑区钢铁大街8号8号楼,商业楼,3,109.886,40.606,,,,,`,
      `${g},5号楼,包头市昆都仑区钢铁大街8号5号楼,住宅楼,6,109.885,40.605,1,1,01,自住,80`,
    ].join('\n');
    const job = await importFile(community, 'buildings', csv);
    expect(job).toMatchObject({ status: 'done', total: 7, imported: 3, failed: 4 });
    const report = await community.get(job.errorReportUrl);
    expect(report.statusCode).toBe(200);
    const list = (await community.get(`/api/buildings?orgUnitId=${t.grids[1]?.id}`)).json();
    expect(list.items.map((b: { name: string; housingUnits: number }) => [b.name, b.housingUnits])).toEqual([
      ['5号楼', 2],
      ['8号楼', 0],
    ]);
    const before = await queryRows(
      ctx.deps.db,
      sql`select code, updated_at::text from housing_units order by code`,
    );
    const again = await importFile(community, 'buildings', csv);
    expect(again).toMatchObject({ status: 'done', imported: 0, unchanged: 3, failed: 4 });
    expect(
      await queryRows(ctx.deps.db, sql`select code, updated_at::text from housing_units order by code`),
    ).toEqual(before);
  });
});

describe('settling people and exporting places', () => {
  it('registers where a person lives: joins (or makes) the unit’s household and moves them to its grid', async () => {
    const b = (await community.get(`/api/buildings?orgUnitId=${t.grids[1]?.id}`)).json().items[0];
    const detail = (await community.get(`/api/buildings/${b.id}`)).json();
    const unit = detail.units[0];
    const person = (
      await community.post('/api/residents', {
        name: '邱海燕',
        idNumber: idFor('19770404', '046'),
        gridId: t.grids[0]?.id,
      })
    ).json();
    const res = await community.put(`/api/residents/${person.id}/household`, {
      housingUnitId: unit.id,
      relationToHead: '户主',
    });
    expect(res.statusCode).toBe(200);
    const after = (await community.get(`/api/residents/${person.id}`)).json();
    expect(after.gridId).toBe(t.grids[1]?.id);
    const moves = (await community.get(`/api/residents/${person.id}/moves`)).json().items;
    expect(moves.at(-1)).toMatchObject({ toGridName: t.grids[1]?.name, note: '登记住址' });
    const hh = (await community.get(`/api/residents/${person.id}/household`)).json().household;
    expect(hh.housing.id).toBe(unit.id);
    // A unit outside the jurisdiction is refused, naming the field.
    const foreign = await otherCommunity.put(`/api/residents/${person.id}/household`, {
      housingUnitId: unit.id,
      relationToHead: '户主',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('housingUnitId');
  });

  it('settles in one transaction: a refusal at the last step leaves no move and no household behind', async () => {
    const b = (await community.get(`/api/buildings?orgUnitId=${t.grids[1]?.id}`)).json().items[0];
    const unit = (await community.get(`/api/buildings/${b.id}`)).json().units[0];
    const person = (
      await community.post('/api/residents', {
        name: '葛小雨',
        idNumber: idFor('19900505', '057'),
        gridId: t.grids[0]?.id,
      })
    ).json();
    // The unit's household has its head (the test before): the move to its grid has been
    // written by the time the one-head rule refuses, and must be undone with it.
    const refused = await community.put(`/api/residents/${person.id}/household`, {
      housingUnitId: unit.id,
      relationToHead: '户主',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'relationToHead', rule: 'oneHead' });
    const after = (await community.get(`/api/residents/${person.id}`)).json();
    expect(after.gridId).toBe(t.grids[0]?.id);
    const moves = (await community.get(`/api/residents/${person.id}/moves`)).json().items;
    expect(moves.map((m: { note: string }) => m.note)).toEqual(['登记']);
    expect((await community.get(`/api/residents/${person.id}/household`)).json().household).toBeNull();

    // A unit without a household: the household made for the person goes when the person
    // turns out not to be there to settle.
    const empty = await community.post(`/api/buildings/${b.id}/units`, { unitNo: 9, floor: 1, room: '09' });
    expect(empty.statusCode).toBe(201);
    const missing = await community.put('/api/residents/00000000-0000-4000-8000-000000000000/household', {
      housingUnitId: empty.json().id,
      relationToHead: '户主',
    });
    expect(missing.statusCode).toBe(404);
    const [made] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from households where housing_unit_id = ${empty.json().id}`,
    );
    expect(made?.n).toBe(0);
  });

  it('exports buildings and units in the import template’s columns, so the file imports back unchanged', async () => {
    const exported = await community.get(`/api/buildings/export.xlsx?orgUnitId=${t.grids[1]?.id}`);
    expect(exported.statusCode).toBe(200);
    const res = await community.inject({
      method: 'POST',
      url: '/api/imports/buildings',
      ...multipart('buildings.xlsx', exported.rawPayload),
    });
    expect(res.statusCode).toBe(202);
    let job = (await community.get(`/api/imports/${res.json().id}`)).json();
    for (let i = 0; i < 100 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await community.get(`/api/imports/${res.json().id}`)).json();
    }
    expect(job).toMatchObject({ status: 'done', imported: 0, failed: 0 });
    expect(job.unchanged).toBeGreaterThanOrEqual(3);
  });
});

describe('organizations and facilities', () => {
  it('checks the GB 32100 credit code, masks the contact phone and keeps to scope', async () => {
    const good = creditCode('91150203MA0N00001');
    const wrong = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const base = {
      name: '包头市鹿城便利店',
      kind: 'shop',
      address: '包头市昆都仑区钢铁大街35号',
      gridId: t.grids[0]?.id,
      contactName: '李明',
      contactPhone: '13812345678',
    };
    const bad = await community.post('/api/organizations', { ...base, creditCode: wrong });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'creditCode', rule: 'checkDigit' });
    const ok = await community.post('/api/organizations', { ...base, creditCode: good });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ creditCode: good, contactPhone: '138****5678' });
    const dup = await community.post('/api/organizations', { ...base, creditCode: good });
    expect(dup.json().errors[0]).toMatchObject({ field: 'creditCode', rule: 'unique' });
    const list = await community.get(`/api/organizations?q=${encodeURIComponent('鹿城')}`);
    expect(list.json().total).toBe(1);
    expect(list.body).not.toContain('13812345678');
    expect((await otherCommunity.get(`/api/organizations/${ok.json().id}`)).statusCode).toBe(404);
  });

  it('imports organizations by credit code; bad codes are reported; a second import is a no-op', async () => {
    const g = t.grids[1]?.code;
    const a = creditCode('92150203MA0N00002');
    const b = creditCode('12150203MA0N00003');
    const csv = [
      '单位名称,统一社会信用代码,单位类型,地址,网格编码,联系人,联系电话,从业人数,备注',
      `理发店,${a},个体商户,钢铁大街1号,${g},王芳,13900000001,2,`,
      `幼儿园,${b},学校,钢铁大街2号,${g},,,30,`,
      `坏代码,${a.slice(0, 17)}${a[17] === 'A' ? 'B' : 'A'},企业,钢铁大街3号,${g},,,,`,
      `理发店二,${a},个体商户,钢铁大街1号,${g},,,,`,
      `无类型,${creditCode('91150203MA0N00004')},未知,钢铁大街4号,${g},,,,`,
    ].join('\n');
    const job = await importFile(community, 'organizations', csv);
    expect(job).toMatchObject({ status: 'done', total: 5, imported: 2, failed: 3 });
    const again = await importFile(community, 'organizations', csv);
    expect(again).toMatchObject({ imported: 0, unchanged: 2, failed: 3 });
    const report = await community.get(job.errorReportUrl);
    expect(report.rawPayload.toString('latin1')).not.toContain('13900000001');
    // The export keeps to scope, masks the phone and is audited.
    const exported = await community.get('/api/organizations/export.xlsx');
    expect(exported.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const cells = JSON.stringify(wb.worksheets[0]?.getSheetValues());
    expect(cells).toContain('理发店');
    expect(cells).toContain('139****0001');
    expect(cells).not.toContain('13900000001');
    const other = new ExcelJS.Workbook();
    await other.xlsx.load(
      (await otherCommunity.get('/api/organizations/export.xlsx')).rawPayload as unknown as ArrayBuffer,
    );
    expect(other.worksheets[0]?.rowCount).toBe(1);
    const [audited] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'organization.exported'`,
    );
    expect(audited?.n).toBe(2);
  });

  it('a credit code registered in another street is an error row for a grid worker, never an update', async () => {
    // Issue 12 item 1: credit codes are public; knowing one gives no right to the record.
    const code = creditCode('91150203MA0N00099');
    const made = await otherCommunity.post('/api/organizations', {
      name: '外街公司',
      creditCode: code,
      kind: 'enterprise',
      address: '外街路9号',
      gridId: t.grids[4]?.id,
      contactName: '外街联系人',
      contactPhone: '13722223333',
    });
    expect(made.statusCode).toBe(201);
    const snapshot = () =>
      queryRows(
        ctx.deps.db,
        sql`select name, address, grid_id, org_path, contact_name, contact_phone_idx, notes, updated_at::text
          from organizations where credit_code = ${code}`,
      );
    const before = await snapshot();
    const audits = () =>
      queryRows(ctx.deps.db, sql`select action from audit_log where target_id = ${String(made.json().id)}`);
    const auditBefore = await audits();
    const job = await importFile(
      gridWorker,
      'organizations',
      [
        '单位名称,统一社会信用代码,单位类型,地址,网格编码,联系人,联系电话,从业人数,备注',
        `冒名公司,${code},企业,本格路1号,${t.grids[0]?.code},冒名人,13900009999,1,改写`,
        `本格小店,${creditCode('92150203MA0N00098')},个体商户,本格路2号,${t.grids[0]?.code},,,,`,
      ].join('\n'),
    );
    expect(job).toMatchObject({ status: 'done', imported: 1, failed: 1 });
    const { errorReportRows } = await import('../../test/imports.js');
    const rows = await errorReportRows(gridWorker, job);
    expect(rows.map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      [2, '已在其他辖区登记，请走迁移流程', 'otherJurisdiction'],
    ]);
    for (const secret of ['外街公司', '外街路', '外街联系人', t.grids[4]?.name, t.communities[2]?.name])
      expect(JSON.stringify(rows)).not.toContain(secret);
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toEqual(auditBefore);
    expect((await gridWorker.get(`/api/organizations?creditCode=${code}`)).json().total).toBe(0);
    expect((await gridWorker.get(`/api/organizations/${made.json().id}`)).statusCode).toBe(404);

    // Registering it by hand is refused the same way, naming nothing of it.
    const direct = await gridWorker.post('/api/organizations', {
      name: '冒名公司',
      creditCode: code,
      kind: 'enterprise',
      address: '本格路1号',
      gridId: t.grids[0]?.id,
    });
    expect(direct.statusCode).toBe(409);
    expect(direct.json()).toMatchObject({
      code: 'RECORD_IN_OTHER_JURISDICTION',
      errors: [{ field: 'creditCode', rule: 'otherJurisdiction' }],
    });
    for (const secret of ['外街公司', '外街路', t.grids[4]?.name]) expect(direct.body).not.toContain(secret);
    expect(await snapshot()).toEqual(before);
  });

  it('numbers facilities after GB/T 30428.2 and draws buildings and facilities on the map in scope', async () => {
    const f = await community.post('/api/facilities', {
      typeCode: '0103',
      name: '阿尔丁大街路灯1',
      gridId: t.grids[0]?.id,
      lng: 109.8751,
      lat: 40.6051,
    });
    expect(f.statusCode).toBe(201);
    expect(f.json()).toMatchObject({ code: '1502030103000001', typeName: '路灯', state: 'normal' });
    const f2 = await community.post('/api/facilities', {
      typeCode: '0103',
      name: '路灯2',
      gridId: t.grids[0]?.id,
      lng: 109.8752,
      lat: 40.6052,
    });
    expect(f2.json().code).toBe('1502030103000002');
    const badType = await community.post('/api/facilities', {
      typeCode: '9999',
      name: 'x',
      gridId: t.grids[0]?.id,
      lng: 1,
      lat: 1,
    });
    expect(badType.json().errors[0].field).toBe('typeCode');
    const broken = await community.patch(`/api/facilities/${f.json().id}`, { state: 'damaged' });
    expect(broken.json().state).toBe('damaged');
    expect((await community.get('/api/facilities?state=damaged')).json().total).toBe(1);

    const map = (await community.get('/api/places/map')).json();
    const layers = map.features.map((x: { properties: { layer: string } }) => x.properties.layer);
    expect(layers).toContain('building');
    expect(layers).toContain('facility');
    const boxed = (
      await community.get('/api/places/map?bbox=109.8750,40.6050,109.8751,40.6051&layers=facilities')
    ).json();
    expect(boxed.features.map((x: { properties: { name: string } }) => x.properties.name)).toEqual([
      '阿尔丁大街路灯1',
    ]);
    expect((await otherCommunity.get('/api/places/map')).json().features).toEqual([]);
    expect((await community.get('/api/places/map?bbox=1,2,3')).statusCode).toBe(400);
  });
});
