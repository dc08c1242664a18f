import type {
  ServiceCatalogueEntry,
  ServiceItem,
  ServiceItemInput,
  ServiceItemPatch,
  serviceCatalogueQuery,
} from '@civicgrid/core/api/services';
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { users } from '../accounts/tables.js';
import { departments } from '../org/tables.js';
import { escapeLike } from '../places/service.js';
import { presentItem } from './presenter.js';
import { serviceItems } from './tables.js';

type ItemRow = typeof serviceItems.$inferSelect;

async function departmentNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(inArray(departments.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The current version of every item still offered: the service guide. */
export async function listServices(db: Db): Promise<ServiceItem[]> {
  const rows = await db
    .select()
    .from(serviceItems)
    .where(and(eq(serviceItems.current, true), isNull(serviceItems.retiredAt)))
    .orderBy(asc(serviceItems.code));
  const names = await departmentNames(
    db,
    rows.map((r) => r.departmentId),
  );
  return rows.map((r) =>
    presentItem(r, r.departmentId === null ? null : (names.get(r.departmentId) ?? null)),
  );
}

/** The current version of an item still offered, or undefined. */
export async function currentItem(db: Db, code: string): Promise<ItemRow | undefined> {
  const [row] = await db
    .select()
    .from(serviceItems)
    .where(and(eq(serviceItems.code, code), eq(serviceItems.current, true), isNull(serviceItems.retiredAt)));
  return row;
}

async function view(db: Db, row: ItemRow): Promise<ServiceItem> {
  const names = await departmentNames(db, [row.departmentId]);
  return presentItem(row, row.departmentId === null ? null : (names.get(row.departmentId) ?? null));
}

export async function serviceGuide(db: Db, code: string): Promise<ServiceItem> {
  const row = await currentItem(db, code);
  if (!row) throw new AppError('NOT_FOUND');
  return view(db, row);
}

async function assertDepartment(db: Db, id: number | null | undefined) {
  if (id === null || id === undefined) return;
  const names = await departmentNames(db, [id]);
  if (!names.has(id)) throw fieldError('departmentId', 'exists', 'SERVICE_DEPARTMENT_UNKNOWN');
}

function assertUniqueMaterials(materials: { name: string }[]) {
  const seen = new Set<string>();
  materials.forEach((m, i) => {
    if (seen.has(m.name))
      throw fieldError(`materials.${i}.name`, 'unique', 'SERVICE_MATERIAL_DUPLICATE', { name: m.name });
    seen.add(m.name);
  });
}

type ItemRules = Pick<ServiceItemInput, 'materials' | 'formFields' | 'timeLimitDays' | 'statutoryDays'> &
  CertificateChoice;
interface CertificateChoice {
  issuesCertificate: boolean;
  certificateTemplate: string | null;
}

/**
 * What an item must hold together, checked on the whole of it (an edit against the version it
 * replaces): a promise never longer than the law allows (承诺时限 ≤ 法定时限), materials and
 * form keys each once, a choice with something to choose.
 */
function assertItemRules(item: ItemRules) {
  assertUniqueMaterials(item.materials);
  if (item.timeLimitDays > item.statutoryDays)
    throw fieldError('timeLimitDays', 'notOverStatutory', 'SERVICE_TIME_LIMIT_OVER_STATUTORY', {
      timeLimitDays: item.timeLimitDays,
      statutoryDays: item.statutoryDays,
    });
  const keys = new Set<string>();
  item.formFields.forEach((f, i) => {
    if (keys.has(f.key))
      throw fieldError(`formFields.${i}.key`, 'unique', 'SERVICE_FORM_KEY_DUPLICATE', { key: f.key });
    keys.add(f.key);
    if (f.type === 'choice' && new Set(f.options ?? []).size < 2)
      throw fieldError(`formFields.${i}.options`, 'min', 'SERVICE_CHOICE_OPTIONS', { label: f.label });
  });
}

/** An item that ends in a certificate prints one (the general layout unless one is chosen); others none. */
function templateOf(item: CertificateChoice) {
  return item.issuesCertificate ? (item.certificateTemplate ?? 'general') : null;
}

async function catalogueEntries(db: Db, rows: ItemRow[]): Promise<ServiceCatalogueEntry[]> {
  const authors = [...new Set(rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])))];
  const [names, people] = await Promise.all([
    departmentNames(
      db,
      rows.map((r) => r.departmentId),
    ),
    authors.length
      ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, authors))
      : [],
  ]);
  const byId = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((r) => ({
    ...presentItem(r, r.departmentId === null ? null : (names.get(r.departmentId) ?? null)),
    retiredAt: r.retiredAt?.toISOString() ?? null,
    versionAt: r.createdAt.toISOString(),
    versionBy: r.createdBy ? (byId.get(r.createdBy) ?? null) : null,
  }));
}

/** 事项清单管理: the current version of every item, offered or retired, searched and filtered. */
export async function listCatalogue(db: Db, q: z.infer<typeof serviceCatalogueQuery>) {
  const text = q.q ? `%${escapeLike(q.q)}%` : null;
  const cond: (SQL | undefined)[] = [
    eq(serviceItems.current, true),
    text ? or(ilike(serviceItems.code, text), ilike(serviceItems.name, text)) : undefined,
    q.category ? eq(serviceItems.category, q.category) : undefined,
    q.retired === undefined
      ? undefined
      : q.retired
        ? isNotNull(serviceItems.retiredAt)
        : isNull(serviceItems.retiredAt),
  ];
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(serviceItems)
      .where(where)
      .orderBy(asc(serviceItems.code))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(serviceItems).where(where),
  ]);
  return { items: await catalogueEntries(db, rows), total: total?.n ?? 0 };
}

/** Every version of an item, the newest first: what applications taken in earlier were held to. */
export async function serviceVersionsOf(db: Db, code: string) {
  const rows = await db
    .select()
    .from(serviceItems)
    .where(eq(serviceItems.code, code))
    .orderBy(desc(serviceItems.version));
  if (!rows.length) throw new AppError('NOT_FOUND');
  return { items: await catalogueEntries(db, rows) };
}

export async function createService(
  db: Db,
  actor: Actor,
  input: ServiceItemInput,
  meta: RequestMeta,
): Promise<ServiceItem> {
  assertItemRules(input);
  await assertDepartment(db, input.departmentId);
  const row = await db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: serviceItems.id })
      .from(serviceItems)
      .where(eq(serviceItems.code, input.code));
    if (taken) throw fieldError('code', 'unique', 'SERVICE_CODE_TAKEN');
    const [row] = await tx
      .insert(serviceItems)
      .values({
        ...input,
        certificateTemplate: templateOf(input),
        version: 1,
        current: true,
        createdBy: actor.userId,
      })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'serviceItem.created',
      targetType: 'serviceItem',
      targetId: input.code,
      payload: { code: input.code, version: 1 },
    });
    return row as ItemRow;
  });
  return view(db, row);
}

/**
 * An edit never changes the rules an application was taken in under: it writes the next
 * version and makes it current; applications keep pointing at theirs.
 */
export async function updateService(
  db: Db,
  actor: Actor,
  code: string,
  patch: ServiceItemPatch,
  meta: RequestMeta,
): Promise<ServiceItem> {
  await assertDepartment(db, patch.departmentId);
  const row = await db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(serviceItems)
      .where(and(eq(serviceItems.code, code), eq(serviceItems.current, true)))
      .for('update');
    if (!old) throw new AppError('NOT_FOUND');
    const { retired, ...fields } = patch;
    const merged = { ...old, ...fields };
    assertItemRules(merged);
    await tx.update(serviceItems).set({ current: false }).where(eq(serviceItems.id, old.id));
    const { id: _id, createdAt: _at, ...kept } = old;
    const [row] = await tx
      .insert(serviceItems)
      .values({
        ...kept,
        ...fields,
        certificateTemplate: templateOf(merged),
        version: old.version + 1,
        current: true,
        retiredAt: retired === undefined ? old.retiredAt : retired ? new Date() : null,
        createdBy: actor.userId,
      })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'serviceItem.updated',
      targetType: 'serviceItem',
      targetId: code,
      payload: { code, version: old.version + 1, fields: Object.keys(patch) },
    });
    return row as ItemRow;
  });
  return view(db, row);
}
