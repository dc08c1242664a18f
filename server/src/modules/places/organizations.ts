import { isValidCreditCode } from '@civicgrid/core';
import {
  type OrganizationInput,
  type OrganizationPatch,
  organizationKindNames,
  type organizationListQuery,
} from '@civicgrid/core/api/places';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { areaCondition, gridInScope, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { assertExportSize, exportXlsx, maxExportRows } from '../../platform/spreadsheet.js';
import { nameBook } from '../cases/names.js';
import { otherJurisdiction, registeredElsewhere } from '../residents/policy.js';
import { loadBuilding } from './buildings.js';
import { organizationScope } from './policy.js';
import { type OrganizationRow, presentOrganization } from './presenter.js';
import { escapeLike, type PlaceDeps } from './service.js';
import { organizations } from './tables.js';

type OrganizationQuery = z.infer<typeof organizationListQuery>;

/** GB 32100: 18 characters, the last a check character over the other 17. */
export function checkCreditCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!isValidCreditCode(code)) throw fieldError('creditCode', 'checkDigit', 'CREDIT_CODE_CHECK_DIGIT');
  return code;
}

export async function createOrganization(
  deps: PlaceDeps,
  actor: Actor,
  input: OrganizationInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const creditCode = checkCreditCode(input.creditCode);
  const grid = await gridInScope(db, actor, input.gridId);
  if (input.buildingId !== undefined) {
    const b = await loadBuilding(db, actor, input.buildingId).catch(() => null);
    if (!b || b.gridId !== grid.id) throw fieldError('buildingId', 'inGrid', 'BUILDING_NOT_IN_GRID');
  }
  const row = await db.transaction(async (tx) => {
    const { contactPhone, ...rest } = input;
    const [o] = await tx
      .insert(organizations)
      .values({
        ...rest,
        creditCode,
        gridId: grid.id,
        orgPath: grid.path,
        contactPhoneEnc: contactPhone ? crypto.encrypt(contactPhone) : null,
        contactPhoneIdx: contactPhone ? crypto.blindIndex(contactPhone) : null,
      })
      .onConflictDoNothing({ target: organizations.creditCode })
      .returning();
    if (!o) {
      const [taken] = await tx
        .select({ orgPath: organizations.orgPath })
        .from(organizations)
        .where(eq(organizations.creditCode, creditCode));
      throw registeredElsewhere(actor, taken?.orgPath ?? null)
        ? otherJurisdiction('creditCode')
        : fieldError('creditCode', 'unique', 'CREDIT_CODE_TAKEN');
    }
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'organization.created',
      targetType: 'organization',
      targetId: String(o.id),
    });
    return o;
  });
  return presentOrganization(row, crypto, await nameBook(db));
}

export function loadOrganization(db: Db, actor: Actor, id: number, options: { forUpdate?: boolean } = {}) {
  return loadScoped(db, actor, organizationScope, id, options);
}

export async function getOrganization(deps: PlaceDeps, actor: Actor, id: number) {
  return presentOrganization(
    await loadOrganization(deps.db, actor, id),
    deps.crypto,
    await nameBook(deps.db),
  );
}

export async function updateOrganization(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: OrganizationPatch,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const row = await db.transaction(async (tx) => {
    await loadOrganization(tx, actor, id, { forUpdate: true });
    const { contactPhone, ...rest } = patch;
    const [o] = await tx
      .update(organizations)
      .set({
        ...rest,
        ...(contactPhone === undefined
          ? {}
          : {
              contactPhoneEnc: crypto.encrypt(contactPhone),
              contactPhoneIdx: crypto.blindIndex(contactPhone),
            }),
        updatedAt: new Date(),
      })
      .where(eq(organizations.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'organization.updated',
      targetType: 'organization',
      targetId: String(id),
      payload: { fields: Object.keys(patch) },
    });
    return o as OrganizationRow;
  });
  return presentOrganization(row, crypto, await nameBook(db));
}

export async function listOrganizations(deps: PlaceDeps, actor: Actor, q: OrganizationQuery) {
  const { db, crypto } = deps;
  const cond: (SQL | undefined)[] = [];
  if (q.q)
    cond.push(sql`(${organizations.name} like ${`%${escapeLike(q.q)}%`} or ${organizations.name} % ${q.q})`);
  if (q.creditCode) cond.push(eq(organizations.creditCode, q.creditCode.toUpperCase()));
  if (q.kind) cond.push(eq(organizations.kind, q.kind));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), organizations.orgPath));
  const { items, total } = await listScoped(db, actor, organizationScope, {
    where: and(...cond),
    orderBy: [asc(organizations.name)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const book = await nameBook(db);
  return { items: items.map((r) => presentOrganization(r, crypto, book)), total };
}

/** The organizations list as a spreadsheet: same scope and filters, contact phones masked. */
export async function exportOrganizations(
  deps: PlaceDeps,
  actor: Actor,
  q: OrganizationQuery,
  meta: RequestMeta,
) {
  const all = await listOrganizations(deps, actor, { ...q, page: 1, pageSize: maxExportRows });
  // Refused before the audit: a file that does not leave is not recorded as exported.
  assertExportSize(all.total);
  const file = await exportXlsx([
    {
      name: '实有单位',
      columns: [
        { header: '单位名称', key: 'name', width: 28 },
        { header: '统一社会信用代码', key: 'creditCode', width: 22 },
        { header: '单位类型', key: 'kind', width: 12 },
        { header: '地址', key: 'address', width: 32 },
        { header: '网格', key: 'gridName', width: 22 },
        { header: '联系人', key: 'contactName', width: 10 },
        { header: '联系电话（已脱敏）', key: 'contactPhone', width: 16 },
        { header: '从业人数', key: 'employees', width: 10 },
      ],
      rows: all.items.map((o) => ({
        name: o.name,
        creditCode: o.creditCode,
        kind: organizationKindNames[o.kind],
        address: o.address,
        gridName: o.gridName,
        contactName: o.contactName,
        contactPhone: o.contactPhone,
        employees: o.employees,
      })),
    },
  ]);
  await deps.db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'organization.exported',
      targetType: 'organization',
      targetId: 'list',
      payload: { rows: all.items.length },
    }),
  );
  return file;
}
