import type { CategoryInput } from '@civicgrid/core/api/cases';
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { departments } from '../org/tables.js';
import { invalidateCalendar } from './calendar.js';
import { invalidateNames } from './names.js';
import { calendarDays, caseCategories } from './tables.js';

type CategoryRow = typeof caseCategories.$inferSelect;

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db.select().from(caseCategories).orderBy(asc(caseCategories.sort), asc(caseCategories.code));
}

async function checkCategory(tx: Db, input: Partial<CategoryInput>, code: string) {
  if (input.parentCode) {
    if (input.parentCode === code) throw fieldError('parentCode', 'notSelf', 'CASE_CATEGORY_PARENT_SELF');
    const [p] = await tx.select().from(caseCategories).where(eq(caseCategories.code, input.parentCode));
    if (!p) throw fieldError('parentCode', 'exists', 'CASE_CATEGORY_PARENT_UNKNOWN');
  }
  if (input.handlerDepartmentId) {
    const [d] = await tx.select().from(departments).where(eq(departments.id, input.handlerDepartmentId));
    if (!d) throw fieldError('handlerDepartmentId', 'exists', 'CASE_DEPARTMENT_UNKNOWN');
  }
}

/** A new category: its code is given, or the next number under its parent. */
export async function createCategory(db: Db, actor: Actor, input: CategoryInput, meta: RequestMeta) {
  const row = await db.transaction(async (tx) => {
    let code = input.code;
    if (!code) {
      if (!input.parentCode) throw fieldError('code', 'required', 'CASE_CATEGORY_CODE_REQUIRED');
      const siblings = await tx
        .select({ code: caseCategories.code })
        .from(caseCategories)
        .where(eq(caseCategories.parentCode, input.parentCode));
      const max = siblings.reduce(
        (m, s) => Math.max(m, Number(s.code.slice(input.parentCode?.length ?? 0)) || 0),
        0,
      );
      code = `${input.parentCode}${String(max + 1).padStart(2, '0')}`;
    }
    await checkCategory(tx, input, code);
    const [created] = await tx
      .insert(caseCategories)
      .values({
        code,
        name: input.name,
        parentCode: input.parentCode ?? null,
        handlerKind: input.handlerKind,
        handlerDepartmentId: input.handlerDepartmentId ?? null,
        clock: input.clock,
        acceptMinutes: input.acceptMinutes ?? null,
        dispatchMinutes: input.dispatchMinutes ?? null,
        resolveMinutes: input.resolveMinutes ?? null,
        priority: input.priority,
        selfResolvable: input.selfResolvable,
        autoEscalate: input.autoEscalate,
        publicMap: input.publicMap ?? false,
        sort: 10_000,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw fieldError('code', 'unique', 'CASE_CATEGORY_CODE_TAKEN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'caseCategory.created',
      targetType: 'caseCategory',
      targetId: code,
    });
    return created;
  });
  invalidateNames();
  return row;
}

export async function updateCategory(
  db: Db,
  actor: Actor,
  code: string,
  input: Partial<CategoryInput>,
  meta: RequestMeta,
) {
  const row = await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(caseCategories).where(eq(caseCategories.code, code));
    if (!existing) throw new AppError('NOT_FOUND');
    await checkCategory(tx, input, code);
    const { code: _ignored, retired, ...rest } = input;
    const [updated] = await tx
      .update(caseCategories)
      .set({
        ...rest,
        ...(retired === undefined ? {} : { retiredAt: retired ? (existing.retiredAt ?? new Date()) : null }),
      })
      .where(eq(caseCategories.code, code))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'caseCategory.updated',
      targetType: 'caseCategory',
      targetId: code,
      payload: { fields: Object.keys(input) },
    });
    return updated as CategoryRow;
  });
  invalidateNames();
  return row;
}

export async function calendarYear(db: Db, year: number) {
  const days = await db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
    .orderBy(asc(calendarDays.day));
  return { year, days };
}

/** Replaces one year's holidays and 调休 days; deadlines computed from now on follow it. */
export async function replaceCalendarYear(
  db: Db,
  actor: Actor,
  year: number,
  days: { day: string; kind: 'holiday' | 'workday'; name?: string | null | undefined }[],
  meta: RequestMeta,
) {
  days.forEach((d, i) => {
    if (!d.day.startsWith(`${year}-`) || Number.isNaN(Date.parse(`${d.day}T00:00:00Z`)))
      throw fieldError(`days.${i}.day`, 'inYear', 'CALENDAR_DAY_OUTSIDE_YEAR', { year });
  });
  if (new Set(days.map((d) => d.day)).size !== days.length)
    throw fieldError('days', 'unique', 'CALENDAR_DAY_REPEATED');
  await db.transaction(async (tx) => {
    await tx
      .delete(calendarDays)
      .where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)));
    if (days.length)
      await tx
        .insert(calendarDays)
        .values(days.map((d) => ({ day: d.day, kind: d.kind, name: d.name ?? null })));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'calendar.updated',
      targetType: 'calendar',
      targetId: year,
      payload: { days: days.length },
    });
  });
  invalidateCalendar();
  return calendarYear(db, year);
}
