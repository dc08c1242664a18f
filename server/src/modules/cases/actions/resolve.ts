import { bindFiles } from '../photos.js';
import { dispatchers, gridTeamIds } from '../recipients.js';
import { type ActionHandler, endSteps, noticeTitle } from './effect.js';

/**
 * 办理完毕: the case waits for verification by its dispatchers or its grid's team. The level
 * that resolved it (department, the assigned unit's level, or the handler's) is kept for the
 * statistics of what was settled where.
 */
export const resolve: ActionHandler<'resolve'> = async ({ tx, actor, row, book, cat, now }, body) => {
  const photos = await bindFiles(tx, actor, row.id, body.attachmentIds, 'attachmentIds');
  const level =
    row.assigneeKind === 'department'
      ? 'department'
      : row.assigneeKind === 'orgUnit' && row.assigneeUnitId
        ? (book.units.get(row.assigneeUnitId)?.level ?? 'community')
        : (actor.orgLevel ?? 'department');
  return {
    note: body.result,
    attachmentIds: photos,
    set: {
      ...endSteps,
      resolvedAt: new Date(now),
      resolvedAtLevel: level,
      resolvedOnTime: row.resolveBy === null || now <= row.resolveBy.getTime(),
      extension: null,
    },
    notify: {
      ids: [...(await dispatchers(tx, row.handlingUnitId)), ...(await gridTeamIds(tx, row.gridId))],
      kind: 'case.resolved',
      title: `${noticeTitle.resolve}：${cat.name}`,
    },
  };
};
