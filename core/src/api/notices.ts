import { z } from 'zod';
import { intId, pageQuery } from './common.js';

/**
 * 通知公告: community and street staff publish notices, policies and public announcements to
 * an area of their jurisdiction; residents read those of their community and of the areas
 * above it (seed 001: 政策宣传, 微社区 "政策法规等查询服务"). Read once per resident, counted.
 */
export const noticeKinds = ['notice', 'policy', 'publicity'] as const;
export type NoticeKind = (typeof noticeKinds)[number];
export const noticeKindNames: Record<NoticeKind, string> = {
  notice: '通知',
  policy: '政策',
  publicity: '公示',
};

/** Where a notice stands, from its dates: waiting for its time, out, or withdrawn. */
export const noticeStatuses = ['scheduled', 'published', 'withdrawn'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

const title = z.string().trim().min(1, '请输入标题').max(100, '标题不超过 100 字');
/** Plain text; a blank line separates paragraphs. */
const body = z.string().trim().min(1, '请输入正文').max(20_000, '正文不超过 20000 字');

export const noticeInput = z.object({
  title,
  body,
  kind: z.enum(noticeKinds, { message: '请选择类别' }),
  /** The area it goes to: an org unit inside the writer's jurisdiction. */
  orgUnitId: intId,
  /** Uploaded files (`POST /api/files`) of the writer. */
  attachmentIds: z.array(z.string().uuid()).max(10, '附件不超过 10 个').optional(),
  /** When it is published; absent or past: now. */
  publishAt: z.string().datetime({ offset: true, message: '发布时间格式不正确' }).optional(),
  pinned: z.boolean().optional(),
});
export type NoticeInput = z.infer<typeof noticeInput>;

/** An edit: any field of the input; a withdrawn notice is not edited. */
export const noticePatch = noticeInput.partial();

export const noticeWithdrawInput = z.object({
  reason: z.string().trim().max(200, '撤回原因不超过 200 字').optional(),
});
export const noticePinInput = z.object({ pinned: z.boolean() });

export const noticeAttachment = z.object({ id: z.string().uuid(), name: z.string(), url: z.string() });

export const noticeListQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional(),
  kind: z.enum(noticeKinds).optional(),
  status: z.enum(noticeStatuses).optional(),
  /** Notices sent to this area or below it (inside the reader's jurisdiction). */
  orgUnitId: intId.optional(),
});

/** What staff see of a notice. */
export const notice = z.object({
  id: z.string().uuid(),
  title: z.string(),
  body: z.string(),
  kind: z.enum(noticeKinds),
  status: z.enum(noticeStatuses),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  publishAt: z.string(),
  pinned: z.boolean(),
  withdrawnAt: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  authorName: z.string(),
  authorUnit: z.string().nullable(),
  attachments: z.array(noticeAttachment),
  /** Residents who opened it, each once. */
  readCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the viewer may do to it now. */
  allowedActions: z.array(z.enum(['edit', 'withdraw', 'pin'])),
});
export type Notice = z.infer<typeof notice>;
export const noticeList = z.object({ items: z.array(notice), total: z.number().int() });

/** The resident's view: no author, no counts. */
export const myNotice = z.object({
  id: z.string().uuid(),
  title: z.string(),
  body: z.string(),
  kind: z.enum(noticeKinds),
  areaName: z.string(),
  publishAt: z.string(),
  pinned: z.boolean(),
  read: z.boolean(),
  attachments: z.array(noticeAttachment),
});
export type MyNotice = z.infer<typeof myNotice>;
export const myNoticeList = z.object({
  items: z.array(myNotice),
  total: z.number().int(),
  unread: z.number().int(),
  /** The community the list is for; null: the resident must pick one first. */
  community: z
    .object({ id: z.number().int(), name: z.string(), how: z.enum(['bound', 'picked']) })
    .nullable(),
});
export const myNoticeQuery = pageQuery.extend({ kind: z.enum(noticeKinds).optional() });

/** Communities a resident who is not bound to one may pick (all of the installation). */
export const noticeCommunity = z.object({ id: z.number().int(), name: z.string(), streetName: z.string() });
export const noticeCommunityList = z.object({ items: z.array(noticeCommunity) });
export const noticeCommunityPick = z.object({ communityId: intId });
