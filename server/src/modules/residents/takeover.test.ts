import { idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { errorReportRows, runImportOf } from '../../test/imports.js';

/**
 * Issue 12 item 1: an ID number is no proof that its person is the importer's. A row or a
 * registration naming someone registered in another jurisdiction is refused, names
 * nothing of them, and leaves them where and as they were.
 */
let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherStreet: Session;
let gridWorker: Session;

const idFor = (birth: string, seq: string) => {
  const first = `150203${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const header = '姓名,身份证号,手机号,网格编码,居住类型,与户主关系,标签,备注';

interface Row {
  name: string;
  phone_idx: string | null;
  grid_id: number;
  org_path: string;
  notes: string | null;
  updated_at: string;
}
const stored = async (id: string) =>
  (
    await queryRows<Row>(
      ctx.deps.db,
      sql`select name, phone_idx, grid_id, org_path, notes, updated_at::text from residents where id = ${id}`,
    )
  )[0];
const auditOf = (id: string) =>
  queryRows<{ action: string }>(
    ctx.deps.db,
    sql`select action from audit_log where target_id = ${id} order by id`,
  );
const movesOf = (id: string) =>
  queryRows<{ from_grid_id: number | null; to_grid_id: number; note: string | null }>(
    ctx.deps.db,
    sql`select from_grid_id, to_grid_id, note from resident_moves where resident_id = ${id} order by id`,
  );

let elsewhere: { id: string; idNumber: string };

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  // communities[2] is in the other street.
  await makeUser(ctx.deps, {
    username: 'street2',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[2],
  });
  await makeUser(ctx.deps, { username: 'gridworker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  community = await login(ctx.app, 'community');
  otherStreet = await login(ctx.app, 'street2');
  gridWorker = await login(ctx.app, 'gridworker');
  const idNumber = idFor('19961004', '730');
  const made = await otherStreet.post('/api/residents', {
    name: '外街居民',
    idNumber,
    phone: '13811112222',
    gridId: t.grids[4]?.id,
    notes: '原备注',
  });
  expect(made.statusCode).toBe(201);
  elsewhere = { id: made.json().id, idNumber };
}, 60_000);
afterAll(() => ctx?.close());

describe('imports never take over a person of another jurisdiction', () => {
  it('a row with the ID number of a resident of another street is an error row; the person is untouched and still unreadable', async () => {
    const before = await stored(elsewhere.id);
    const auditBefore = await auditOf(elsewhere.id);
    const csv = [
      header,
      `本地甲,${idFor('19700101', '011')},,${t.grids[0]?.code},,,,`,
      `冒名者,${elsewhere.idNumber},13999998888,${t.grids[0]?.code},,,,改写的备注`,
      `本地乙,${idFor('19800202', '022')},,${t.grids[1]?.code},,,,`,
    ].join('\n');
    const job = await runImportOf(community, 'residents', 'r.csv', Buffer.from(csv));
    expect(job).toMatchObject({ status: 'done', total: 3, imported: 2, failed: 1 });
    const rows = await errorReportRows(community, job);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe(3);
    expect(rows[0]?.[1]).toBe('已在其他辖区登记，请走迁移流程');
    expect(rows[0]?.at(-1)).toBe('otherJurisdiction');
    // Nothing of the person found: not the name, not the grid, community or street.
    const report = JSON.stringify(rows);
    for (const secret of ['外街居民', t.grids[4]?.name, t.communities[2]?.name, t.streets[1]?.name, '原备注'])
      expect(report).not.toContain(secret);

    expect(await stored(elsewhere.id)).toEqual(before);
    expect(await auditOf(elsewhere.id)).toEqual(auditBefore);
    expect(await movesOf(elsewhere.id)).toHaveLength(1); // the registration only
    // Still outside the importer's jurisdiction: not readable, not findable by the number.
    expect((await community.get(`/api/residents/${elsewhere.id}`)).statusCode).toBe(404);
    expect((await community.get(`/api/residents?idNumber=${elsewhere.idNumber}`)).json().total).toBe(0);
    // The job stores the rule with the row, for a program to act on.
    const [stored_] = await queryRows<{ errors: { rule?: string; values: Record<string, string> }[] }>(
      ctx.deps.db,
      sql`select errors from import_jobs where id = ${job.id}`,
    );
    expect(stored_?.errors[0]?.rule).toBe('otherJurisdiction');
  });

  it('a grid worker cannot take over a person of the next grid by importing their number', async () => {
    const next = await community.post('/api/residents', {
      name: '邻格居民',
      idNumber: idFor('19550505', '041'),
      gridId: t.grids[1]?.id,
    });
    const before = await stored(next.json().id);
    const job = await runImportOf(
      gridWorker,
      'residents',
      'r.csv',
      Buffer.from([header, `改名,${idFor('19550505', '041')},,${t.grids[0]?.code},,,,`].join('\n')),
    );
    expect(job).toMatchObject({ status: 'done', imported: 0, failed: 1 });
    expect((await errorReportRows(gridWorker, job))[0]?.[1]).toBe('已在其他辖区登记，请走迁移流程');
    expect(await stored(next.json().id)).toEqual(before);
    expect((await gridWorker.get(`/api/residents/${next.json().id}`)).statusCode).toBe(404);
  });

  it('inside the jurisdiction a new grid is a move: recorded with history and audited as one', async () => {
    const own = await community.post('/api/residents', {
      name: '本社区居民',
      idNumber: idFor('19660606', '053'),
      gridId: t.grids[0]?.id,
    });
    const id = own.json().id as string;
    const job = await runImportOf(
      community,
      'residents',
      'r.csv',
      Buffer.from([header, `本社区居民,${idFor('19660606', '053')},,${t.grids[1]?.code},,,,`].join('\n')),
    );
    expect(job).toMatchObject({ status: 'done', imported: 1, failed: 0 });
    const row = await stored(id);
    expect(row).toMatchObject({ grid_id: t.grids[1]?.id, org_path: t.grids[1]?.path });
    expect(await movesOf(id)).toEqual([
      { from_grid_id: null, to_grid_id: t.grids[0]?.id, note: '登记' },
      { from_grid_id: t.grids[0]?.id, to_grid_id: t.grids[1]?.id, note: '导入' },
    ]);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['resident.created', 'resident.moved']);
    const history = (await community.get(`/api/residents/${id}/moves`)).json().items;
    expect(history.at(-1)).toMatchObject({ fromGridName: t.grids[0]?.name, toGridName: t.grids[1]?.name });
  });
});

describe('registering a person registered elsewhere', () => {
  it('answers 409 naming the rule, and nothing of the person', async () => {
    const before = await stored(elsewhere.id);
    const res = await community.post('/api/residents', {
      name: '重新登记',
      idNumber: elsewhere.idNumber,
      gridId: t.grids[0]?.id,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'RECORD_IN_OTHER_JURISDICTION',
      detail: '已在其他辖区登记，请走迁移流程',
      errors: [{ field: 'idNumber', rule: 'otherJurisdiction', message: '已在其他辖区登记，请走迁移流程' }],
    });
    for (const secret of ['外街居民', elsewhere.id, t.grids[4]?.name, t.communities[2]?.name, '138'])
      expect(res.body).not.toContain(secret);
    expect(await stored(elsewhere.id)).toEqual(before);
    // Inside the jurisdiction a duplicate is still the plain duplicate it always was.
    const own = await community.post('/api/residents', {
      name: '再登记',
      idNumber: idFor('19660606', '053'),
      gridId: t.grids[0]?.id,
    });
    expect(own.statusCode).toBe(400);
    expect(own.json().errors[0]).toMatchObject({ field: 'idNumber', rule: 'unique' });
  });
});
