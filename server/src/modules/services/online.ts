import type {
  MyApplication,
  MyApplicationStep,
  myApplicationQuery,
  myRatingInput,
  OnlineApplicationInput,
  publicServiceQuery,
} from '@civicgrid/core/api/online';
import type { ServiceItem } from '@civicgrid/core/api/services';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import type { ApplicationAction, ApplicationState } from '@civicgrid/core/services/stateMachine';
import { and, asc, count, desc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { notifyUsers } from '../cases/notifications.js';
import { orgUnits } from '../org/tables.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';
import { currentItem, listServices } from './catalogue.js';
import { checkForm } from './form.js';
import { assertOwnFiles, checkMaterials, stillMissing } from './materials.js';
import type { ApplicationRow } from './policy.js';
import { rateApplication } from './ratings.js';
import { applicationEvents, applicationRatings, applications, certificates, serviceItems } from './tables.js';

export interface OnlineDeps {
  db: Db;
  crypto: FieldCrypto;
}

// ——— the service guide (办事指南), public

/** The current catalogue, searched by words of the name (or code) and by category. */
export async function searchGuide(db: Db, q: z.infer<typeof publicServiceQuery>): Promise<ServiceItem[]> {
  const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return (await listServices(db)).filter(
    (s) =>
      (!q.category || s.category === q.category) &&
      words.every((w) => s.name.toLowerCase().includes(w) || s.code.toLowerCase().includes(w)),
  );
}

/** The communities (with their street) whose windows take online applications in. */
export async function publicCommunities(db: Db) {
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name, parentId: orgUnits.parentId, level: orgUnits.level })
    .from(orgUnits)
    .where(and(inArray(orgUnits.level, ['street', 'community']), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.path));
  const streets = new Map(rows.filter((r) => r.level === 'street').map((r) => [r.id, r.name]));
  return {
    items: rows
      .filter((r) => r.level === 'community')
      .map((r) => ({ id: r.id, name: r.name, streetName: streets.get(r.parentId ?? -1) ?? '' })),
  };
}

// ——— applying online

const levelDepth = { district: 1, street: 2, community: 3 } as const;

/** The community whose window takes it in: the one chosen, else that of his resident file. */
async function windowFor(db: Db, orgUnitId: number | undefined, idIndex: string) {
  let unitId = orgUnitId;
  if (unitId === undefined) {
    const [r] = await db
      .select({ orgPath: residents.orgPath })
      .from(residents)
      .where(eq(residents.idNumberIdx, idIndex));
    const ids = r?.orgPath.split('/').filter(Boolean) ?? [];
    if (ids.length >= levelDepth.community) unitId = Number(ids[levelDepth.community - 1]);
  }
  if (unitId === undefined) throw fieldError('orgUnitId', 'required', 'ONLINE_COMMUNITY_REQUIRED');
  const [unit] = await db
    .select({ id: orgUnits.id, path: orgUnits.path, level: orgUnits.level })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, unitId), isNull(orgUnits.retiredAt)));
  if (unit?.level !== 'community') throw fieldError('orgUnitId', 'exists', 'ONLINE_COMMUNITY_UNKNOWN');
  return unit;
}

/**
 * 网上申办: the signed-in resident applies for an item in his own name (his real-name binding
 * is the applicant), with a photo or scan per material and the item's form. It arrives at his
 * community's window as `submitted`, waiting for the clerk's pre-check (the clock not running):
 * 受理 (`accept`, the clock starts), 补正 (`requireMaterial`, 一次性告知) or 不予受理 (`decline`).
 * The same idempotency key from the same resident finds the same application.
 */
export async function applyOnline(
  deps: OnlineDeps,
  actor: Actor,
  input: OnlineApplicationInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const [acc] = await db.select().from(residentAccounts).where(eq(residentAccounts.userId, actor.userId));
  if (!acc?.realNameEnc || !acc.idNumberEnc || !acc.idNumberIdx || acc.deletedAt)
    throw fieldError('applicant', 'realName', 'ONLINE_REAL_NAME_REQUIRED');
  const item = await currentItem(db, input.serviceCode);
  if (!item) throw fieldError('serviceCode', 'exists', 'SERVICE_UNKNOWN');
  // A material counts as provided online when its file is uploaded; nothing is ticked by hand.
  const materials = checkMaterials(
    input.materials.map((m) => ({ ...m, provided: m.fileId !== undefined })),
    item,
  );
  await assertOwnFiles(
    db,
    actor.userId,
    materials.map((m) => m.fileId),
  );
  const form = checkForm(input.form, item.formFields);
  const missing = stillMissing(materials);
  if (missing.length) {
    const i = materials.findIndex((m) => m.name === missing[0]);
    throw fieldError(`materials.${i}.fileId`, 'required', 'ONLINE_MATERIAL_FILE_REQUIRED', {
      name: missing[0] as string,
    });
  }
  const unit = await windowFor(db, input.orgUnitId, acc.idNumberIdx);
  const ids = unit.path.split('/').filter(Boolean);
  const handling = ids.slice(0, Math.min(levelDepth[item.level], ids.length));
  const [onFile] = await db
    .select({ id: residents.id })
    .from(residents)
    .where(eq(residents.idNumberIdx, acc.idNumberIdx));
  const idNumber = crypto.decrypt(acc.idNumberEnc);
  const now = Date.now();
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(applications)
      .values({
        code: `BJ${localDay(now).replaceAll('-', '')}${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`,
        serviceItemId: item.id,
        serviceCode: item.code,
        status: 'submitted',
        channel: 'online',
        applicantName: crypto.decrypt(acc.realNameEnc as string),
        applicantIdEnc: acc.idNumberEnc as string,
        applicantIdIdx: acc.idNumberIdx as string,
        applicantIdTail: idNumber.slice(-4),
        applicantPhoneEnc: input.phone ? crypto.encrypt(input.phone) : null,
        residentId: onFile?.id ?? null,
        materials,
        form,
        missing: [],
        orgUnitId: unit.id,
        orgPath: unit.path,
        handlingUnitId: Number(handling.at(-1)),
        handlingPath: `/${handling.join('/')}/`,
        departmentId: item.departmentId,
        createdBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      .onConflictDoNothing({ target: [applications.createdBy, applications.idempotencyKey] })
      .returning();
    if (!inserted) return null;
    await tx.insert(applicationEvents).values({
      applicationId: inserted.id,
      action: 'intake',
      fromState: null,
      toState: 'submitted',
      actorId: actor.userId,
      data: { online: true },
      at: new Date(now),
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'application.created',
      targetType: 'application',
      targetId: inserted.id,
      payload: { code: inserted.code, serviceCode: item.code, channel: 'online', status: 'submitted' },
    });
    return inserted;
  });
  const found =
    row ??
    (
      await db
        .select()
        .from(applications)
        .where(
          and(
            eq(applications.createdBy, actor.userId),
            eq(applications.idempotencyKey, input.idempotencyKey),
          ),
        )
    )[0];
  if (!found) throw new AppError('CONFLICT');
  return {
    id: found.id,
    code: found.code,
    status: found.status as 'submitted' | 'accepted' | 'incomplete',
    dueDate: found.dueAt ? localDay(found.dueAt.getTime()) : null,
  };
}

// ——— 我的事项: his online applications, and those taken in for him at a window or by an agent

/** Where the application stands, in his words. */
function stepOf(r: ApplicationRow): MyApplicationStep {
  switch (r.status as ApplicationState) {
    case 'submitted':
      return 'submitted';
    case 'incomplete':
      return 'needMaterial';
    case 'accepted':
      return 'accepted';
    case 'approved':
      return 'inProgress';
    case 'issued':
      return 'done';
    case 'collected':
      return 'collected';
    case 'rejected':
      return 'rejected';
    case 'withdrawn':
      return 'withdrawn';
  }
}

const intakeSteps: Partial<Record<string, MyApplicationStep>> = {
  accepted: 'accepted',
  incomplete: 'needMaterial',
};

const eventSteps: Partial<Record<string, MyApplicationStep>> = {
  intake: 'submitted',
  accept: 'accepted',
  requireMaterial: 'needMaterial',
  decline: 'rejected',
  supplement: 'accepted',
  approve: 'inProgress',
  transfer: 'inProgress',
  requestMaterial: 'needMaterial',
  issue: 'done',
  collect: 'collected',
  reject: 'rejected',
  withdraw: 'withdrawn',
  rate: 'rated',
};

/**
 * The applications that are his: those he applied for online, and those whose applicant is
 * the person of his real-name binding — taken in at a window or carried by an agent for him
 * — matched on his resident file (the resident id) and on the binding's ID number index.
 *
 * A binding is only a claim: anyone who knows a name and an ID number could type them. So the
 * applications taken in elsewhere are his only when the binding is confirmed — a resident file
 * holds that ID number with the very phone he signed in with by SMS code. An unconfirmed
 * binding (or a password account with no verified phone) has only its online ones; a deleted
 * account none.
 */
async function mineCondition(db: Db, actor: Actor): Promise<SQL> {
  const own = and(eq(applications.createdBy, actor.userId), eq(applications.channel, 'online')) as SQL;
  const [acc] = await db
    .select({
      idx: residentAccounts.idNumberIdx,
      phoneIdx: residentAccounts.phoneIdx,
      deletedAt: residentAccounts.deletedAt,
    })
    .from(residentAccounts)
    .where(eq(residentAccounts.userId, actor.userId));
  if (!acc?.idx || !acc.phoneIdx || acc.deletedAt) return own;
  const files = await db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.idNumberIdx, acc.idx), eq(residents.phoneIdx, acc.phoneIdx)));
  if (!files.length) return own;
  return or(
    own,
    eq(applications.applicantIdIdx, acc.idx),
    inArray(
      applications.residentId,
      files.map((f) => f.id),
    ),
  ) as SQL;
}

/** One of his applications, or 404 (another's, or none: all the same to him). */
async function ownApplication(db: Db, actor: Actor, id: string): Promise<ApplicationRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  const [row] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.id, id), await mineCondition(db, actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string) => uuidShape.test(id);

export async function myApplications(db: Db, actor: Actor, q: z.infer<typeof myApplicationQuery>) {
  const where = await mineCondition(db, actor);
  const [items, [counted]] = await Promise.all([
    db
      .select()
      .from(applications)
      .where(where)
      .orderBy(desc(applications.createdAt), desc(applications.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(applications).where(where),
  ]);
  const total = counted?.n ?? 0;
  const names = await itemNames(
    db,
    items.map((r) => r.serviceItemId),
  );
  return { items: items.map((r) => summaryOf(r, names)), total };
}

async function itemNames(db: Db, ids: number[]) {
  const wanted = [...new Set(ids)];
  const rows = wanted.length
    ? await db
        .select({ id: serviceItems.id, name: serviceItems.name })
        .from(serviceItems)
        .where(inArray(serviceItems.id, wanted))
    : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

function summaryOf(r: ApplicationRow, names: Map<number, string>) {
  return {
    id: r.id,
    code: r.code,
    serviceCode: r.serviceCode,
    serviceName: names.get(r.serviceItemId) ?? r.serviceCode,
    status: r.status as ApplicationState,
    step: stepOf(r),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * One of his applications with a plain timeline: the steps and, where a step is addressed to
 * him, its words (the reason of a refusal, the materials asked for, the result) — never who
 * did it, never a transfer's or an approval's internal note.
 */
export async function myApplicationOf(db: Db, actor: Actor, id: string): Promise<MyApplication> {
  const row = await ownApplication(db, actor, id);
  const [names, events, [cert], [rating]] = await Promise.all([
    itemNames(db, [row.serviceItemId]),
    db
      .select()
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, row.id))
      .orderBy(asc(applicationEvents.at), asc(applicationEvents.id)),
    db
      .select({ id: certificates.id })
      .from(certificates)
      .where(and(eq(certificates.applicationId, row.id), isNull(certificates.revokedAt))),
    db
      .select({ level: applicationRatings.level })
      .from(applicationRatings)
      .where(eq(applicationRatings.applicationId, row.id)),
  ]);
  const timeline = events.flatMap((e) => {
    // Taken in at a window or by an agent: the intake itself is 受理 or 补正.
    const step =
      e.action === 'intake' && e.toState !== 'submitted' ? intakeSteps[e.toState] : eventSteps[e.action];
    if (!step) return [];
    const missing = (e.data as { missing?: string[] } | null)?.missing;
    const note =
      e.action === 'reject' || e.action === 'decline'
        ? e.note
        : e.action === 'requestMaterial' || e.action === 'requireMaterial' || e.action === 'intake'
          ? (missing ?? []).join('、') || null
          : null;
    return [{ step, at: e.at.toISOString(), note }];
  });
  const status = row.status as ApplicationState;
  const ended = status === 'issued' || status === 'collected' || status === 'rejected';
  return {
    ...summaryOf(row, names),
    dueDate: row.dueAt ? localDay(row.dueAt.getTime()) : null,
    materials: row.materials.map((m) => ({ name: m.name, required: m.required, provided: m.provided })),
    missing: row.missing,
    result:
      status === 'rejected'
        ? (events.findLast((e) => e.action === 'reject' || e.action === 'decline')?.note ?? null)
        : row.result,
    timeline,
    certificate: cert !== undefined,
    rating: rating?.level ?? null,
    // Online 好差评 of what he applied for himself; one taken in for him is rated at the
    // window or on the phone follow-up.
    canRate: ended && rating === undefined && row.createdBy === actor.userId,
  };
}

/** One of his applications for its certificate (404 for anyone else's). */
export async function myApplicationRow(db: Db, actor: Actor, id: string): Promise<ApplicationRow> {
  return ownApplication(db, actor, id);
}

/** 好差评 online, through the same rating (and rectification) as the window's. */
export async function rateMine(
  db: Db,
  actor: Actor,
  id: string,
  input: z.infer<typeof myRatingInput>,
  meta: RequestMeta,
) {
  const row = await ownApplication(db, actor, id);
  if (row.createdBy !== actor.userId || row.channel !== 'online') throw new AppError('NOT_FOUND');
  if (!['issued', 'collected', 'rejected'].includes(row.status))
    throw fieldError('level', 'ended', 'ONLINE_RATING_NOT_ENDED');
  return rateApplication(db, actor, id, { ...input, channel: 'online' }, meta);
}

// ——— notifications to the applicant

const applicantTitles: Partial<Record<ApplicationAction, string>> = {
  accept: '您的申请已受理',
  requireMaterial: '您的申请需要补正材料',
  decline: '您的申请不予受理',
  supplement: '您的申请已受理',
  requestMaterial: '您的申请需要补正材料',
  issue: '您的申请已办结',
  reject: '您的申请未予受理',
};

/**
 * The resident who applied online hears when his application is taken in, asked for more
 * material, done or refused: the item and the number, nothing about who handled it. Written
 * in the action's transaction.
 */
export async function notifyApplicant(
  tx: Db,
  row: ApplicationRow,
  action: ApplicationAction,
  actorId: string,
) {
  const title = applicantTitles[action];
  if (!title || row.channel !== 'online' || row.createdBy === null || row.createdBy === actorId) return [];
  const [item] = await tx
    .select({ name: serviceItems.name })
    .from(serviceItems)
    .where(eq(serviceItems.id, row.serviceItemId));
  return notifyUsers(tx, [row.createdBy], {
    kind: `application.${action}`,
    title,
    body: `${item?.name ?? row.serviceCode}（${row.code}）`,
    subject: { type: 'application', id: row.id },
    link: `/r/applications/${row.id}`,
  });
}
