import { z } from 'zod';

/** 公开: a month, the last full one when unasked. */
export const disclosureQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM')
    .optional(),
});

/** One street's month: counts and rates only — no case text, no names, no numbers. */
export const disclosureStreet = z.object({
  street: z.string(),
  cases: z.number().int(),
  closed: z.number().int(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  gridResolvedShare: z.number().nullable(),
});
export const disclosure = z.object({
  month: z.string(),
  district: z.string(),
  streets: z.array(disclosureStreet),
});
export type Disclosure = z.infer<typeof disclosure>;

/**
 * 便民服务公开: the service centre's month per street and its busiest items — counts and
 * rates only, no application, no applicant, no clerk.
 */
export const serviceDisclosure = z.object({
  month: z.string(),
  district: z.string(),
  streets: z.array(
    z.object({
      street: z.string(),
      applications: z.number().int(),
      completed: z.number().int(),
      onTimeRate: z.number().nullable(),
      goodRatingRate: z.number().nullable(),
      proxyShare: z.number().nullable(),
    }),
  ),
  items: z.array(z.object({ name: z.string(), applications: z.number().int(), completed: z.number().int() })),
});
export type ServiceDisclosure = z.infer<typeof serviceDisclosure>;
