import { resumeClock, startClock } from '@civicgrid/core/services/timeLimit';
import { fieldError } from '../../../platform/errors.js';
import { assertOwnFiles, stillMissing } from '../materials.js';
import type { ActionHandler } from './effect.js';

/**
 * 补正: the missing material is handed in (the named ones, or all that were asked for) and the
 * clock runs again — from the start if it never ran (taken in incomplete), otherwise with
 * the working time that was left when it stopped.
 */
export const supplement: ActionHandler<'supplement'> = async ({ tx, actor, row, item, cal, now }, body) => {
  const handed = new Map<string, string | null>(
    (body.materials ?? row.missing.map((name) => ({ name, fileId: undefined }))).map((m) => [
      m.name,
      m.fileId ?? null,
    ]),
  );
  await assertOwnFiles(tx, actor.userId, [...handed.values()]);
  for (const name of handed.keys())
    if (!row.missing.includes(name) && !row.materials.some((m) => m.name === name))
      throw fieldError('materials', 'known', 'APPLICATION_MATERIAL_UNKNOWN', { name, version: item.version });
  const materials = row.materials.map((m) =>
    handed.has(m.name) ? { ...m, provided: true, fileId: handed.get(m.name) ?? m.fileId } : m,
  );
  const missing = row.missing.filter((name) => !handed.has(name));
  const open = [...missing, ...stillMissing(materials)];
  if (open.length)
    throw fieldError('materials', 'complete', 'APPLICATION_MATERIAL_MISSING', { name: open[0] as string });
  const clock =
    row.dueAt && row.warnAt && row.pausedAt
      ? resumeClock(
          cal,
          { dueAt: row.dueAt.getTime(), warnAt: row.warnAt.getTime() },
          row.pausedAt.getTime(),
          now,
        )
      : { ...startClock(cal, now, item.timeLimitDays), pausedMinutes: 0 };
  return {
    note: body.note ?? null,
    data: { handed: [...handed.keys()] },
    set: {
      materials,
      missing: [],
      acceptedAt: row.acceptedAt ?? new Date(now),
      dueAt: new Date(clock.dueAt),
      warnAt: new Date(clock.warnAt),
      pausedAt: null,
      pausedMinutes: row.pausedMinutes + clock.pausedMinutes,
    },
  };
};
