import type { AuditActionWith, ImportBatchPayload } from '@civicgrid/core/audit/payloads';
import { eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { appendAudit } from './audit/trail.js';
import type { Actor, RequestMeta } from './auth/actor.js';
import { auditActorOf } from './auth/service.js';
import type { Db } from './db.js';
import { AppError, fieldError } from './errors.js';
import { importJobs } from './importTables.js';
import { maxUnpackedBytes, SpreadsheetError, xlsxRows } from './spreadsheet.js';
import { controlCharacters } from './strings.js';

/**
 * Spreadsheet imports, one engine for every kind (residents, buildings and housing,
 * organizations). A spec names the columns, checks a row and writes a batch; the engine
 * reads xlsx (streamed) or CSV, keeps every bad row with its line number and reason,
 * writes good rows in batches — each batch one transaction with its audit row — and keeps
 * the job's progress for the progress bar.
 */
export interface ImportSpec<T, Ctx> {
  kind: string;
  sheetName: string;
  columns: readonly (readonly [string, string])[];
  required: readonly string[];
  auditAction: AuditActionWith<ImportBatchPayload>;
  /** Loaded once per job: lookups the rows refer to. */
  prepare(db: Db, actor: Actor): Promise<Ctx>;
  /** Columns whose cells may span lines (notes): tab, line feed and carriage return allowed. */
  multiline?: readonly string[];
  /** A good row's value and its key (for duplicates within the file), or the reason it is bad. */
  check(raw: Record<string, string>, ctx: Ctx, actor: Actor): { value: T; key: string } | { error: string };
  /**
   * Writes a batch in the engine's transaction: how many rows changed (a row equal to the
   * stored one writes nothing), and the rows it refused on what the database holds — a key
   * that belongs to a record outside the importer's jurisdiction — by their index in the
   * batch. A refused row writes nothing and is reported like a bad row.
   */
  write(tx: Db, batch: T[], ctx: Ctx, by: { actor: Actor; meta: RequestMeta }): Promise<WriteResult>;
  /** The reason given for a row whose key an earlier row already had. */
  duplicate?(earlierLine: number): string;
  /** The bad row as the error report shows it: personal numbers masked. */
  mask(raw: Record<string, string>): Record<string, string>;
}

export interface WriteResult {
  written: number;
  refused?: { index: number; reason: string; rule: string }[];
}

/** One bad row as the job keeps it; `rule` is a stable name for the kinds a program may act on. */
export interface ImportError {
  row: number;
  reason: string;
  rule?: string;
  values: Record<string, string>;
}

type AnySpec = ImportSpec<unknown, unknown>;

/**
 * Control characters no cell may hold: C0 and DEL. PostgreSQL cannot store U+0000 in text
 * (one such cell used to fail a whole batch), and the rest are never typed by a person —
 * they hide text from whoever reads the record. A multi-line column keeps tab and line breaks.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const controlInCell = /[\u0000-\u001F\u007F]/;
/** A multi-line cell follows the rule every request field follows (platform/strings.ts). */
const controlInMultiline = controlCharacters;
const controlsToShow = new RegExp(controlCharacters.source, 'g');

/** The first of the spec's columns whose cell holds a control character, by its header. */
function columnWithControl(spec: AnySpec, raw: Record<string, string>): string | null {
  for (const [key, label] of spec.columns) {
    const re = spec.multiline?.includes(key) ? controlInMultiline : controlInCell;
    if (re.test(raw[key] ?? '')) return label;
  }
  return null;
}

/** What the error report may store and show of a cell: control characters as U+FFFD. */
function printable(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(controlsToShow, '\uFFFD')]));
}
const specs = new Map<string, AnySpec>();

export function registerImport<T, Ctx>(spec: ImportSpec<T, Ctx>) {
  specs.set(spec.kind, spec as unknown as AnySpec);
  return spec;
}

export const maxImportBytes = 50 * 1024 * 1024;
const batchSize = 2000;

/**
 * A spreadsheet is a ZIP (xlsx); anything else must be UTF-8 text to be read as CSV. A NUL
 * byte does not make a file binary: one in a cell makes that row an error row, not the file
 * unreadable. UTF-16 text (Excel's "Unicode text") is refused by its byte-order mark.
 */
function kindOf(buf: Buffer): 'xlsx' | 'csv' | null {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04)
    return 'xlsx';
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)))
    return null;
  const head = buf.subarray(0, Math.min(buf.length, 4096));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(
      head.subarray(0, head.lastIndexOf(0x0a) > 0 ? head.lastIndexOf(0x0a) : head.length),
    );
    return 'csv';
  } catch {
    return null;
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The file's rows in slices: xlsx streamed (see spreadsheet.ts), CSV parsed at once. */
function* readSlices(buf: Buffer, onSize?: (rows: number) => void): Generator<string[][]> {
  const kind = kindOf(buf);
  if (!kind) throw fieldError('file', 'spreadsheet', 'IMPORT_NOT_SPREADSHEET');
  if (kind === 'csv') {
    const rows = parseCsv(buf.toString('utf8'));
    onSize?.(rows.length);
    for (let i = 0; i < rows.length; i += 5000) yield rows.slice(i, i + 5000);
    return;
  }
  try {
    yield* xlsxRows(buf, onSize);
  } catch (e) {
    if (e instanceof SpreadsheetError)
      throw e.kind === 'tooLarge'
        ? fieldError('file', 'unpackedSize', 'IMPORT_XLSX_TOO_LARGE', { maxMb: maxUnpackedBytes / 1048576 })
        : fieldError('file', 'spreadsheet', 'IMPORT_XLSX_CORRUPT');
    throw e;
  }
}

function headerOf(buf: Buffer): string[] {
  for (const slice of readSlices(buf)) if (slice.length) return slice[0] as string[];
  return [];
}

function columnIndex(spec: AnySpec, header: string[]) {
  const h = header.map((c) => c.trim());
  const index = new Map(spec.columns.map(([key, label]) => [key, h.indexOf(label)]));
  const missing = spec.columns.filter(([key]) => spec.required.includes(key) && (index.get(key) ?? -1) < 0);
  if (missing.length)
    throw fieldError('file', 'columns', 'IMPORT_COLUMNS_MISSING', {
      columns: missing.map(([, l]) => l).join('、'),
    });
  return index;
}

/**
 * Checks the file's kind and header now (a 4xx names what is wrong) and returns the job id;
 * reading, checking and writing the rows go on in the background.
 */
export async function startImport(
  db: Db,
  kind: string,
  actor: Actor,
  file: { name: string; data: Buffer },
  meta: RequestMeta,
): Promise<string> {
  const spec = specs.get(kind);
  if (!spec) throw new AppError('NOT_FOUND');
  columnIndex(spec, headerOf(file.data));
  const [job] = await db
    .insert(importJobs)
    .values({ kind, status: 'queued', fileName: file.name.slice(0, 200), createdBy: actor.userId })
    .returning({ id: importJobs.id });
  const id = (job as { id: string }).id;
  setImmediate(() => {
    runImport(db, spec, actor, id, file.data, meta).catch(async (e) => {
      await db
        .update(importJobs)
        .set({
          status: 'failed',
          message: e instanceof AppError ? e.message : '导入中断，已写入的批次保留，其余未写入',
          finishedAt: new Date(),
        })
        .where(eq(importJobs.id, id));
    });
  });
  return id;
}

/**
 * The whole import, awaited (the background job and the benchmark call it). Reading and
 * checking go on while the previous batch is being written: the database works on one
 * batch while this process reads the next, so on two cores the import takes about as long
 * as the slower of the two.
 */
export async function runImport(
  db: Db,
  spec: AnySpec,
  actor: Actor,
  jobId: string,
  data: Buffer,
  meta: RequestMeta,
) {
  await db.update(importJobs).set({ status: 'running' }).where(eq(importJobs.id, jobId));
  const ctx = await spec.prepare(db, actor);
  const errors: ImportError[] = [];
  const bad = (row: number, reason: string, raw: Record<string, string>, rule?: string) =>
    errors.push({ row, reason, ...(rule ? { rule } : {}), values: printable(spec.mask(raw)) });
  const seen = new Map<string, number>();
  // Each good row with where it came from, so a row the writer refuses is reported by line.
  let good: { value: unknown; line: number; raw: Record<string, string> }[] = [];
  let index: Map<string, number> | null = null;
  let line = 0;
  let total = 0;
  let imported = 0;
  let unchanged = 0;
  // Rows the file declares (less the header), so the progress bar has a whole to fill.
  let expected = 0;
  const write = (batch: typeof good, readSoFar: number) =>
    db.transaction(async (tx) => {
      const { written, refused = [] } = await spec.write(
        tx,
        batch.map((b) => b.value),
        ctx,
        { actor, meta },
      );
      await appendAudit(tx, auditActorOf(actor, meta), {
        action: spec.auditAction,
        targetType: 'importJob',
        targetId: jobId,
        payload: { rows: batch.length - refused.length, written, refused: refused.length },
      });
      imported += written;
      unchanged += batch.length - refused.length - written;
      for (const r of refused) {
        const b = batch[r.index];
        if (b) bad(b.line, r.reason, b.raw, r.rule);
      }
      // `running` again: a server starting meanwhile may have taken the job for interrupted.
      await tx
        .update(importJobs)
        .set({
          status: 'running',
          message: null,
          imported,
          unchanged,
          total: Math.max(readSoFar, expected),
          failed: errors.length,
        })
        .where(eq(importJobs.id, jobId));
    });
  let inFlight: Promise<void> | null = null;
  for (const slice of readSlices(data, (n) => {
    expected = n - 1;
  })) {
    for (const cells of slice) {
      line++;
      if (!index) {
        index = columnIndex(spec, cells);
        continue;
      }
      if (cells.every((c) => c.trim() === '')) continue;
      total++;
      const raw = Object.fromEntries(
        spec.columns.map(([key]) => [key, (cells[index?.get(key) ?? -1] ?? '').trim()]),
      );
      const withControl = columnWithControl(spec, raw);
      if (withControl) {
        bad(line, `第 ${line} 行 列 ${withControl} 含有不可见控制字符`, raw, 'controlCharacter');
        continue;
      }
      const r = spec.check(raw, ctx, actor);
      if ('error' in r) {
        bad(line, r.error, raw);
        continue;
      }
      const earlier = seen.get(r.key);
      if (earlier !== undefined) {
        bad(line, spec.duplicate?.(earlier) ?? `与第 ${earlier} 行重复`, raw);
        continue;
      }
      seen.set(r.key, line);
      good.push({ value: r.value, line, raw });
    }
    while (good.length >= batchSize) {
      const batch = good.slice(0, batchSize);
      good = good.slice(batchSize);
      if (inFlight) await inFlight;
      inFlight = write(batch, total);
      // Handled when awaited above; without this a failure would be "unhandled" meanwhile.
      inFlight.catch(() => {});
    }
    // Let the database's replies in between slices.
    await new Promise((r) => setImmediate(r));
  }
  if (!index) columnIndex(spec, []);
  if (inFlight) await inFlight;
  if (good.length) await write(good, total);
  errors.sort((a, b) => a.row - b.row);
  await db
    .update(importJobs)
    .set({
      status: 'done',
      message: null,
      total,
      imported,
      unchanged,
      failed: errors.length,
      errors,
      finishedAt: new Date(),
    })
    .where(eq(importJobs.id, jobId));
}

/**
 * At boot: an import still `queued` or `running` was cut off when its process died (an
 * import runs inside the process that accepted it, and SIGKILL runs no shutdown hook).
 * It is not resumed — the uploaded file lives only in that process's memory — but marked
 * failed with what it had committed: every batch is its own transaction, so `imported`
 * and `unchanged` are exactly the rows written, and importing the same file again only
 * writes the rest (rows equal to the stored ones are unchanged).
 *
 * With several servers on one PostgreSQL, a server starting while another is importing
 * marks that import failed too; the live import sets it back to `running` at its next
 * batch and to `done` at its end, so the mark is a transient misreport, never lost data.
 */
export async function failInterruptedImports(db: Db): Promise<number> {
  const stuck = await db
    .update(importJobs)
    .set({
      status: 'failed',
      message: sql`'导入中断（服务重启），已导入 ' || (${importJobs.imported} + ${importJobs.unchanged})::text || ' 行；请重新导入剩余数据'`,
      finishedAt: new Date(),
    })
    .where(inArray(importJobs.status, ['queued', 'running']))
    .returning({ id: importJobs.id });
  return stuck.length;
}

export async function loadImport(db: Db, actor: Actor, id: string) {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  if (!job || job.createdBy !== actor.userId) throw new AppError('NOT_FOUND');
  return job;
}

export async function errorReport(job: typeof importJobs.$inferSelect): Promise<Buffer> {
  const spec = specs.get(job.kind);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误行');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '原因', key: 'reason', width: 36 },
    ...(spec?.columns ?? []).map(([key, header]) => ({ header, key, width: 16 })),
    { header: '规则', key: 'rule', width: 18 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const e of job.errors)
    ws.addRow({ row: e.row, reason: e.reason, ...printable(e.values), rule: e.rule ?? '' });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A template: the columns, one example row, and a sheet explaining each column. */
export async function templateOf(
  spec: AnySpec,
  example: Record<string, string | number>,
  help: [string, string][],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.sheetName);
  ws.columns = spec.columns.map(([key, header]) => ({ header, key, width: Math.max(12, header.length * 3) }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(example);
  const sheet = wb.addWorksheet('填写说明');
  sheet.addRows([['字段', '说明'], ...help]);
  sheet.getColumn(2).width = 60;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
