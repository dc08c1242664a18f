import { z } from 'zod';
import { type WishAction, wishActions, wishStates } from '../participation/wishes.js';
import { intId, pageQuery } from './common.js';

/**
 * 微心愿 (issue 19 item 5). The contract outside checks rely on:
 * `POST /api/wishes {title, description, gridId, forResidentId?, idempotencyKey}` → 201
 * `{id, status:"submitted"}`; `POST /api/wishes/{id}/actions/{action}`; `GET /api/public/wishes`
 * → `{items}` without names, phones or addresses finer than the community.
 */
export const wishInput = z.object({
  title: z.string().trim().min(2, '请填写心愿（至少 2 个字）').max(50),
  description: z.string().trim().min(2, '请说明心愿（至少 2 个字）').max(500),
  /** The grid the wish belongs to: its grid workers review it, its community's volunteers claim it. */
  gridId: intId,
  /** Posted by a worker on behalf of a resident on file (in the worker's jurisdiction). */
  forResidentId: z.string().uuid().optional(),
  idempotencyKey: z.string().min(8).max(100),
});
export type WishInput = z.infer<typeof wishInput>;
export const wishCreated = z.object({ id: z.string().uuid(), status: z.literal('submitted') });

export const wishActionBodies = {
  publish: z.object({ note: z.string().trim().max(500).optional() }),
  claim: z.object({}),
  fulfil: z.object({
    note: z.string().trim().min(2, '请说明如何实现了心愿').max(1000),
    fileIds: z.array(z.string().uuid()).max(6).optional(),
  }),
  rate: z.object({
    rating: z.number().int().min(1, '评分为 1 到 5').max(5, '评分为 1 到 5'),
    comment: z.string().trim().max(500).optional(),
  }),
  withdraw: z.object({ reason: z.string().trim().max(500).optional() }),
} satisfies Record<WishAction, z.ZodType>;
export type WishActionBody<A extends WishAction> = z.infer<(typeof wishActionBodies)[A]>;

const [firstAction, ...otherActions] = wishActions;
export const wishActionBody = z.union([
  wishActionBodies[firstAction].loose().meta({ title: firstAction }),
  ...otherActions.map((a) => (wishActionBodies[a] as z.ZodObject).loose().meta({ title: a })),
]);
export const wishActionParam = z.object({ id: z.string().uuid(), action: z.enum(wishActions) });

export const wishListQuery = pageQuery.extend({
  status: z.enum(wishStates).optional(),
  /** Only those I posted (a resident's 我的心愿) or claimed (a volunteer's 我认领的). */
  mine: z.enum(['posted', 'claimed']).optional(),
  /** Only those escalated to the community for want of a claim. */
  escalated: z.enum(['true', 'false']).optional(),
  orgUnitId: intId.optional(),
});
export type WishListQuery = z.infer<typeof wishListQuery>;

export const wishSummary = z.object({
  id: z.string().uuid(),
  title: z.string(),
  status: z.enum(wishStates),
  gridId: z.number().int(),
  gridName: z.string(),
  communityName: z.string(),
  /** Staff see whom it is for; a volunteer and the public do not. */
  forResidentName: z.string().nullable(),
  claimedByName: z.string().nullable(),
  rating: z.number().int().nullable(),
  escalated: z.boolean(),
  createdAt: z.string(),
});
export type WishSummary = z.infer<typeof wishSummary>;
export const wishList = z.object({ items: z.array(wishSummary), total: z.number().int() });

export const wishDetail = wishSummary.extend({
  description: z.string(),
  postedByName: z.string().nullable(),
  fulfilNote: z.string().nullable(),
  fileIds: z.array(z.string().uuid()),
  ratingComment: z.string().nullable(),
  events: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
      at: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(wishActions)),
});
export type WishDetail = z.infer<typeof wishDetail>;

/** The public wall: what the wish is, in which community, where it stands — nobody's name. */
export const publicWishQuery = pageQuery.extend({ communityId: intId.optional() });
export const publicWish = z.object({
  id: z.string().uuid(),
  title: z.string(),
  status: z.enum(['published', 'claimed', 'fulfilled', 'rated']),
  communityName: z.string(),
  publishedAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
});
export const publicWishList = z.object({
  items: z.array(publicWish),
  total: z.number().int(),
  /** Counts per community over the wall's wishes (fulfilled includes rated). */
  counts: z.array(
    z.object({ communityName: z.string(), published: z.number().int(), fulfilled: z.number().int() }),
  ),
});

/** Grids a resident may post to: those of one community (the portal's picker). */
export const publicGridQuery = z.object({ communityId: intId });
export const publicGridList = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
