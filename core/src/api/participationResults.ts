import { z } from 'zod';
import { intId } from './common.js';

/**
 * 共建共治 public results (issue 19 item 9): one month's figures for anyone — micro-wishes
 * fulfilled, volunteer hours, deliberation outcomes — as counts and published texts only, never
 * a person's name, phone or address.
 */
export const participationResultsQuery = z.object({
  /** The month, Beijing time; this month when absent. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
    .optional(),
  /** A street or community; the whole installation when absent. */
  orgUnitId: intId.optional(),
});
export type ParticipationResultsQuery = z.infer<typeof participationResultsQuery>;

export const participationResults = z.object({
  month: z.string(),
  wishes: z.object({
    /** Posted in the month. */
    posted: z.number().int(),
    /** Fulfilled in the month (whenever posted). */
    fulfilled: z.number().int(),
    /** Average rating of those rated in the month, one decimal; null with none. */
    averageRating: z.number().nullable(),
  }),
  volunteers: z.object({
    /** Hours credited for check-outs in the month, one decimal. */
    hours: z.number(),
    /** Distinct volunteers who served in the month. */
    people: z.number().int(),
    /** Activities held (started) in the month. */
    activities: z.number().int(),
  }),
  deliberations: z.object({
    /** Published in the month. */
    published: z.number().int(),
    adopted: z.number().int(),
  }),
  /** The month's published outcomes, newest first (at most 20). */
  outcomes: z.array(
    z.object({
      id: z.string().uuid(),
      title: z.string(),
      orgUnitName: z.string(),
      outcome: z.enum(['adopted', 'rejected']),
      decision: z.string().nullable(),
      publishedAt: z.string(),
    }),
  ),
  /** Per community, those with anything in the month, most wishes fulfilled first. */
  communities: z.array(
    z.object({
      name: z.string(),
      wishesFulfilled: z.number().int(),
      volunteerHours: z.number(),
    }),
  ),
});
export type ParticipationResults = z.infer<typeof participationResults>;
