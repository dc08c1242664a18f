import { z } from 'zod';

/*
 * Smart routing (智能派单, issue 17 item 9): the category and department suggested for a case
 * from its description, by a classifier trained on the platform's own closed cases.
 */

export const routingCandidate = z.object({
  categoryCode: z.string(),
  categoryName: z.string(),
  /** Posterior probability among the trained categories, 0–1. */
  confidence: z.number().min(0).max(1),
});
export type RoutingCandidate = z.infer<typeof routingCandidate>;

export const routingSuggestion = z.object({
  /**
   * `suggested`: a model exists and ranked this case; `insufficientData`: too few closed cases
   * to train on (a fresh installation) — nothing is suggested.
   */
  status: z.enum(['suggested', 'insufficientData']),
  /** Closed cases the platform holds and how many training needs (shown with insufficientData). */
  closedCases: z.number().int(),
  needed: z.number().int(),
  /** Up to three categories, likeliest first. */
  candidates: z.array(routingCandidate),
  /** The department the first category is handled by (its handler department), if it names one. */
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** True when this is the suggestion stored as the case arrived; false when ranked now. */
  stored: z.boolean(),
  suggestedAt: z.string().nullable(),
  modelTrainedAt: z.string().nullable(),
});
export type RoutingSuggestion = z.infer<typeof routingSuggestion>;

export const routingModelStatus = z.object({
  status: z.enum(['trained', 'insufficientData']),
  closedCases: z.number().int(),
  needed: z.number().int(),
  trainedAt: z.string().nullable(),
  trainedOn: z.number().int(),
  categories: z.number().int(),
  /** Accuracy on 20 % of the closed cases held back when the model was trained (fixed seed). */
  holdout: z.object({ n: z.number().int(), top1: z.number(), top3: z.number() }).nullable(),
  /** Of the closed cases that got a suggestion when they arrived: how often it was right. */
  live: z.object({ n: z.number().int(), top1: z.number(), top3: z.number() }),
});
export type RoutingModelStatus = z.infer<typeof routingModelStatus>;
