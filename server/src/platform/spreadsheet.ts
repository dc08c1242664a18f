import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';

/**
 * Reads the first worksheet of an xlsx file as rows of cell texts, in slices, so an import
 * can check and write early rows while later ones are still being read. The ZIP is opened
 * with fflate and the sheet's XML streamed through saxes; text is decoded with a streaming
 * UTF-8 decoder, so a character split between two slices stays whole.
 */
export class SpreadsheetError extends Error {}

function entries(buf: Uint8Array) {
  try {
    return unzipSync(buf, {
      filter: (f) =>
        f.name === 'xl/workbook.xml' ||
        f.name === 'xl/_rels/workbook.xml.rels' ||
        f.name === 'xl/sharedStrings.xml' ||
        f.name.startsWith('xl/worksheets/sheet'),
    });
  } catch {
    throw new SpreadsheetError('not a zip');
  }
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
