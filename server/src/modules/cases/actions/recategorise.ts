import { fieldError } from '../../../platform/errors.js';
import type { ActionHandler } from './effect.js';

/**
 * 改类: before dispatch, the dispatcher of the handling level puts the case in another leaf
 * category — typically the 智能派单 suggestion in one click. The case takes the category's
 * priority; the running step's clock stays as it is (the category changes what is to be
 * done, not the time already given to accept or dispatch it). The trail keeps both codes.
 */
export const recategorise: ActionHandler<'recategorise'> = async ({ row, book }, body) => {
  const cat = book.categories.get(body.categoryCode);
  if (!cat || cat.retiredAt) throw fieldError('categoryCode', 'exists', 'CATEGORY_UNKNOWN');
  const hasChildren = [...book.categories.values()].some((c) => c.parentCode === cat.code && !c.retiredAt);
  if (hasChildren) throw fieldError('categoryCode', 'leaf', 'CASE_CATEGORY_NOT_LEAF');
  if (cat.code === row.categoryCode) throw fieldError('categoryCode', 'different', 'CASE_CATEGORY_SAME');
  const from = book.categories.get(row.categoryCode);
  return {
    set: { categoryCode: cat.code, priority: cat.priority },
    note: body.note ?? null,
    data: {
      from: { code: row.categoryCode, name: from?.name ?? row.categoryCode },
      to: { code: cat.code, name: cat.name },
    },
  };
};
