import { parseIdNumber } from '@civicgrid/core';
import { type ResidentListQuery, residenceTypeNames } from '@civicgrid/core/api/residents';
import { and, asc, count, desc, eq, inArray, like, lte, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, resolveArea } from '../../platform/scope.js';
import { assertExportSize, exportXlsx, maxExportRows } from '../../platform/spreadsheet.js';
import { nameBook } from '../cases/names.js';
import { buildingScope } from '../places/policy.js';
import { buildings, households, housingUnits } from '../places/tables.js';
import { residentScope } from './policy.js';
import { presentResident } from './presenter.js';
import type { ResidentDeps } from './service.js';
import { residents } from './tables.js';

/* The residents list and its spreadsheet: one query, one scope, one presenter. */

export async function listResidents(deps: ResidentDeps, actor: Actor, q: ResidentListQuery) {
  const { rows, total } = await findResidents(deps, actor, q);
  const book = await nameBook(deps.db);
  return { items: rows.map((r) => presentResident(r, deps.crypto, book)), total };
}

/** The rows of a list query in scope, unpresented: the list and the export present them. */
async function findResidents(deps: ResidentDeps, actor: Actor, q: ResidentListQuery) {
  const { db, crypto } = deps;
  const cond: (SQL | undefined)[] = [residentScope.where(actor)];
  if (q.idNumber) {
    const parsed = parseIdNumber(q.idNumber);
    cond.push(
      eq(residents.idNumberIdx, crypto.blindIndex(parsed.ok ? parsed.normalized : q.idNumber.toUpperCase())),
    );
  }
  if (q.phone) cond.push(eq(residents.phoneIdx, crypto.blindIndex(q.phone)));
  const prefix = q.q
    ? sql`${residents.name} like ${`${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
    : undefined;
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), residents.orgPath));
  if (q.tag) cond.push(sql`${residents.tags} @> array[${q.tag}]::text[]`);
  if (q.address) {
    // The dwelling's address is the places module's: read through its buildings' scope.
    const term = `%${q.address.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    cond.push(
      inArray(
        residents.householdId,
        db
          .select({ id: households.id })
          .from(households)
          .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
          .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
          .where(and(like(buildings.address, term), buildingScope.where(actor))),
      ),
    );
  }
  if (q.residenceType) cond.push(eq(residents.residenceType, q.residenceType));
  if (q.unsettled === 'true') cond.push(sql`${residents.householdId} is null`);
  const today = new Date(Date.now() + 8 * 3_600_000);
  const yearsAgo = (n: number) => `${today.getUTCFullYear() - n}${today.toISOString().slice(4, 10)}`;
  if (q.ageFrom !== undefined) cond.push(lte(residents.birthDate, yearsAgo(q.ageFrom)));
  if (q.ageTo !== undefined) cond.push(sql`${residents.birthDate} > ${yearsAgo(q.ageTo + 1)}`);
  const rowsOf = (tx: Db, where: SQL | undefined) =>
    tx
      .select()
      .from(residents)
      .where(where)
      .orderBy(prefix ? sql`${prefix} desc` : desc(residents.updatedAt), asc(residents.name))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize);
  const totalOf = (tx: Db, where: SQL | undefined) => tx.select({ n: count() }).from(residents).where(where);
  // On the pool the two run at once; in a transaction (one connection) one after the other —
  // node-postgres queues a second query on a busy client today and will refuse it in pg 9.
  const page = async (tx: Db, where: SQL | undefined, oneConnection = false) =>
    oneConnection
      ? ([await rowsOf(tx, where), await totalOf(tx, where)] as const)
      : Promise.all([rowsOf(tx, where), totalOf(tx, where)]);
  let [rows, [total]] = await page(db, and(...cond, prefix));
  // A name is looked up by prefix (the btree index). Only when that finds less than a page,
  // similar names join in — trigram similarity of at least 0.5, which the GIN index can
  // narrow to a few candidates (at the default 0.3 it rechecks every name with the surname).
  if (q.q && q.q.length >= 2 && Number(total?.n ?? 0) < q.page * q.pageSize) {
    [rows, [total]] = await db.transaction(async (tx) => {
      await tx.execute(sql`set local pg_trgm.similarity_threshold = 0.5`);
      return page(tx, and(...cond, sql`(${prefix} or ${residents.name} % ${q.q})`), true);
    });
  }
  return { rows, total: Number(total?.n ?? 0) };
}

/**
 * The most people one export with full ID numbers may hold: each is audited as a reveal,
 * and a file of every ID number in a district is a breach waiting to happen — narrow the
 * filters instead.
 */
export const maxRevealedExport = 5000;

/**
 * The list as a spreadsheet: the same scope, filters and presenter as the list, so the
 * numbers are masked and the birth date is an age, as on screen. With `reveal` (pii:reveal
 * only) the file carries full ID numbers and birth dates, and every person in it is audited
 * as a reveal (`pii.revealed`, one row each) before the file leaves.
 */
export async function exportResidents(
  deps: ResidentDeps,
  actor: Actor,
  q: ResidentListQuery,
  opts: { reveal: boolean },
  meta: RequestMeta,
) {
  if (opts.reveal && !actor.permissions.has('pii:reveal')) throw new AppError('FORBIDDEN');
  const { rows, total } = await findResidents(deps, actor, { ...q, page: 1, pageSize: maxExportRows });
  if (opts.reveal && total > maxRevealedExport)
    throw fieldError('reveal', 'max', 'RESIDENT_EXPORT_REVEAL_MAX', { max: maxRevealedExport, total });
  // Refused before the audit: a file that does not leave is not recorded as exported.
  assertExportSize(total);
  await deps.db.transaction(async (tx) => {
    const who = auditActorOf(actor, meta);
    await appendAudit(tx, who, {
      action: 'resident.exported',
      payload: { rows: rows.length, revealed: opts.reveal },
    });
    if (opts.reveal)
      for (const r of rows)
        await appendAudit(tx, who, {
          action: 'pii.revealed',
          targetType: 'resident',
          targetId: r.id,
          payload: { fields: ['idNumber', 'birthDate'], via: 'export' },
        });
  });
  const book = await nameBook(deps.db);
  return exportXlsx([
    {
      name: '实有人口',
      columns: [
        { header: '姓名', key: 'name', width: 12 },
        opts.reveal
          ? { header: '身份证号', key: 'idNumber', width: 22 }
          : { header: '身份证号（已脱敏）', key: 'idNumber', width: 22 },
        { header: '性别', key: 'sex', width: 6 },
        opts.reveal
          ? { header: '出生日期', key: 'birthDate', width: 12 }
          : { header: '年龄', key: 'age', width: 6 },
        { header: '手机号（已脱敏）', key: 'phone', width: 14 },
        { header: '居住类型', key: 'residenceType', width: 14 },
        { header: '社区', key: 'communityName', width: 18 },
        { header: '网格', key: 'gridName', width: 22 },
        { header: '标签', key: 'tags', width: 20 },
      ],
      rows: rows.map((row) => {
        const r = presentResident(row, deps.crypto, book, { revealIdNumber: opts.reveal });
        return {
          name: r.name,
          idNumber: r.idNumber,
          sex: r.sex === 'male' ? '男' : '女',
          birthDate: r.birthDate,
          age: r.age,
          phone: r.phone,
          residenceType: residenceTypeNames[r.residenceType],
          communityName: r.communityName,
          gridName: r.gridName,
          tags: r.tags.join('、'),
        };
      }),
    },
  ]);
}
