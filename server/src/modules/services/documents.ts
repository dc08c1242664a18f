import { maskIdNumber } from '@civicgrid/core';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { eq, inArray } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { loadScoped } from '../../platform/scope.js';
import { departments, orgUnits } from '../org/tables.js';
import { applicationsScope } from './policy.js';
import type { ServiceDeps } from './service.js';
import { serviceItems } from './tables.js';

export type ApplicationDocument = 'receipt' | 'notice';
export const documentNames: Record<ApplicationDocument, string> = {
  receipt: '受理回执',
  notice: '一次性告知书',
};

const blue = '#1f4e9a';
const chinaTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Renders lines to an A4 PDF with the Chinese font embedded. */
async function render(
  title: string,
  lines: [label: string, value: string][],
  list: string[],
  footer: string[],
) {
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 60, right: 60 },
    info: { Title: title },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.font('bold').fontSize(20).fillColor(blue).text(title, { align: 'center' });
  doc.moveDown(1);
  for (const [label, value] of lines) {
    doc.font('bold').fontSize(11).fillColor('black').text(`${label}：`, { continued: true });
    doc.font('regular').text(value);
    doc.moveDown(0.3);
  }
  if (list.length) {
    doc.moveDown(0.5);
    list.forEach((item, i) => {
      doc
        .font('regular')
        .fontSize(11)
        .text(`${i + 1}. ${item}`, { indent: 12 });
      doc.moveDown(0.2);
    });
  }
  doc.moveDown(1);
  for (const line of footer) doc.font('regular').fontSize(9.5).fillColor('#444').text(line);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * 受理回执 (an accepted application: its number, the promised date and who handles it) or
 * 一次性告知书 (one waiting for material: every missing material at once, so the applicant
 * comes back once). The ID number is masked on both: the paper leaves the office.
 */
export async function applicationDocument(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  kind: ApplicationDocument,
): Promise<{ pdf: Buffer; code: string }> {
  const { db } = deps;
  const row = await loadScoped(db, actor, applicationsScope, id);
  if (kind === 'receipt' ? row.acceptedAt === null : row.missing.length === 0)
    throw new AppError('APPLICATION_INVALID_STATE');
  const [item] = await db.select().from(serviceItems).where(eq(serviceItems.id, row.serviceItemId));
  const unitIds = [row.orgUnitId, row.handlingUnitId].filter((x): x is number => x !== null);
  const units = new Map(
    (
      await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, unitIds))
    ).map((u) => [u.id, u.name]),
  );
  const [dept] =
    row.departmentId === null
      ? []
      : await db
          .select({ name: departments.name })
          .from(departments)
          .where(eq(departments.id, row.departmentId));
  const window = units.get(row.orgUnitId) ?? '';
  const handler = dept?.name ?? units.get(row.handlingUnitId ?? row.orgUnitId) ?? window;
  const head: [string, string][] = [
    ['办件编号', row.code],
    ['办理事项', item?.name ?? row.serviceCode],
    ['申请人', row.applicantName],
    ['身份证号', maskIdNumber(`${'*'.repeat(14)}${row.applicantIdTail}`)],
    ['受理窗口', window],
  ];
  if (kind === 'receipt') {
    const pending = row.materials.filter((m) => !m.provided && m.promisedDate);
    const pdf = await render(
      documentNames.receipt,
      [
        ...head,
        ['受理时间', chinaTime(row.acceptedAt as Date)],
        ['承诺办结日期', row.dueAt ? localDay(row.dueAt.getTime()) : '—'],
        ['办理单位', handler],
      ],
      pending.map((m) => `容缺材料：${m.name}，承诺于 ${m.promisedDate} 前补交`),
      ['凭本回执查询办理进度、领取结果。', '本回执为电子文书，可在平台以办件编号核验。'],
    );
    return { pdf, code: row.code };
  }
  const byName = new Map((item?.materials ?? []).map((m) => [m.name, m]));
  const forms = { original: '原件', copy: '复印件', originalAndCopy: '原件及复印件' } as const;
  const pdf = await render(
    documentNames.notice,
    [...head, ['告知日期', localDay(Date.now())]],
    row.missing.map((name) => {
      const m = byName.get(name);
      return m ? `${name}（${forms[m.form]} ${m.copies} 份）${m.note ? `：${m.note}` : ''}` : name;
    }),
    [
      '以上为需补正的全部材料，请一次性备齐后到受理窗口补交。',
      '补正期间办理时限暂停计算，材料补齐之日起继续计算。',
    ],
  );
  return { pdf, code: row.code };
}
