import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  contentDisposition,
  exportXlsx,
  maxUnpackedBytes,
  type SheetRow,
  SpreadsheetError,
  xlsxRows,
} from './spreadsheet.js';

async function read(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

describe('exportXlsx', () => {
  it('writes typed cells under a frozen header, by key or by position, with a title row', async () => {
    const buf = await exportXlsx([
      {
        name: '事件',
        columns: [
          { header: '编号', key: 'code', width: 20 },
          { header: '办结率', key: 'rate', format: '0.0%' },
        ],
        rows: [
          { code: 'A1', rate: 0.5 },
          { code: 'A2', rate: null },
        ],
      },
      {
        name: '概况',
        title: '本期概况',
        columns: [{ header: '指标' }, { header: '本期', format: '0' }],
        rows: [
          ['按时办结率', { value: 0.25, format: '0.0%' }],
          ['新增', 3],
        ],
      },
    ]);
    const wb = await read(buf);
    const [cases, summary] = wb.worksheets;
    expect(cases?.getRow(1).values).toEqual([undefined, '编号', '办结率']);
    expect(cases?.getRow(2).getCell(2).value).toBe(0.5);
    expect(cases?.getRow(2).getCell(2).numFmt).toBe('0.0%');
    expect(cases?.getRow(3).getCell(2).value).toBeNull();
    expect(cases?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(summary?.getCell('A1').value).toBe('本期概况');
    expect(summary?.getRow(2).getCell(2).value).toBe('本期');
    expect(summary?.getRow(3).getCell(2).numFmt).toBe('0.0%');
    expect(summary?.getRow(4).getCell(2).numFmt).toBe('0');
    expect(summary?.views[0]).toMatchObject({ ySplit: 2 });
  });

  it('keeps a text that Excel would take for a formula as text', async () => {
    const rows = [['=HYPERLINK("http://x","点我")'], ['+86 138'], ['-1层'], ['@SUM(A1)'], ['1-2-301']];
    const wb = await read(await exportXlsx([{ name: 's', columns: [{ header: '内容' }], rows }]));
    const texts = [2, 3, 4, 5, 6].map((n) => wb.worksheets[0]?.getRow(n).getCell(1).value);
    expect(texts).toEqual(['\'=HYPERLINK("http://x","点我")', "'+86 138", "'-1层", "'@SUM(A1)", '1-2-301']);
  });

  it('is read back by the importer (inline and shared strings alike)', async () => {
    const buf = await exportXlsx([
      { name: 's', columns: [{ header: '甲' }, { header: '乙' }], rows: [['一', 2]] },
    ]);
    expect([...xlsxRows(buf)].flat()).toEqual([
      ['甲', '乙'],
      ['一', '2'],
    ]);
  });

  it('refuses more rows than the cap with a 400 naming the limit, from an array or an iterator', async () => {
    const over = async (rows: Iterable<SheetRow> | AsyncIterable<SheetRow>) =>
      exportXlsx([{ name: 's', columns: [{ header: 'n' }], rows }], { maxRows: 3 }).then(
        () => null,
        (e: unknown) => e,
      );
    const array = await over([[1], [2], [3], [4]]);
    async function* many() {
      for (let i = 0; i < 10; i++) yield [i];
    }
    const iterated = await over(many());
    for (const e of [array, iterated]) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('EXPORT_TOO_MANY_ROWS');
      expect((e as AppError).errors?.[0]).toMatchObject({ field: 'rows', rule: 'max', params: { max: 3 } });
    }
    expect(await over([[1], [2], [3]])).toBeNull();
  });

  it('cuts a sheet name to what Excel accepts', async () => {
    const wb = await read(
      await exportXlsx([{ name: 'a/b:c[d]*?\\e'.padEnd(40, 'x'), columns: [{ header: 'n' }], rows: [] }]),
    );
    expect(wb.worksheets[0]?.name).toBe('a_b_c_d____e'.padEnd(31, 'x'));
  });
});

describe('xlsxRows and a zip bomb', () => {
  /** A workbook whose sheet says it unpacks to `declared` bytes (the central directory's size). */
  function workbook(declared?: number): Uint8Array {
    const sheet = new TextEncoder().encode(
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>',
    );
    const zip = Buffer.from(
      zipSync({ 'xl/worksheets/sheet1.xml': sheet, 'xl/workbook.xml': new Uint8Array() }),
    );
    if (declared === undefined) return new Uint8Array(zip);
    // Patch the uncompressed size of the sheet in its local header and the central directory.
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    for (let at = zip.indexOf(name); at !== -1; at = zip.indexOf(name, at + 1)) {
      const central = at >= 46 && zip.readUInt32LE(at - 46) === 0x02014b50;
      zip.writeUInt32LE(declared, central ? at - 46 + 24 : at - 30 + 22);
    }
    return new Uint8Array(zip);
  }

  it('refuses a workbook that unpacks past the limit before inflating it, and reads one within', () => {
    const before = process.memoryUsage().rss;
    let err: unknown;
    try {
      for (const _ of xlsxRows(workbook(maxUnpackedBytes + 1))) void _;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpreadsheetError);
    expect((err as SpreadsheetError).kind).toBe('tooLarge');
    // Nothing near the declared size was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    const rows = [...xlsxRows(workbook())].flat();
    expect(rows[0]?.[0]).toBe('x');
  });
});

describe('contentDisposition', () => {
  it('names the file in UTF-8 with an ASCII fallback that cannot break the header', () => {
    expect(contentDisposition('事件清单 (1).xlsx', 'cases "1".xlsx')).toBe(
      `attachment; filename="cases _1_.xlsx"; filename*=UTF-8''%E4%BA%8B%E4%BB%B6%E6%B8%85%E5%8D%95%20%281%29.xlsx`,
    );
  });
});
