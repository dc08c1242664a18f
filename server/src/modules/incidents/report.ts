import { incidentLevelNames, incidentTypeNames, logKindNames } from '@civicgrid/core/api/incidents';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { closedIncident } from './service.js';

const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * 突发事件处置总结报告: what happened, who was told and how soon they answered, the command
 * log, the tasks and whether each was done in time, and the summary written at closure.
 */
export async function incidentReportPdf(db: Db, actor: Actor, id: string) {
  const d = await closedIncident(db, actor, id);
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 60, right: 60 },
    info: { Title: '突发事件处置总结报告' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.font('bold').fontSize(20).fillColor('#9a1f1f').text('突发事件处置总结报告', { align: 'center' });
  doc.moveDown(0.8);
  const line = (label: string, value: string) => {
    doc.font('bold').fontSize(11).fillColor('black').text(`${label}：`, { continued: true });
    doc.font('regular').text(value);
  };
  line('事件编号', d.code);
  line('事件类型', `${incidentTypeNames[d.type]}  ${incidentLevelNames[d.level]}`);
  line('报告单位', d.orgUnitName ?? '');
  line('报告时间', chinaTime(d.reportedAt));
  line('结束时间', d.closedAt ? chinaTime(d.closedAt) : '');
  line('事件概况', d.description);
  const heading = (t: string) => {
    doc.moveDown(0.6);
    doc.font('bold').fontSize(13).text(t);
    doc.moveDown(0.2);
  };
  heading('一、值班通知与响应');
  for (const n of d.notifications)
    doc
      .font('regular')
      .fontSize(10.5)
      .text(
        `${n.name}（${{ onCall: '值班员', leader: '带班领导', upperLeader: '上级带班领导' }[n.as]}，${n.unitName ?? ''}）` +
          `通知 ${chinaTime(n.at)}，${n.secondsToAcknowledge === null ? '未确认' : `${Math.ceil(n.secondsToAcknowledge / 60)} 分钟内确认`}`,
      );
  heading('二、指挥日志');
  for (const l of d.logs)
    doc
      .font('regular')
      .fontSize(10.5)
      .text(`${chinaTime(l.at)} [${logKindNames[l.kind]}] ${l.actorName ?? ''}：${l.text}`);
  heading('三、任务交办');
  for (const t of d.tasks)
    doc
      .font('regular')
      .fontSize(10.5)
      .text(
        `${t.departmentName}：${t.title}（期限 ${chinaTime(t.dueAt)}，${t.doneAt ? `${chinaTime(t.doneAt)} 完成` : '未完成'}）`,
      );
  heading('四、处置总结');
  doc
    .font('regular')
    .fontSize(11)
    .text(d.summary ?? '', { indent: 22, lineGap: 3 });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), code: d.code };
}
