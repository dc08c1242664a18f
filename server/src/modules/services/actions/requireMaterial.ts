import { fieldError } from '../../../platform/errors.js';
import type { ActionHandler } from './effect.js';

/**
 * 补正 at the pre-check of an online application (一次性告知): every material to hand in
 * again is named at once, each one of the application's own list; the clock has not started
 * and starts when 补正 is done (supplement).
 */
export const requireMaterial: ActionHandler<'requireMaterial'> = ({ row, item }, body) => {
  const missing = [...new Set(body.missing)];
  const unknown = missing.findIndex((name) => !row.materials.some((m) => m.name === name));
  if (unknown >= 0)
    throw fieldError(`missing.${unknown}`, 'known', 'APPLICATION_MATERIAL_UNKNOWN', {
      name: missing[unknown] as string,
      version: item.version,
    });
  return {
    note: body.note ?? null,
    data: { missing },
    set: {
      missing,
      materials: row.materials.map((m) => (missing.includes(m.name) ? { ...m, provided: false } : m)),
    },
  };
};
