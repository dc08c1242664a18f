import { bindFiles } from '../photos.js';
import type { ActionHandler } from './effect.js';

/** 备注: a line (and photos) in the trail; the state stays. */
export const note: ActionHandler<'note'> = async ({ tx, actor, row }, body) => ({
  note: body.note,
  attachmentIds: await bindFiles(tx, actor, row.id, body.attachmentIds, 'attachmentIds'),
});
