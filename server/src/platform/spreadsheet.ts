import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { fieldError } from './errors.js';

/**
 * Reads the first worksheet of an xlsx file as rows of cell texts, in slices, so an import
 * can check and write early rows while later ones are still being read. The ZIP is opened
 * with fflate and the sheet's XML streamed through saxes; text is decoded with a streaming
 * UTF-8 decoder, so a character split between two slices stays whole.
 */
export class SpreadsheetError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'tooLarge' = 'corrupt',
  ) {
    super(message);
  }
}

/**
 * The most the parts of a workbook that are read (its sheets and shared strings) may unpack
 * to, together: a 50 MB upload of zeros deflates from gigabytes (a zip bomb). fflate sizes its
 * output by the size each entry declares — and stops there, if the entry lies — so the check
 * of the declared sizes before inflating bounds the memory. A real sheet of 1,048,576 rows of a
 * resident import unpacks to about 250 MB.
 */
export const maxUnpackedBytes = 400 * 1024 * 1024;

function entries(buf: Uint8Array) {
  let unpacked = 0;
  let tooLarge = false;
  let files: ReturnType<typeof unzipSync>;
  try {
    files = unzipSync(buf, {
      filter: (f) => {
        const wanted =
          f.name === 'xl/workbook.xml' ||
          f.name === 'xl/_rels/workbook.xml.rels' ||
          f.name === 'xl/sharedStrings.xml' ||
          f.name.startsWith('xl/worksheets/sheet');
        if (!wanted || tooLarge) return false;
        unpacked += f.originalSize;
        if (unpacked > maxUnpackedBytes) tooLarge = true;
        return !tooLarge;
      },
    });
  } catch {
    throw new SpreadsheetError('not a zip');
  }
  if (tooLarge) throw new SpreadsheetError('unpacks past the limit', 'tooLarge');
  return files;
}

/** Calls `onOpen`/`onText`/`onClose` over an XML document given as bytes, slice by slice. */
function* saxSlices(
  bytes: Uint8Array,
  handlers: {
    open(name: string, attrs: Record<string, string>): void;
    text(t: string): void;
    close(name: string): void;
  },
  sliceBytes = 1 << 20,
): Generator<void> {
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on('error', (e) => {
    failure = e;
  });
  parser.on('opentag', (t) => handlers.open(t.name, t.attributes as Record<string, string>));
  parser.on('text', (t) => handlers.text(t));
  parser.on('closetag', (t) => handlers.close(t.name));
  const decoder = new TextDecoder('utf-8');
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    parser.write(decoder.decode(bytes.subarray(at, at + sliceBytes), { stream: true }));
    if (failure) throw new SpreadsheetError(String(failure));
    yield;
  }
  parser.write(decoder.decode());
  parser.close();
  if (failure) throw new SpreadsheetError(String(failure));
}

/**
 * ECMA-376 §22.9.2.19 (ST_Xstring): a character XML cannot carry — a control character —
 * is written `_xHHHH_`, and a literal `_x` as `_x005F_x`. Decoded here, so the importer
 * sees the cell as typed (and refuses a control character by its column).
 */
export function decodeXstring(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;
}

function sharedStrings(bytes: Uint8Array | undefined): string[] {
  if (!bytes) return [];
  const out: string[] = [];
  let inSi = false;
  let inT = false;
  let cur = '';
  for (const _ of saxSlices(bytes, {
    open(name) {
      if (name === 'si') {
        inSi = true;
        cur = '';
      } else if (name === 't' && inSi) inT = true;
    },
    text(t) {
      if (inT) cur += t;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'si') {
        inSi = false;
        out.push(decodeXstring(cur));
      }
    },
  }));
  return out;
}

/** The first sheet in the workbook's order, found through its relationship; sheet1 otherwise. */
function firstSheetPath(files: Record<string, Uint8Array>): string {
  const decoder = new TextDecoder();
  const wb = files['xl/workbook.xml'] ? decoder.decode(files['xl/workbook.xml']) : '';
  const rels = files['xl/_rels/workbook.xml.rels'] ? decoder.decode(files['xl/_rels/workbook.xml.rels']) : '';
  const rid = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(wb)?.[1];
  if (rid) {
    const rel = new RegExp(`<Relationship\\b[^>]*\\bId="${rid}"[^>]*>`).exec(rels)?.[0];
    const target = rel && /\bTarget="([^"]+)"/.exec(rel)?.[1];
    if (target) {
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      if (files[path]) return path;
    }
  }
  const first = Object.keys(files)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))[0];
  if (!first) throw new SpreadsheetError('no worksheet');
  return first;
}

function columnOf(ref: string | undefined, fallback: number): number {
  if (!ref) return fallback;
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/**
 * Rows of the first worksheet, yielded a slice at a time. Row numbers stay true: a row the
 * file leaves out comes back empty. `onSize` hears the row count the sheet declares.
 */
export function* xlsxRows(buf: Uint8Array, onSize?: (rows: number) => void): Generator<string[][]> {
  const files = entries(buf);
  const strings = sharedStrings(files['xl/sharedStrings.xml']);
  const sheet = files[firstSheetPath(files)] as Uint8Array;
  let out: string[][] = [];
  let rowNo = 0;
  let row: string[] = [];
  let col = 0;
  let type = '';
  let value = '';
  let inValue = false;
  for (const _ of saxSlices(sheet, {
    open(name, a) {
      if (name === 'dimension' && onSize) {
        // `A1:H300001`: the sheet says how many rows it has, for the progress bar.
        const last = Number(/\d+$/.exec(a.ref ?? '')?.[0]);
        if (last > 0) onSize(last);
      } else if (name === 'row') {
        const r = Number(a.r) || rowNo + 1;
        while (rowNo < r - 1) {
          out.push([]);
          rowNo++;
        }
        rowNo = r;
        row = [];
      } else if (name === 'c') {
        col = columnOf(a.r, row.length);
        type = a.t ?? 'n';
        value = '';
      } else if (name === 'v' || name === 't') inValue = true;
    },
    text(t) {
      if (inValue) value += t;
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false;
      else if (name === 'c') {
        const text =
          type === 's'
            ? (strings[Number(value)] ?? '')
            : type === 'b'
              ? value === '1'
                ? 'TRUE'
                : 'FALSE'
              : type === 'inlineStr' || type === 'str'
                ? decodeXstring(value)
                : value;
        while (row.length < col) row.push('');
        row[col] = text;
      } else if (name === 'row') out.push(row);
    },
  })) {
    if (out.length) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

// ---------------------------------------------------------------- writing

/** What a cell holds; `{value, format}` overrides its column's number format for one cell. */
export type CellValue = string | number | boolean | Date | null | undefined;
export type Cell = CellValue | { value: CellValue; format: string };
/** A row by position (`Cell[]`) or by column key. */
export type SheetRow = readonly Cell[] | Readonly<Record<string, Cell>>;

export interface SheetColumn {
  /** The header a user reads (Chinese). */
  header: string;
  /** Where the cell comes from in a keyed row; positional rows ignore it. */
  key?: string;
  /** In characters, as Excel counts them (a Chinese character is about two). */
  width?: number;
  /** Excel number format of the column's cells: `0.0%`, `+0;-0;0`, `yyyy-mm-dd hh:mm`. */
  format?: string;
}

export interface Sheet {
  /** The tab's name; Excel allows 31 characters without `[]:*?/\`. */
  name: string;
  /** A bold line above the header, merged across the columns. */
  title?: string;
  columns: readonly SheetColumn[];
  /** An array, or an (async) iterator for a big export: rows are written as they come. */
  rows: Iterable<SheetRow> | AsyncIterable<SheetRow>;
}

/**
 * The most rows one export may hold. Past it the file is refused with a 400 that names the
 * limit (the list's filters narrow it), instead of a silently cut file that looks complete.
 */
export const maxExportRows = 50_000;

/** Refuses an export of `count` rows over `max`: call it before the query when the count is known. */
export function assertExportSize(count: number, max = maxExportRows): void {
  if (count > max) throw fieldError('rows', 'max', 'EXPORT_TOO_MANY_ROWS', { max });
}

/**
 * OWASP "CSV injection": a text that starts with = + - @ (or a tab / carriage return) is a
 * formula to Excel once a user edits the cell or saves the sheet as CSV. Text in an export
 * comes from residents' reports and officers' input, so such a text is written with a
 * leading apostrophe and stays text.
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Excel refuses a sheet name over 31 characters or with any of []:*?/\ in it. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
}

function cellOf(row: SheetRow, column: SheetColumn, index: number): Cell {
  if (Array.isArray(row)) return (row as readonly Cell[])[index];
  return column.key === undefined ? undefined : (row as Readonly<Record<string, Cell>>)[column.key];
}

const headFill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } } as const;

/**
 * The one way the server writes a spreadsheet: sheets of typed columns (numbers stay numbers,
 * rates keep their percent format), a bold header frozen above the rows, texts made inert,
 * and at most `maxRows` rows in all (a 400 past it). Rows are streamed into the zip as they
 * are written, so an iterator of many rows is not held in memory twice.
 */
export async function exportXlsx(
  sheets: readonly Sheet[],
  opts: { title?: string; maxRows?: number } = {},
): Promise<Buffer> {
  const max = opts.maxRows ?? maxExportRows;
  for (const s of sheets) if (Array.isArray(s.rows)) assertExportSize(s.rows.length, max);
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: true,
  });
  wb.creator = 'CivicGrid';
  if (opts.title) wb.title = opts.title;
  let written = 0;
  for (const s of sheets) {
    const headRow = s.title ? 2 : 1;
    const ws = wb.addWorksheet(sheetName(s.name), { views: [{ state: 'frozen', ySplit: headRow }] });
    ws.columns = s.columns.map((c) => ({ width: c.width ?? 12 }));
    if (s.title) {
      ws.mergeCells(1, 1, 1, Math.max(s.columns.length, 1));
      const t = ws.getRow(1);
      t.getCell(1).value = s.title;
      t.font = { bold: true, size: 13 };
      t.commit();
    }
    const head = ws.getRow(headRow);
    head.values = s.columns.map((c) => c.header);
    head.font = { bold: true };
    head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    head.eachCell((cell) => {
      cell.fill = headFill;
    });
    head.commit();
    for await (const r of s.rows) {
      if (++written > max) {
        // An iterator's length is known only now: the half-written file is dropped.
        sink.destroy();
        assertExportSize(written, max);
      }
      const row = ws.addRow([]);
      const width = Array.isArray(r) ? Math.max(r.length, s.columns.length) : s.columns.length;
      for (let i = 0; i < width; i++) {
        const column = s.columns[i] ?? { header: '' };
        const cell = cellOf(r, column, i);
        const { value, format } =
          cell !== null && typeof cell === 'object' && !(cell instanceof Date)
            ? cell
            : { value: cell, format: column.format };
        if (value === null || value === undefined || value === '') continue;
        const target = row.getCell(i + 1);
        target.value = typeof value === 'string' ? inertText(value) : value;
        if (format) target.numFmt = format;
      }
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/**
 * RFC 6266 `content-disposition` for a download: the name in UTF-8 (`filename*`, RFC 8187)
 * for browsers, and an ASCII fallback for the few clients that read only `filename`.
 */
export function contentDisposition(name: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
