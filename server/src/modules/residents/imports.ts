import { maskIdNumber, maskPhone, parseIdNumber } from '@civicgrid/core';
import { residenceTypeNames, residenceTypes } from '@civicgrid/core/api/residents';
import { and, eq, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { pathInScope } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import type { ResidentDeps } from './service.js';
import { importJobs, residents } from './tables.js';

/** The template's columns, in order; the header row names them in Chinese. */
export const residentColumns = [
  ['name', '姓名'],
  ['idNumber', '身份证号'],
  ['phone', '手机号'],
  ['gridCode', '网格编码'],
  ['residenceType', '居住类型'],
  ['relationToHead', '与户主关系'],
  ['tags', '标签'],
  ['notes', '备注'],
] as const;
type Field = (typeof residentColumns)[number][0];
type RawRow = Record<Field, string>;

export const maxImportBytes = 50 * 1024 * 1024;
const batchSize = 1000;

export async function residentTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实有人口');
  ws.columns = residentColumns.map(([key, header]) => ({ header, key, width: key === 'idNumber' ? 22 : 14 }));
  ws.getRow(1).font = { bold: true };
  ws.addRow({
    name: '王秀英',
    idNumber: '150203194503120241',
    phone: '13912345678',
    gridCode: '150203001001001',
    residenceType: '户籍人口',
    relationToHead: '户主',
    tags: '独居老人,高龄老人',
    notes: '示例行，导入前请删除',
  });
  const help = wb.addWorksheet('填写说明');
  help.addRows([
    ['字段', '说明'],
    ['姓名', '必填'],
    ['身份证号', '必填，18位，校验位须正确；出生日期、性别、籍贯由身份证号自动得出'],
    ['手机号', '选填，11位手机号'],
    ['网格编码', '必填，15位网格编码，须在您的辖区内'],
    ['居住类型', `选填：${residenceTypes.map((t) => residenceTypeNames[t]).join('、')}，默认户籍人口`],
    ['标签', '选填，多个用逗号分隔'],
    ['重复导入', '按身份证号更新，同一文件导入两次不会产生重复'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A spreadsheet is a ZIP (xlsx); anything else must be UTF-8 text to be read as CSV. */
function kindOf(buf: Buffer): 'xlsx' | 'csv' | null {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04)
    return 'xlsx';
  const head = buf.subarray(0, Math.min(buf.length, 4096));
  if (head.includes(0)) return null;
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
function parseCsv(text: string): string[][] {
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

async function readRows(buf: Buffer): Promise<string[][]> {
  const kind = kindOf(buf);
  if (!kind) throw fieldError('file', 'spreadsheet', '文件不是 Excel（.xlsx）或 CSV 表格');
  if (kind === 'csv') return parseCsv(buf.toString('utf8'));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw fieldError('file', 'spreadsheet', 'Excel 文件已损坏或不是 .xlsx 格式');
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (r) => {
    const values = (r.values as unknown[]).slice(1);
    out.push(
      values.map((v) =>
        v === null || v === undefined
          ? ''
          : typeof v === 'object' && v && 'text' in v
            ? String((v as { text: unknown }).text)
            : String(v),
      ),
    );
  });
  return out;
}

/** Accepts the upload and starts the import in the background; returns the job id at once. */
export async function startResidentImport(
  deps: ResidentDeps,
  actor: Actor,
  file: { name: string; data: Buffer },
  meta: RequestMeta,
): Promise<string> {
  const table = await readRows(file.data);
  const header = (table[0] ?? []).map((h) => h.trim());
  const index = new Map(residentColumns.map(([key, label]) => [key, header.indexOf(label)]));
  const missing = residentColumns.filter(
    ([key]) => ['name', 'idNumber', 'gridCode'].includes(key) && (index.get(key) ?? -1) < 0,
  );
  if (missing.length)
    throw fieldError('file', 'columns', `缺少列：${missing.map(([, l]) => l).join('、')}（请使用导入模板）`);
  const rows: { line: number; raw: RawRow }[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const raw = Object.fromEntries(
      residentColumns.map(([key]) => [key, (cells[index.get(key) ?? -1] ?? '').trim()]),
    ) as RawRow;
    rows.push({ line: i + 2, raw });
  });
  const [job] = await deps.db
    .insert(importJobs)
    .values({
      kind: 'residents',
      status: 'queued',
      fileName: file.name.slice(0, 200),
      total: rows.length,
      createdBy: actor.userId,
    })
    .returning({ id: importJobs.id });
  const id = (job as { id: string }).id;
  setImmediate(() => {
    runResidentImport(deps, actor, id, rows, meta).catch(async (e) => {
      await deps.db
        .update(importJobs)
        .set({
          status: 'failed',
          message: e instanceof Error ? e.message.slice(0, 500) : String(e),
          finishedAt: new Date(),
        })
        .where(eq(importJobs.id, id));
    });
  });
  return id;
}

const typeByName = new Map<string, string>([
  ...residenceTypes.map((t) => [t, t] as [string, string]),
  ...residenceTypes.map((t) => [residenceTypeNames[t], t] as [string, string]),
]);

/**
 * Every row is checked; good rows are upserted by the ID number's blind index in batches of
 * 1,000, each batch in its own transaction with its audit row — a failure rolls back that
 * batch only and ends the job as failed with what was committed. A row that changes nothing
 * writes nothing, so importing the same file twice leaves the data as it was.
 */
async function runResidentImport(
  deps: ResidentDeps,
  actor: Actor,
  jobId: string,
  rows: { line: number; raw: RawRow }[],
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  await db.update(importJobs).set({ status: 'running' }).where(eq(importJobs.id, jobId));
  const grids = await db
    .select({ id: orgUnits.id, code: orgUnits.code, path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)));
  const gridByCode = new Map(grids.map((g) => [g.code, g]));
  const errors: { row: number; reason: string; values: Record<string, string> }[] = [];
  const seen = new Map<string, number>();
  const good: (typeof residents.$inferInsert)[] = [];
  for (const { line, raw } of rows) {
    // The report keeps no personal numbers in clear: the importer has the file itself.
    const fail = (reason: string) =>
      errors.push({
        row: line,
        reason,
        values: {
          ...raw,
          idNumber: raw.idNumber ? maskIdNumber(raw.idNumber) : '',
          phone: raw.phone ? maskPhone(raw.phone) : '',
        },
      });
    if (!raw.name) {
      fail('姓名为空');
      continue;
    }
    if (raw.name.length > 40) {
      fail('姓名超过40个字');
      continue;
    }
    const id = parseIdNumber(raw.idNumber);
    if (!raw.idNumber) {
      fail('身份证号为空');
      continue;
    }
    if (!id.ok) {
      fail(
        id.problem === 'checkDigit'
          ? '身份证号校验位不正确'
          : id.problem === 'birthDate'
            ? '身份证号中的出生日期不存在'
            : '身份证号格式不正确',
      );
      continue;
    }
    const earlier = seen.get(id.normalized);
    if (earlier !== undefined) {
      fail(`与第 ${earlier} 行身份证号重复`);
      continue;
    }
    if (raw.phone && !/^1[3-9]\d{9}$/.test(raw.phone)) {
      fail('手机号格式不正确');
      continue;
    }
    const grid = gridByCode.get(raw.gridCode);
    if (!grid) {
      fail(raw.gridCode ? `网格编码 ${raw.gridCode} 不存在` : '网格编码为空');
      continue;
    }
    if (!pathInScope(actor, grid.path)) {
      fail(`网格 ${raw.gridCode} 不在您的辖区`);
      continue;
    }
    const residenceType = raw.residenceType ? typeByName.get(raw.residenceType) : 'registered';
    if (!residenceType) {
      fail(`居住类型“${raw.residenceType}”无法识别`);
      continue;
    }
    seen.set(id.normalized, line);
    good.push({
      name: raw.name,
      idNumberEnc: crypto.encrypt(id.normalized),
      idNumberIdx: crypto.blindIndex(id.normalized),
      idNumberTail: id.normalized.slice(-4),
      phoneEnc: raw.phone ? crypto.encrypt(raw.phone) : null,
      phoneIdx: raw.phone ? crypto.blindIndex(raw.phone) : null,
      sex: id.value.sex,
      birthDate: id.value.birthDate,
      birthplaceCode: id.value.regionCode,
      residenceType,
      gridId: grid.id,
      orgPath: grid.path,
      relationToHead: raw.relationToHead || null,
      tags: raw.tags
        ? raw.tags
            .split(/[,，、;；]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      notes: raw.notes || null,
    });
  }
  await db.update(importJobs).set({ failed: errors.length, errors }).where(eq(importJobs.id, jobId));
  let imported = 0;
  let unchanged = 0;
  for (let i = 0; i < good.length; i += batchSize) {
    const batch = good.slice(i, i + batchSize);
    const written = await db.transaction(async (tx) => {
      const r = await tx
        .insert(residents)
        .values(batch)
        .onConflictDoUpdate({
          target: residents.idNumberIdx,
          set: {
            name: sql`excluded.name`,
            phoneEnc: sql`case when residents.phone_idx is not distinct from excluded.phone_idx then residents.phone_enc else excluded.phone_enc end`,
            phoneIdx: sql`excluded.phone_idx`,
            residenceType: sql`excluded.residence_type`,
            gridId: sql`excluded.grid_id`,
            orgPath: sql`excluded.org_path`,
            relationToHead: sql`excluded.relation_to_head`,
            tags: sql`excluded.tags`,
            notes: sql`excluded.notes`,
            updatedAt: sql`now()`,
          },
          // Only rows that differ are written: a second import of the same file is a no-op.
          setWhere: sql`(residents.name, residents.phone_idx, residents.residence_type, residents.grid_id,
            residents.relation_to_head, residents.tags, residents.notes)
            is distinct from (excluded.name, excluded.phone_idx, excluded.residence_type, excluded.grid_id,
            excluded.relation_to_head, excluded.tags, excluded.notes)`,
        })
        .returning({ id: residents.id });
      await appendAudit(tx, auditActorOf(actor, meta), {
        action: 'resident.imported',
        targetType: 'importJob',
        targetId: jobId,
        payload: { rows: batch.length, written: r.length },
      });
      await tx
        .update(importJobs)
        .set({
          imported: sql`${importJobs.imported} + ${r.length}`,
          unchanged: sql`${importJobs.unchanged} + ${batch.length - r.length}`,
        })
        .where(eq(importJobs.id, jobId));
      return r.length;
    });
    imported += written;
    unchanged += batch.length - written;
  }
  await db
    .update(importJobs)
    .set({ status: 'done', imported, unchanged, finishedAt: new Date() })
    .where(eq(importJobs.id, jobId));
}

export async function loadImport(db: Db, actor: Actor, id: string) {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  if (!job || job.createdBy !== actor.userId) throw new AppError('NOT_FOUND');
  return job;
}

export async function errorReport(job: typeof importJobs.$inferSelect): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误行');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '原因', key: 'reason', width: 36 },
    ...residentColumns.map(([key, header]) => ({ header, key, width: 16 })),
  ];
  ws.getRow(1).font = { bold: true };
  for (const e of job.errors) ws.addRow({ row: e.row, reason: e.reason, ...e.values });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
