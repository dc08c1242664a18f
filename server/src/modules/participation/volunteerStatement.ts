import { hoursOf } from '@civicgrid/core/participation/volunteers';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { loadScoped } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { volunteersScope } from './policy.js';
import { volunteerActivities, volunteerAttendances } from './tables.js';

const chinaDay = (d: Date) => {
  const x = new Date(d.getTime() + 8 * 3_600_000);
  return `${x.getUTCFullYear()} 年 ${x.getUTCMonth() + 1} 月 ${x.getUTCDate()} 日`;
};
const shortDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 志愿服务时长证明: the volunteer's credited service — each checked-out attendance with its
 * activity, place and minutes, and the total in hours — for the volunteer himself or the staff
 * of his area (the volunteers' scope; anyone else 404). No phone or ID number is printed; the
 * community stamps the printed copy.
 */
export async function volunteerStatementPdf(db: Db, actor: Actor, id: string) {
  const v = await loadScoped(db, actor, volunteersScope, id);
  const rows = await db
    .select({
      title: volunteerActivities.title,
      place: volunteerActivities.placeName,
      at: volunteerAttendances.checkedInAt,
      minutes: volunteerAttendances.minutes,
    })
    .from(volunteerAttendances)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, volunteerAttendances.activityId))
    .where(and(eq(volunteerAttendances.volunteerId, v.id), isNotNull(volunteerAttendances.minutes)))
    .orderBy(asc(volunteerAttendances.checkedInAt), asc(volunteerAttendances.id));
  const [unit] = await db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, v.orgUnitId));
  const unitName = unit?.name ?? '';
  const minutes = rows.reduce((s, r) => s + (r.minutes ?? 0), 0);
  const hours = hoursOf(minutes);

  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 64, right: 64 },
    info: { Title: '志愿服务时长证明' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.font('bold').fontSize(20).text('志愿服务时长证明', { align: 'center' });
  doc.moveDown(1);
  const first = rows[0];
  const last = rows.at(-1);
  doc
    .font('regular')
    .fontSize(12)
    .text(
      first && last
        ? `兹证明 ${v.name} 同志于 ${chinaDay(first.at)} 至 ${chinaDay(last.at)} 期间，在${unitName}参加志愿服务 ${rows.length} 次，累计服务时长 ${hours} 小时。`
        : `兹证明 ${v.name} 同志已在${unitName}登记为志愿者，截至 ${chinaDay(new Date())} 尚无记录的服务时长。`,
      { lineGap: 4 },
    );
  if (rows.length) {
    doc.moveDown(0.8);
    doc.font('bold').fontSize(12).text('服务记录');
    doc.moveDown(0.3);
    const cols = [64, 150, 360, 470];
    const header = ['日期', '活动', '地点', '时长（分钟）'];
    const line = (cells: string[], font: 'regular' | 'bold') => {
      const y = doc.y;
      doc.font(font).fontSize(10);
      cells.forEach((c, i) => {
        doc.text(c, cols[i] as number, y, { width: (cols[i + 1] ?? 531) - (cols[i] as number) - 8 });
      });
      doc.x = 64;
      doc.moveDown(0.4);
    };
    line(header, 'bold');
    for (const r of rows) line([shortDay(r.at), r.title, r.place, String(r.minutes ?? 0)], 'regular');
    line(['合计', '', '', `${minutes}（${hours} 小时）`], 'bold');
  }
  doc.moveDown(2);
  doc.font('regular').fontSize(12).text(`${unitName}（盖章）`, { align: 'right' });
  doc.text(chinaDay(new Date()), { align: 'right' });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), name: v.name, hours };
}
