import type { ActionHandler } from './effect.js';

/**
 * 一次性告知: every missing material is named at once, and the clock stops until they are
 * handed in (the applicant's time is not the office's).
 */
export const requestMaterial: ActionHandler<'requestMaterial'> = ({ row, now }, body) => {
  const missing = [...new Set(body.missing)];
  return {
    note: body.note ?? null,
    data: { missing },
    set: {
      missing,
      materials: row.materials.map((m) => (missing.includes(m.name) ? { ...m, provided: false } : m)),
      pausedAt: new Date(now),
    },
  };
};
