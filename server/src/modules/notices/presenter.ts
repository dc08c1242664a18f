import type { MyNotice, Notice } from '@civicgrid/core/api/notices';
import type { Actor } from '../../platform/auth/actor.js';
import { allowedNoticeActions, type NoticeRow } from './policy.js';

export interface NoticeExtras {
  orgUnitName: string;
  readCount: number;
  attachments: { id: string; mime: string }[];
}

const extensions: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** Files carry no name: an attachment is 附件1.jpg, 附件2.pdf… in the order the writer chose. */
function presentAttachments(files: NoticeExtras['attachments']) {
  return files.map((f, i) => ({
    id: f.id,
    name: `附件${i + 1}.${extensions[f.mime] ?? 'bin'}`,
    url: `/api/files/${f.id}`,
  }));
}

export function noticeStatus(row: NoticeRow, now = new Date()): Notice['status'] {
  if (row.withdrawnAt) return 'withdrawn';
  return row.publishAt > now ? 'scheduled' : 'published';
}

/** Staff's view: the author (a colleague), the read count, what they may do now. */
export function presentNotice(actor: Actor, row: NoticeRow, x: NoticeExtras): Notice {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    kind: row.kind,
    status: noticeStatus(row),
    orgUnitId: row.orgUnitId,
    orgUnitName: x.orgUnitName,
    publishAt: row.publishAt.toISOString(),
    pinned: row.pinned,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    withdrawReason: row.withdrawReason,
    authorName: row.authorName,
    authorUnit: row.authorUnit,
    attachments: presentAttachments(x.attachments),
    readCount: x.readCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    allowedActions: allowedNoticeActions(actor, row),
  };
}

/** A resident's view: who signed it is the area, not a staff member; no counts. */
export function presentMyNotice(row: NoticeRow, x: NoticeExtras & { read: boolean }): MyNotice {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    kind: row.kind,
    areaName: x.orgUnitName,
    publishAt: row.publishAt.toISOString(),
    pinned: row.pinned,
    read: x.read,
    attachments: presentAttachments(x.attachments),
  };
}
