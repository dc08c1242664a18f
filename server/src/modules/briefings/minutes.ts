import PDFDocument from 'pdfkit';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { briefingDetail } from './service.js';

const kindNames = { dispute: '矛盾纠纷', grievance: '信访事项', case: '事件', hotspot: '热点' } as const;

/**
 * 会商研判纪要: who met, what was on the agenda, the minutes, and each decision with its owner
 * and deadline. One embedded font (headings by size): a PDF mixing two subset fonts of the
 * same script maps glyphs ambiguously for text extraction (copy, screen readers, our tests).
 */
export async function minutesPdf(db: Db, actor: Actor, id: string) {
  const b = await briefingDetail(db, actor, id);
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 60, right: 60 },
    info: { Title: '会商研判纪要' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.font('regular').fontSize(20).fillColor('#1f4e9a').text('会商研判纪要', { align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(12).fillColor('black').text(b.title, { align: 'center' });
  doc.moveDown(0.8);
  const line = (label: string, value: string) => {
    doc.font('regular').fontSize(11).text(`${label}：`, { continued: true });
    doc.font('regular').text(value);
  };
  line('会商单位', b.orgUnitName ?? '');
  line('会商日期', b.heldOn);
  line('参会人员', b.attendees);
  const heading = (t: string) => {
    doc.moveDown(0.6);
    doc.font('regular').fontSize(13).text(t);
    doc.moveDown(0.2);
  };
  heading('一、研判议题');
  for (const [i, a] of b.agenda.entries())
    doc
      .font('regular')
      .fontSize(10.5)
      .text(`${i + 1}. [${kindNames[a.kind]}] ${a.title}——${a.reason}`);
  if (!b.agenda.length) doc.font('regular').fontSize(10.5).text('（无）');
  heading('二、会议纪要');
  doc
    .font('regular')
    .fontSize(11)
    .text(b.minutes || '（无）', { indent: 22, lineGap: 3 });
  heading('三、决定事项（督办）');
  for (const [i, t] of b.tasks.entries())
    doc
      .font('regular')
      .fontSize(11)
      .text(`${i + 1}. ${t.text}（责任：${t.ownerName ?? t.departmentName ?? ''}，期限：${t.dueOn}）`);
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), title: b.title, heldOn: b.heldOn };
}
