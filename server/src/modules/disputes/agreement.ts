import { maskIdNumber, maskPhone } from '@civicgrid/core';
import { disputeTypeNames } from '@civicgrid/core/api/disputes';
import { eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { loadScoped } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { disputesScope } from './policy.js';
import type { DisputeDeps } from './service.js';
import { disputeParties, mediationCommittees, mediators } from './tables.js';

const chinaDate = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.getUTCFullYear()} 年 ${d.getUTCMonth() + 1} 月 ${d.getUTCDate()} 日`;
};
const dayText = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y} 年 ${m} 月 ${d} 日`;
};

/**
 * 人民调解协议书 in the form of the 人民调解法 (art. 29) and the Ministry of Justice's
 * template: the parties, the facts and the dispute, the agreed terms, how and by when they
 * are performed, the mediator, the date and signature lines. ID numbers and phones are masked
 * (the paper leaves the office; the file keeps them). No seal is drawn: the committee stamps
 * the printed copy.
 */
export async function agreementPdf(deps: DisputeDeps, actor: Actor, id: string) {
  const { db, crypto } = deps;
  const row = await loadScoped(db, actor, disputesScope, id);
  if (!row.agreement || row.agreement.oral) throw new AppError('DISPUTE_NO_AGREEMENT');
  const agreement = row.agreement;
  const parties = (await db.select().from(disputeParties).where(eq(disputeParties.disputeId, row.id))).sort(
    (a, b) => a.position - b.position,
  );
  const [committee] = row.committeeId
    ? await db.select().from(mediationCommittees).where(eq(mediationCommittees.id, row.committeeId))
    : [];
  const [mediator] = row.mediatorId
    ? await db.select().from(mediators).where(eq(mediators.id, row.mediatorId))
    : [];
  const [unit] = await db
    .select({ name: orgUnits.name })
    .from(orgUnits)
    .where(eq(orgUnits.id, row.orgUnitId));
  const bodyName = committee?.name ?? `${unit?.name ?? ''}人民调解委员会`;

  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 64, right: 64 },
    info: { Title: '人民调解协议书' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  const heading = (text: string) => {
    doc.moveDown(0.6);
    doc.font('bold').fontSize(12).text(text);
    doc.moveDown(0.2);
  };
  const para = (text: string) => doc.font('regular').fontSize(11).text(text, { lineGap: 3 });

  doc.font('bold').fontSize(20).text('人民调解协议书', { align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(10).text(`编号：${row.code}`, { align: 'right' });

  heading('当事人');
  const roleName = { applicant: '申请人', respondent: '被申请人' } as const;
  for (const p of parties) {
    const id = p.idEnc ? crypto.decrypt(p.idEnc) : null;
    const idLabel = p.kind === 'organization' ? '统一社会信用代码' : '身份证号';
    const bits = [`${roleName[p.role]}：${p.name}`];
    if (id) bits.push(`${idLabel}：${p.kind === 'organization' ? id : maskIdNumber(id)}`);
    if (p.phoneEnc) bits.push(`联系电话：${maskPhone(crypto.decrypt(p.phoneEnc))}`);
    para(bits.join('    '));
  }

  heading('纠纷主要事实、争议事项');
  para(`纠纷类型：${disputeTypeNames[row.type]}`);
  para(row.description);

  heading('经调解，当事人自愿达成如下协议');
  agreement.terms.forEach((t, i) => {
    para(`${i + 1}. ${t}`);
  });

  heading('履行协议的方式、地点、期限');
  para(
    `${agreement.performance ? `${agreement.performance}；` : ''}于 ${dayText(agreement.performBy)} 前履行完毕。`,
  );

  doc.moveDown(0.6);
  para(
    '本协议经双方当事人签名、人民调解员签名并加盖人民调解委员会印章后生效，具有法律约束力，当事人应当按照约定履行。' +
      '本协议一式三份，双方当事人和人民调解委员会各持一份。',
  );

  doc.moveDown(1.2);
  const applicants = parties.filter((p) => p.role === 'applicant').map((p) => p.name);
  const respondents = parties.filter((p) => p.role === 'respondent').map((p) => p.name);
  doc.font('regular').fontSize(11);
  doc.text(`申请人（签名）：______________    （${applicants.join('、')}）`);
  doc.moveDown(0.8);
  doc.text(`被申请人（签名）：______________    （${respondents.join('、')}）`);
  doc.moveDown(0.8);
  doc.text(`人民调解员（签名）：______________${mediator ? `    （${mediator.name}）` : ''}`);
  doc.moveDown(0.8);
  doc.text(`调解组织：${bodyName}（盖章处）`);
  doc.moveDown(0.8);
  doc.text(`日期：${chinaDate(agreement.at)}`);
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), code: row.code };
}
