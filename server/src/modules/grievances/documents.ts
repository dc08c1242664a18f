import { grievanceChannelNames } from '@civicgrid/core/grievances/stateMachine';
import { eq, inArray } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { departments, orgUnits } from '../org/tables.js';
import { type GrievanceDeps, grievanceForDocument } from './service.js';

const blue = '#1f4e9a';
const cn = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};

/**
 * 信访事项处理意见书: the written answer the 条例 requires within 60 days — the matter, the
 * facts, the opinion, and the person's right to ask for review within 30 days of receiving
 * it. The person's ID number is not printed: the answer is addressed by name and number.
 */
export async function answerPdf(
  deps: GrievanceDeps,
  actor: Actor,
  id: string,
  meta: RequestMeta,
): Promise<{ pdf: Buffer; code: string }> {
  const row = await grievanceForDocument(deps, actor, id, meta);
  const unitIds = [row.orgUnitId, row.handlingUnitId].filter((x): x is number => x !== null);
  const units = new Map(
    (
      await deps.db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, unitIds))
    ).map((u) => [u.id, u.name]),
  );
  const [dept] =
    row.departmentId === null
      ? []
      : await deps.db
          .select({ name: departments.name })
          .from(departments)
          .where(eq(departments.id, row.departmentId));
  const handler = dept?.name ?? units.get(row.handlingUnitId ?? row.orgUnitId) ?? '';
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 64, right: 64 },
    info: { Title: '信访事项处理意见书' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.font('bold').fontSize(20).fillColor(blue).text('信访事项处理意见书', { align: 'center' });
  doc.moveDown(0.4);
  doc.font('regular').fontSize(10.5).fillColor('#444').text(`编号：${row.code}`, { align: 'center' });
  doc.moveDown(1.2);
  doc.font('regular').fontSize(12).fillColor('black').text(`${row.personName}：`);
  doc.moveDown(0.5);
  const para = (text: string) => {
    doc.font('regular').fontSize(12).text(text, { indent: 24, lineGap: 4 });
    doc.moveDown(0.5);
  };
  para(
    `您于${cn(row.receivedOn)}以${grievanceChannelNames[row.channel]}方式反映的“${row.subject}”一事，` +
      `本机关已于${cn(row.acknowledgedOn ?? row.receivedOn)}受理，由${handler}办理。现将处理意见答复如下：`,
  );
  doc.font('bold').fontSize(12).text('一、反映的主要问题');
  doc.moveDown(0.3);
  para(row.content);
  doc.font('bold').fontSize(12).text('二、处理意见');
  doc.moveDown(0.3);
  para(row.opinion ?? '');
  if (row.extensionDays !== null)
    para(
      `因情况复杂，本事项办理期限经批准延长 ${row.extensionDays} 日，延期理由已告知您：${row.extensionReason ?? ''}`,
    );
  para(
    `如对本处理意见不服，可自收到本意见书之日起 30 日内，向本机关的上一级机关请求复查（《信访工作条例》）。` +
      `复查请求截止日期：${row.reviewRequestBy ? cn(row.reviewRequestBy) : '—'}。`,
  );
  doc.moveDown(2);
  doc.font('regular').fontSize(12).text(handler, { align: 'right' });
  doc.text(cn(row.answeredOn as string), { align: 'right' });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), code: row.code };
}
