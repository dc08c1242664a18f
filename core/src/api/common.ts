import { z } from 'zod';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export const idParam = z.object({ id: z.string().uuid() });
/** Serial ids are PostgreSQL `integer`s. */
export const intId = z.coerce.number().int().positive().max(2_147_483_647);
export const intIdParam = z.object({ id: intId });

export const okReply = z.object({ ok: z.literal(true) });
