import { z } from 'zod';
import { intId, pageOf, pageQuery } from './common.js';

/*
 * Outside systems (DESIGN.md §5 integration): Open311 API keys issued per client, and the
 * 12345 hotline bridge — work orders in, status callbacks out. The GeoReport v2 endpoints
 * themselves (/open311/v2/…) follow the GeoReport wording, not these schemas.
 */

export const open311KeyCreate = z.object({ name: z.string().trim().min(1).max(60) });
/** The key itself is in this reply only: the server keeps its hash. */
export const open311KeyCreated = z.object({ id: z.string().uuid(), name: z.string(), key: z.string() });
export const open311Key = z.object({
  id: z.string().uuid(),
  name: z.string(),
  /** The key's last four characters. */
  hint: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  uses: z.number().int(),
});
export type Open311Key = z.infer<typeof open311Key>;
export const open311KeyList = pageOf(open311Key);

/** A 12345 work order as the centre sends it (signed; see the hotline module). */
export const hotlineOrder = z.object({
  orderNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{4,40}$/, '工单编号为4–40位字母、数字、下划线或连字符'),
  category: z.string().trim().min(1).max(60),
  content: z.string().trim().min(2).max(2000),
  address: z.string().trim().max(200).optional(),
  location: z
    .object({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
    })
    .optional(),
  caller: z
    .object({
      name: z.string().trim().max(40).optional(),
      phone: z
        .string()
        .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '请输入正确的手机号或固定电话')
        .optional(),
    })
    .optional(),
  receivedAt: z.string().datetime({ offset: true }),
});
export type HotlineOrder = z.infer<typeof hotlineOrder>;
export const hotlineOrderReply = z.object({ caseId: z.string().uuid(), code: z.string() });

export const hotlineMapping = z.object({
  hotlineCategory: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  /** The hotline's own limits in natural hours; null = the category's own. */
  acceptHours: z.number().int().nullable(),
  replyHours: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type HotlineMapping = z.infer<typeof hotlineMapping>;
export const hotlineMappingList = z.object({ items: z.array(hotlineMapping) });
export const hotlineMappingInput = z.object({
  hotlineCategory: z.string().trim().min(1).max(60),
  categoryCode: z.string().min(1).max(16),
  acceptHours: z.number().int().min(1).max(720).nullable().optional(),
  replyHours: z.number().int().min(1).max(2160).nullable().optional(),
});
export type HotlineMappingInput = z.infer<typeof hotlineMappingInput>;
export const hotlineCategoryParam = z.object({ category: z.string().min(1).max(60) });

export const hotlineCallbackKinds = ['accepted', 'dispatched', 'resolved', 'closed'] as const;
export const hotlineCallbackStates = ['pending', 'delivered', 'dead'] as const;
export const hotlineCallback = z.object({
  id: z.number().int(),
  orderNo: z.string(),
  kind: z.enum(hotlineCallbackKinds),
  status: z.enum(hotlineCallbackStates),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  giveUpAt: z.string(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type HotlineCallback = z.infer<typeof hotlineCallback>;
export const hotlineCallbackList = pageOf(hotlineCallback);
export const hotlineCallbackQuery = pageQuery.extend({
  status: z.enum(hotlineCallbackStates).default('dead'),
});
export const hotlineCallbackParam = z.object({ id: intId });

/**
 * The 12345 bridge's settings as the console shows them: never the secret itself — whether one
 * is set, where from (set in the console, or the HOTLINE_SECRET default), and its last four
 * characters. Saved values override the environment's defaults.
 */
export const hotlineSettings = z.object({
  secretSource: z.enum(['console', 'environment', 'none']),
  secretHint: z.string().nullable(),
  secretSetAt: z.string().nullable(),
  callbackUrl: z.string().nullable(),
  callbackUrlSource: z.enum(['console', 'environment', 'none']),
  /** Where the 12345 centre sends its work orders (from PUBLIC_URL when configured). */
  ordersUrl: z.string(),
  updatedAt: z.string().nullable(),
});
export type HotlineSettings = z.infer<typeof hotlineSettings>;
export const hotlineSettingsInput = z.object({
  /** http(s) address the status callbacks go to; null clears it (back to HOTLINE_CALLBACK_URL). */
  callbackUrl: z
    .string()
    .trim()
    .max(500)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), { message: '回调地址须为 http 或 https' })
    .nullable(),
});
/** Without `secret` the server generates one (32 random bytes); a typed one has at least 16 characters. */
export const hotlineSecretInput = z.object({ secret: z.string().trim().min(16).max(200).optional() });
/** The new secret, shown this once: the server keeps it encrypted and never returns it again. */
export const hotlineSecretReply = z.object({ secret: z.string(), hint: z.string() });
