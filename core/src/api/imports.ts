import { z } from 'zod';

/** An upload accepted: the import runs in the background under this id. */
export const importStarted = z.object({ id: z.string() });

/** An import's progress, for whoever started it; the error report when rows were refused. */
export const importJob = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  fileName: z.string(),
  total: z.number(),
  imported: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  message: z.string().nullable(),
  errorReportUrl: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
