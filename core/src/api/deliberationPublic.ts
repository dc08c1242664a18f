import { z } from 'zod';
import {
  commentHideReasons,
  controlCharacters,
  councilMemberCategories,
  residentTextLimits as limits,
} from '../participation/councils.js';
import { deliberationStates } from '../participation/deliberation.js';
import { intId, pageQuery } from './common.js';
import { deliberationInput, voteRules } from './deliberations.js';

/**
 * 议事协商 beyond the five steps (issue 19 item 7): residents' suggestions with their supports
 * (居民建议、附议), the public supervision page with residents' comments (居民群众全程监督), and
 * street councils (街道议事会) with their members by category.
 */

/** A resident's text: trimmed, within `max`, no control characters (a forged line, a bidi trick). */
const residentText = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `${label}至少 ${min} 个字`)
    .max(max, `${label}不能超过 ${max} 个字`)
    .refine((s) => !controlCharacters.test(s), `${label}含有不允许的控制字符`);

export const suggestionInput = z.object({
  /** The community the suggestion is for (the resident picks his own). */
  orgUnitId: intId,
  title: residentText('建议标题', limits.suggestionTitle.min, limits.suggestionTitle.max),
  body: residentText('建议内容', limits.suggestionBody.min, limits.suggestionBody.max),
  idempotencyKey: z.string().min(8).max(100),
});
export type SuggestionInput = z.infer<typeof suggestionInput>;
export const suggestionCreated = z.object({ id: z.string().uuid() });

export const suggestionListQuery = pageQuery.extend({
  /** A community, or (staff) any unit of the jurisdiction. */
  orgUnitId: intId.optional(),
  status: z.enum(['open', 'proposed']).optional(),
  sort: z.enum(['support', 'recent']).default('support'),
  q: z.string().trim().max(50).optional(),
  /** `posted`: the signed-in user's own suggestions, in whichever community. */
  mine: z.enum(['posted']).optional(),
});
export type SuggestionListQuery = z.infer<typeof suggestionListQuery>;

/** A suggestion as anyone sees it: its text and count, never who posted or supported it. */
export const suggestion = z.object({
  id: z.string().uuid(),
  title: z.string(),
  body: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  supportCount: z.number().int(),
  status: z.enum(['open', 'proposed']),
  deliberationId: z.string().uuid().nullable(),
  createdAt: z.string(),
  /** For the signed-in resident: his own, and whether he supports it. */
  mine: z.boolean(),
  supportedByMe: z.boolean(),
});
export type Suggestion = z.infer<typeof suggestion>;
export const suggestionList = z.object({ items: z.array(suggestion), total: z.number().int() });

export const supportReply = z.object({
  supportCount: z.number().int(),
  supportedByMe: z.boolean(),
});

/** 转为议题: the community proposes a deliberation from the suggestion (its text by default). */
export const suggestionProposeInput = deliberationInput
  .pick({ reviewDepartmentId: true, rules: true })
  .extend({
    title: deliberationInput.shape.title.optional(),
    proposal: deliberationInput.shape.proposal.optional(),
  });
export const suggestionProposed = z.object({
  deliberationId: z.string().uuid(),
  status: z.literal('proposed'),
});

export const commentInput = z.object({
  body: residentText('评论', limits.comment.min, limits.comment.max),
  idempotencyKey: z.string().min(8).max(100),
});
export const commentCreated = z.object({ id: z.string().uuid() });

export const commentHideInput = z.object({
  reason: z.enum(commentHideReasons, { error: '请选择屏蔽原因' }),
  note: z.string().trim().max(200).optional(),
});

/** A comment on the public page: its text and date; never its author. */
export const publicComment = z.object({
  id: z.string().uuid(),
  body: z.string(),
  at: z.string(),
});
export const publicCommentList = z.object({ items: z.array(publicComment), total: z.number().int() });
export const commentParam = z.object({ id: z.string().uuid(), commentId: z.string().uuid() });

/** Comments as staff moderate them: hidden ones too, with why. */
export const staffComment = publicComment.extend({
  hidden: z.boolean(),
  hiddenReason: z.enum(commentHideReasons).nullable(),
  hiddenNote: z.string().nullable(),
  hiddenAt: z.string().nullable(),
});
export const staffCommentList = z.object({ items: z.array(staffComment), total: z.number().int() });
export const commentListQuery = pageQuery;

/**
 * 居民群众全程监督 of one deliberation: every step with its date, the meeting's and vote's
 * counts, the texts the committee writes for the residents; no person's name or phone, no
 * meeting note, no trail of who took a step.
 */
export const publicDeliberationPage = z.object({
  id: z.string().uuid(),
  title: z.string(),
  proposal: z.string(),
  status: z.enum(deliberationStates),
  orgUnitName: z.string(),
  level: z.enum(['community', 'street']),
  meeting: z
    .object({
      at: z.string(),
      place: z.string().nullable(),
      representatives: z.number().int(),
      attendees: z.number().int(),
    })
    .nullable(),
  vote: z.object({ for: z.number().int(), against: z.number().int(), abstain: z.number().int() }).nullable(),
  decision: z.string().nullable(),
  implementation: z.string().nullable(),
  review: z.object({ passed: z.boolean(), note: z.string() }).nullable(),
  publishedAt: z.string().nullable(),
  steps: z.array(z.object({ step: z.string(), toState: z.string(), at: z.string() })),
  /** When it came from residents' suggestions: how many supported it. */
  suggestion: z.object({ supportCount: z.number().int() }).nullable(),
  comments: z.number().int(),
});
export const publicDeliberationPageList = z.object({
  items: z.array(publicDeliberationPage.omit({ steps: true })),
  total: z.number().int(),
});
export const publicDeliberationPageQuery = pageQuery.extend({ orgUnitId: intId.optional() });

export const councilInput = z.object({
  streetId: intId,
  name: z.string().trim().min(2, '请填写议事会名称').max(60),
  termStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写任期开始日期'),
  termEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请填写任期结束日期'),
});
export type CouncilInput = z.infer<typeof councilInput>;
export const councilCreated = z.object({ id: z.number().int() });

export const councilMemberInput = z.object({
  name: z.string().trim().min(2, '请填写姓名').max(30),
  category: z.enum(councilMemberCategories, { error: '请选择成员类别' }),
  affiliation: z.string().trim().max(60).optional(),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号')
    .optional(),
  joinedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
export type CouncilMemberInput = z.infer<typeof councilMemberInput>;
export const councilMemberCreated = z.object({ id: z.string().uuid() });

export const councilMember = z.object({
  id: z.string().uuid(),
  name: z.string(),
  category: z.enum(councilMemberCategories),
  affiliation: z.string().nullable(),
  /** Masked (*******1234); null when none is on file. */
  phone: z.string().nullable(),
  joinedOn: z.string(),
  /** Meetings of street-level deliberations he attended. */
  attended: z.number().int(),
});
export const council = z.object({
  id: z.number().int(),
  streetId: z.number().int(),
  streetName: z.string(),
  name: z.string(),
  termStart: z.string(),
  termEnd: z.string(),
  members: z.array(councilMember),
  byCategory: z.record(z.string(), z.number().int()),
});
export const councilList = z.object({
  items: z.array(council.omit({ members: true }).extend({ memberCount: z.number().int() })),
  total: z.number().int(),
});
export const councilListQuery = pageQuery.extend({ orgUnitId: intId.optional() });
export const councilMemberParam = z.object({ id: intId, memberId: z.string().uuid() });
export const councilIdParam = z.object({ id: intId });

export { voteRules };
