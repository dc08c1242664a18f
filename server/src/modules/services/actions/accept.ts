import { startClock } from '@civicgrid/core/services/timeLimit';
import { fieldError } from '../../../platform/errors.js';
import { stillMissing } from '../materials.js';
import type { ActionHandler } from './effect.js';

/**
 * 受理 of an online application after the window's pre-check: every required material is
 * there (uploaded by the resident), so the clock starts now, as at the window.
 */
export const accept: ActionHandler<'accept'> = ({ row, item, cal, now }, body) => {
  const open = stillMissing(row.materials);
  if (open.length)
    throw fieldError('materials', 'complete', 'APPLICATION_MATERIAL_MISSING', { name: open[0] as string });
  const clock = startClock(cal, now, item.timeLimitDays);
  return {
    note: body.note ?? null,
    set: {
      acceptedAt: new Date(now),
      dueAt: new Date(clock.dueAt),
      warnAt: new Date(clock.warnAt),
      pausedAt: null,
    },
  };
};
