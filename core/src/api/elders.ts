import { z } from 'zod';
import { intId, pageQuery } from './common.js';
import { careLevels } from './eldercare.js';

/**
 * 老年人档案 (issue 20 item 1): the residents of 60 and over in the user's area, with their care
 * profile flags and 高龄津贴 (80+) — eligible, and the application if one was made. Health data
 * is not here: it is read one elder at a time (GET /api/elders/{id}/profile), audited.
 */
const flag = z.enum(['true', 'false']).optional();
export const elderListQuery = pageQuery.extend({
  /** Name (part of it). */
  q: z.string().trim().max(30).optional(),
  orgUnitId: intId.optional(),
  /** Lowest age shown (60 when absent); 80 lists those of 高龄津贴 age. */
  minAge: z.coerce.number().int().min(60, '最低年龄不能小于 60').max(120).optional(),
  livingAlone: flag,
  emptyNest: flag,
  careLevel: z.enum(careLevels).optional(),
  /** 高龄津贴: eligible (80+) with no application yet, or with one. */
  allowance: z.enum(['unapplied', 'applied']).optional(),
});
export type ElderListQuery = z.infer<typeof elderListQuery>;

export const elderSummary = z.object({
  /** The resident's id. */
  id: z.string().uuid(),
  name: z.string(),
  sex: z.enum(['male', 'female']),
  age: z.number().int(),
  gridName: z.string(),
  communityName: z.string().nullable(),
  livingAlone: z.boolean(),
  emptyNest: z.boolean(),
  disability: z.boolean(),
  careLevel: z.enum(careLevels),
  /** A wearable is bound to the elder. */
  hasDevice: z.boolean(),
  allowance: z.object({
    eligible: z.boolean(),
    /** The latest 高龄津贴 application for the elder, if any. */
    applicationId: z.string().uuid().nullable(),
    status: z.string().nullable(),
  }),
});
export type ElderSummary = z.infer<typeof elderSummary>;
export const elderList = z.object({ items: z.array(elderSummary), total: z.number().int() });
