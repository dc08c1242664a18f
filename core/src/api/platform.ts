import { z } from 'zod';

/** `GET /api/health` (public): the server is up, and on which database. */
export const health = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']) });
export type Health = z.infer<typeof health>;

/** `GET /api/config/public` (public): what the web needs before anyone signs in. */
export const publicConfig = z.object({ mapTileUrl: z.string() });
export type PublicConfig = z.infer<typeof publicConfig>;
