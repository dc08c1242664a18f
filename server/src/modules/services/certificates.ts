import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { maskIdNumber } from '@civicgrid/core';
import type { CertificateCheck } from '@civicgrid/core/api/services';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { loadScoped } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import type { ItemRow } from './actions/effect.js';
import { type ApplicationRow, applicationsScope } from './policy.js';
import type { ServiceDeps } from './service.js';
import { applicationEvents, certificates, serviceItems } from './tables.js';

export interface CertificateDeps extends ServiceDeps {
  config: Pick<Config, 'indexKey'>;
}
type CertificateRow = typeof certificates.$inferSelect;

/** The signing key of certificate codes, derived from the index key: no key of its own to keep. */
function signingKey(config: Pick<Config, 'indexKey'>): Buffer {
  return createHmac('sha256', config.indexKey).update('certificate-code-v1').digest();
}

const sigLength = 20;
function signature(config: Pick<Config, 'indexKey'>, number: string): string {
  return createHmac('sha256', signingKey(config)).update(number).digest('hex').slice(0, sigLength);
}

/** The public code printed and put in the QR: the number and its signature. */
export function certificateCode(config: Pick<Config, 'indexKey'>, number: string): string {
  return `${number}-${signature(config, number)}`;
}

/**
 * The number a code names, when its signature holds. A forged or edited code fails here,
 * before any row is read: only the server's key makes a signature that matches.
 */
export function numberOfCode(config: Pick<Config, 'indexKey'>, code: string): string | null {
  const m = /^([A-Z0-9]{4,32})-([0-9a-f]{20})$/.exec(code);
  const number = m?.[1];
  const sig = m?.[2];
  if (number === undefined || sig === undefined) return null;
  const expected = Buffer.from(signature(config, number));
  const given = Buffer.from(sig);
  return timingSafeEqual(expected, given) ? number : null;
}

export const verifyPath = (code: string) => `/r/verify/${code}`;

/** A certificate number: ZM, the China-local date, six random digits (unique in the table). */
function certificateNumber(now: number): string {
  const digits = String(randomInt(1_000_000)).padStart(6, '0');
  return `ZM${localDay(now).replaceAll('-', '')}${digits}`;
}

/** The holder as the public page shows them: the family name, the rest starred. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** Called by the `issue` action in its transaction: an item that ends in a certificate gets one. */
export async function makeCertificate(
  tx: Db,
  actor: Actor,
  row: ApplicationRow,
  item: ItemRow,
  now: number,
): Promise<string | null> {
  if (!item.issuesCertificate) return null;
  // Six random digits a day can repeat: a number already taken is drawn again (the unique
  // index decides, not a check before the insert).
  for (let attempt = 0; attempt < 10; attempt++) {
    const number = certificateNumber(now);
    const [made] = await tx
      .insert(certificates)
      .values({
        number,
        applicationId: row.id,
        serviceName: item.name,
        issuerUnitId: row.handlingUnitId ?? row.orgUnitId,
        holderName: row.applicantName,
        issuedAt: new Date(now),
        issuedBy: actor.userId,
      })
      .onConflictDoNothing({ target: certificates.number })
      .returning({ number: certificates.number });
    if (made) return made.number;
  }
  throw new Error('no free certificate number after 10 draws');
}

async function unitName(db: Db, id: number): Promise<string> {
  const [u] = await db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, id));
  return u?.name ?? '';
}

function present(deps: CertificateDeps, c: CertificateRow) {
  const code = certificateCode(deps.config, c.number);
  return {
    id: c.id,
    number: c.number,
    code,
    verifyPath: verifyPath(code),
    service: c.serviceName,
    issuedAt: c.issuedAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedReason: c.revokedReason,
  };
}

/** The certificate of an application the actor sees (404 when it has none). */
async function certificateOf(
  deps: CertificateDeps,
  actor: Actor,
  applicationId: string,
  loaded?: ApplicationRow,
) {
  const row = loaded ?? (await loadScoped(deps.db, actor, applicationsScope, applicationId));
  const [c] = await deps.db.select().from(certificates).where(eq(certificates.applicationId, row.id));
  if (!c) throw new AppError('CERTIFICATE_NONE');
  return { row, c };
}

export async function certificateInfoOf(deps: CertificateDeps, actor: Actor, applicationId: string) {
  return present(deps, (await certificateOf(deps, actor, applicationId)).c);
}

/** The public check behind the QR code: valid or not, and no more than the masked holder. */
export async function checkCertificate(deps: CertificateDeps, code: string): Promise<CertificateCheck> {
  const number = numberOfCode(deps.config, code);
  if (number === null) return { valid: false };
  const [c] = await deps.db.select().from(certificates).where(eq(certificates.number, number));
  if (!c) return { valid: false };
  return {
    valid: c.revokedAt === null,
    service: c.serviceName,
    issuedAt: localDay(c.issuedAt.getTime()),
    issuer: await unitName(deps.db, c.issuerUnitId),
    holder: maskName(c.holderName),
    revokedAt: c.revokedAt?.toISOString() ?? null,
  };
}

/**
 * 作废: the certificate stops being valid, with its reason, in the application's trail and
 * the audit trail. The back office that sees the application does it.
 */
export async function revokeCertificate(
  deps: CertificateDeps,
  actor: Actor,
  id: string,
  reason: string,
  meta: RequestMeta,
) {
  const { db } = deps;
  const [found] = await db.select().from(certificates).where(eq(certificates.id, id));
  if (!found) throw new AppError('NOT_FOUND');
  const revoked = await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, applicationsScope, found.applicationId, { forUpdate: true });
    const [c] = await tx.select().from(certificates).where(eq(certificates.id, id)).for('update');
    const current = c as CertificateRow;
    if (current.revokedAt !== null)
      throw fieldError('id', 'revoked', 'CERTIFICATE_REVOKED_ALREADY', {
        revokedAt: localDay(current.revokedAt.getTime()),
      });
    const now = new Date();
    const [updated] = await tx
      .update(certificates)
      .set({ revokedAt: now, revokedBy: actor.userId, revokedReason: reason })
      .where(eq(certificates.id, id))
      .returning();
    await tx.insert(applicationEvents).values({
      applicationId: row.id,
      action: 'revokeCertificate',
      fromState: row.status,
      toState: row.status,
      actorId: actor.userId,
      note: reason,
      data: { number: current.number },
      at: now,
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'certificate.revoked',
      targetType: 'certificate',
      targetId: id,
      payload: { number: current.number, applicationId: row.id },
    });
    return updated as CertificateRow;
  });
  return present(deps, revoked);
}

const blue = '#1f4e9a';

/**
 * The certificate as PDF: the item's name as title, the holder (ID number masked), what it
 * certifies (the form's answers and the result), the issuing unit and date, and the QR code
 * of the public check. No seal picture is drawn: the seal area says the document is
 * electronic and where to check it.
 */
export async function certificatePdf(
  deps: CertificateDeps,
  actor: Actor,
  applicationId: string,
  origin: string,
  /** The application already loaded by its owner's own rule (the resident's 我的办件). */
  loaded?: ApplicationRow,
): Promise<{ pdf: Buffer; number: string }> {
  const { row, c } = await certificateOf(deps, actor, applicationId, loaded);
  const code = certificateCode(deps.config, c.number);
  const url = `${origin}${verifyPath(code)}`;
  const qr = await QRCode.toBuffer(url, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const issuer = await unitName(deps.db, c.issuerUnitId);
  const [item] = await deps.db.select().from(serviceItems).where(eq(serviceItems.id, row.serviceItemId));
  if (!item) throw new AppError('NOT_FOUND');
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 70, right: 70 },
    info: { Title: c.serviceName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.font('bold').fontSize(22).fillColor(blue).text(c.serviceName, { align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(10).fillColor('#444').text(`编号：${c.number}`, { align: 'center' });
  doc.moveDown(1.2);
  const lines: [string, string][] = [
    ['持证人', row.applicantName],
    ['身份证号', maskIdNumber(`${'*'.repeat(14)}${row.applicantIdTail}`)],
    ['证明事项', c.serviceName],
    ['办件编号', row.code],
    // The form's answers under their labels (证明用途 and the like), in the item's order.
    ...item.formFields
      .filter((field) => row.form[field.key] !== undefined && row.form[field.key] !== '')
      .map((field): [string, string] => [field.label, String(row.form[field.key])]),
  ];
  if (row.result) lines.push(['证明内容', row.result]);
  lines.push(['出具单位', issuer], ['出具日期', localDay(c.issuedAt.getTime())]);
  for (const [label, value] of lines) {
    doc.font('bold').fontSize(12).fillColor('black').text(`${label}：`, { continued: true });
    doc.font('regular').text(value);
    doc.moveDown(0.4);
  }
  if (c.revokedAt) {
    doc.moveDown(0.5);
    doc
      .font('bold')
      .fontSize(14)
      .fillColor('#b3261e')
      .text(`本证明已于 ${localDay(c.revokedAt.getTime())} 作废`);
  }
  doc.moveDown(1.5);
  const top = doc.y;
  doc.image(qr, doc.page.margins.left, top, { width: 110 });
  doc
    .font('bold')
    .fontSize(11)
    .fillColor(blue)
    .text('电子证明 · 核验说明', doc.page.margins.left + 130, top);
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fontSize(10)
    .fillColor('#333')
    .text('本证明为电子文书，不加盖实物印章。请扫描左侧二维码或访问以下地址核验真伪与是否作废：', {
      width: 300,
    });
  doc.moveDown(0.3);
  doc.text(url, { width: 300 });
  doc.moveDown(0.3);
  doc.text(`核验码：${code}`, { width: 300 });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), number: c.number };
}
