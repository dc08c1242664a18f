import type { HotlineMapping, HotlineMappingInput } from '@civicgrid/core/api/integrations';
import { asc, eq } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { caseCategories } from '../cases/tables.js';
import { hotlineCategoryMappings } from './tables.js';

type Row = typeof hotlineCategoryMappings.$inferSelect;

function present(r: Row, categoryName: string): HotlineMapping {
  return {
    hotlineCategory: r.hotlineCategory,
    categoryCode: r.categoryCode,
    categoryName,
    acceptHours: r.acceptHours,
    replyHours: r.replyHours,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listMappings(db: Db): Promise<{ items: HotlineMapping[] }> {
  const rows = await db
    .select({ m: hotlineCategoryMappings, name: caseCategories.name })
    .from(hotlineCategoryMappings)
    .innerJoin(caseCategories, eq(caseCategories.code, hotlineCategoryMappings.categoryCode))
    .orderBy(asc(hotlineCategoryMappings.hotlineCategory));
  return { items: rows.map((r) => present(r.m, r.name)) };
}

/** A mapping names a leaf in use: a case is only ever reported into a leaf. */
async function leaf(db: Db, code: string) {
  const all = await db
    .select({
      code: caseCategories.code,
      name: caseCategories.name,
      parent: caseCategories.parentCode,
      retiredAt: caseCategories.retiredAt,
    })
    .from(caseCategories);
  const cat = all.find((c) => c.code === code);
  if (!cat || cat.retiredAt) throw fieldError('categoryCode', 'exists', 'CATEGORY_UNKNOWN');
  if (all.some((c) => c.parent === code && !c.retiredAt))
    throw fieldError('categoryCode', 'leaf', 'CASE_CATEGORY_NOT_LEAF');
  return cat;
}

export async function saveMapping(db: Db, actor: Actor, input: HotlineMappingInput, meta: RequestMeta) {
  const cat = await leaf(db, input.categoryCode);
  const values = {
    hotlineCategory: input.hotlineCategory,
    categoryCode: cat.code,
    acceptHours: input.acceptHours ?? null,
    replyHours: input.replyHours ?? null,
    updatedBy: actor.userId,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(hotlineCategoryMappings)
      .values(values)
      .onConflictDoUpdate({ target: hotlineCategoryMappings.hotlineCategory, set: values })
      .returning();
    if (!row) throw new AppError('INTERNAL');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'hotline.mappingSaved',
      targetType: 'hotlineCategory',
      targetId: input.hotlineCategory,
      payload: { categoryCode: cat.code },
    });
    return present(row, cat.name);
  });
}

export async function deleteMapping(db: Db, actor: Actor, category: string, meta: RequestMeta) {
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(hotlineCategoryMappings)
      .where(eq(hotlineCategoryMappings.hotlineCategory, category))
      .returning({ c: hotlineCategoryMappings.hotlineCategory });
    if (gone.length === 0) throw new AppError('HOTLINE_MAPPING_UNKNOWN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'hotline.mappingDeleted',
      targetType: 'hotlineCategory',
      targetId: category,
    });
  });
}

/** The 12345 centre's usual categories for a fresh install (the demo's simulator sends these). */
export const defaultHotlineMappings: readonly {
  hotlineCategory: string;
  categoryCode: string;
  acceptHours?: number;
  replyHours?: number;
}[] = [
  { hotlineCategory: '城乡建设/市容环境/垃圾清运', categoryCode: 'C0301', acceptHours: 2, replyHours: 72 },
  { hotlineCategory: '城乡建设/市政设施/路灯', categoryCode: 'C0103', acceptHours: 2, replyHours: 120 },
  { hotlineCategory: '城乡建设/市政设施/井盖', categoryCode: 'C0101', acceptHours: 1, replyHours: 24 },
  { hotlineCategory: '城乡建设/市政设施/道路破损', categoryCode: 'C0204', acceptHours: 2, replyHours: 120 },
  { hotlineCategory: '公共安全/噪声扰民', categoryCode: 'E0508', acceptHours: 1, replyHours: 24 },
  { hotlineCategory: '城乡建设/物业管理', categoryCode: 'S1306', acceptHours: 4, replyHours: 120 },
  { hotlineCategory: '城乡建设/供水供暖', categoryCode: 'S1305', acceptHours: 1, replyHours: 24 },
  { hotlineCategory: '社会管理/邻里纠纷', categoryCode: 'S1001', acceptHours: 4, replyHours: 168 },
  { hotlineCategory: '咨询建议', categoryCode: 'S1502', replyHours: 240 },
];

/** Fills an empty mapping table with the defaults whose leaf exists (a fresh or demo install). */
export async function ensureHotlineDefaults(db: Db): Promise<void> {
  const [any] = await db.select().from(hotlineCategoryMappings).limit(1);
  if (any) return;
  const codes = new Set(
    (await db.select({ code: caseCategories.code }).from(caseCategories)).map((c) => c.code),
  );
  const rows = defaultHotlineMappings
    .filter((m) => codes.has(m.categoryCode))
    .map((m) => ({ ...m, acceptHours: m.acceptHours ?? null, replyHours: m.replyHours ?? null }));
  if (rows.length) await db.insert(hotlineCategoryMappings).values(rows).onConflictDoNothing();
}
