import { idNumberCheckChar } from '@civicgrid/core';
import { eq, sql } from 'drizzle-orm';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { errorReportRows, runImportOf, xlsxType } from '../test/imports.js';
import { queryRows } from './db.js';
import { failInterruptedImports } from './importer.js';
import { importJobs } from './importTables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let userId: string;

const idFor = (birth: string, seq: string) => {
  const first = `150203${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const header = '姓名,身份证号,手机号,网格编码,居住类型,与户主关系,标签,备注';
const names = async () =>
  (await queryRows<{ name: string }>(ctx.deps.db, sql`select name from residents order by name`)).map(
    (r) => r.name,
  );

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  userId = (
    await makeUser(ctx.deps, {
      username: 'community',
      roles: ['communityWorkstation'],
      orgUnit: t.communities[0],
    })
  ).id;
  community = await login(ctx.app, 'community');
}, 60_000);
afterAll(() => ctx?.close());

describe('control characters in import cells (issue 12 item 7)', () => {
  it('a NUL in one CSV cell makes that row an error row naming the column; the good rows import', async () => {
    const g = t.grids[0]?.code;
    const csv = [
      header,
      `甲一,${idFor('19700101', '011')},,${g},,,,`,
      `乙\u0000二,${idFor('19700102', '022')},,${g},,,,`,
      `丙三,${idFor('19700103', '033')},,${g},,,,"第一行\n第二行\t缩进"`,
      `丁四,${idFor('19700104', '044')},,${g},,,,响铃\u0007`,
      `"戊\n五",${idFor('19700105', '055')},,${g},,,,`,
      `己六,${idFor('19700106', '066')},,${g},,,,`,
    ].join('\r\n');
    const job = await runImportOf(community, 'residents', 'r.csv', Buffer.from(csv));
    expect(job).toMatchObject({ status: 'done', total: 6, imported: 3, failed: 3 });
    expect(await names()).toEqual(expect.arrayContaining(['甲一', '丙三', '己六']));
    // The note keeps its line break and tab: a multi-line column allows them.
    const [note] = await queryRows<{ notes: string }>(
      ctx.deps.db,
      sql`select notes from residents where name = '丙三'`,
    );
    expect(note?.notes).toBe('第一行\n第二行\t缩进');
    const rows = await errorReportRows(community, job);
    expect(rows.map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      [3, '第 3 行 列 姓名 含有不可见控制字符', 'controlCharacter'],
      [5, '第 5 行 列 备注 含有不可见控制字符', 'controlCharacter'],
      [6, '第 6 行 列 姓名 含有不可见控制字符', 'controlCharacter'],
    ]);
    // The report shows the bad cell with the character made visible, not the character.
    expect(rows[0]?.[2]).toBe('乙\uFFFD二');
  });

  it('a control character written the Excel way (_x0000_) in an xlsx cell is refused the same way', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实有人口');
    ws.addRow(header.split(','));
    ws.addRow(['庚七', idFor('19700107', '077'), '', t.grids[0]?.code, '', '', '', '']);
    ws.addRow(['辛NULMARK八', idFor('19700108', '088'), '', t.grids[0]?.code, '', '', '', '']);
    ws.addRow(['壬九', idFor('19700109', '099'), '', t.grids[0]?.code, '', '', '', '']);
    // Excel writes a control character as _xHHHH_ (ECMA-376 ST_Xstring); ExcelJS drops them.
    const files = unzipSync(new Uint8Array(await wb.xlsx.writeBuffer()));
    const strings = new TextDecoder().decode(files['xl/sharedStrings.xml']);
    files['xl/sharedStrings.xml'] = strToU8(strings.replace('NULMARK', '_x0000_'));
    const job = await runImportOf(community, 'residents', 'r.xlsx', Buffer.from(zipSync(files)), xlsxType);
    expect(job).toMatchObject({ status: 'done', total: 3, imported: 2, failed: 1 });
    expect(await names()).toEqual(expect.arrayContaining(['庚七', '壬九']));
    const rows = await errorReportRows(community, job);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[3, '第 3 行 列 姓名 含有不可见控制字符']]);
  });
});

describe('an import cut off by the end of its process (issue 12 item 9)', () => {
  it('is marked failed at boot with the rows it had committed; finished jobs are left alone', async () => {
    const [running] = await ctx.deps.db
      .insert(importJobs)
      .values({
        kind: 'residents',
        status: 'running',
        fileName: 'big.xlsx',
        createdBy: userId,
        total: 20000,
        imported: 1500,
        unchanged: 500,
        failed: 3,
      })
      .returning();
    const [queued] = await ctx.deps.db
      .insert(importJobs)
      .values({ kind: 'residents', status: 'queued', fileName: 'next.csv', createdBy: userId })
      .returning();
    const [done] = await ctx.deps.db
      .insert(importJobs)
      .values({ kind: 'residents', status: 'done', fileName: 'old.csv', createdBy: userId, imported: 7 })
      .returning();

    expect(await failInterruptedImports(ctx.deps.db)).toBe(2);

    const job = (await community.get(`/api/imports/${running?.id}`)).json();
    expect(job).toMatchObject({
      status: 'failed',
      total: 20000,
      imported: 1500,
      unchanged: 500,
      failed: 3,
      message: '导入中断（服务重启），已导入 2000 行；请重新导入剩余数据',
    });
    expect((await community.get(`/api/imports/${queued?.id}`)).json()).toMatchObject({
      status: 'failed',
      message: '导入中断（服务重启），已导入 0 行；请重新导入剩余数据',
    });
    const [left] = await ctx.deps.db
      .select()
      .from(importJobs)
      .where(eq(importJobs.id, done?.id as string));
    expect(left).toMatchObject({ status: 'done', message: null, imported: 7, finishedAt: null });
    // Run again (the next boot): nothing left to mark.
    expect(await failInterruptedImports(ctx.deps.db)).toBe(0);
  });
});
