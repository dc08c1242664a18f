import { z } from 'zod';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export const idParam = z.object({ id: z.string().uuid() });
export const intIdParam = z.object({ id: z.coerce.number().int().positive() });

export const okReply = z.object({ ok: z.literal(true) });
