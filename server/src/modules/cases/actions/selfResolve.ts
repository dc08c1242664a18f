import { bindFiles } from '../photos.js';
import { dispatchers } from '../recipients.js';
import { type ActionHandler, endSteps, noticeTitle } from './effect.js';

/**
 * 自处置: a grid worker settles a minor case on the spot, with photos before and after; it
 * is resolved at grid level, on time, and still waits for verification.
 */
export const selfResolve: ActionHandler<'selfResolve'> = async ({ tx, actor, row, cat, now }, body) => {
  const before = await bindFiles(tx, actor, row.id, body.beforeAttachmentIds, 'beforeAttachmentIds');
  const after = await bindFiles(tx, actor, row.id, body.afterAttachmentIds, 'afterAttachmentIds');
  return {
    note: body.result,
    data: { before, after },
    attachmentIds: [...before, ...after],
    set: {
      ...endSteps,
      assigneeKind: 'user',
      assigneeUserId: actor.userId,
      resolvedAt: new Date(now),
      resolvedAtLevel: 'grid',
      resolvedOnTime: true,
    },
    notify: {
      ids: await dispatchers(tx, row.handlingUnitId),
      kind: 'case.resolved',
      title: `${noticeTitle.resolve}：${cat.name}`,
    },
  };
};
