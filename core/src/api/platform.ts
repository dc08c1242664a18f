import { z } from 'zod';

/** `GET /api/health` (public): the server is up, and on which database. */
export const health = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']) });
export type Health = z.infer<typeof health>;

/**
 * `GET /api/health/ready` (public): 200 `ready` when the database answers; 503 `unavailable`
 * when it does not, `draining` while the server shuts down (a balancer then sends nothing new).
 */
export const ready = z.object({
  status: z.enum(['ready', 'unavailable', 'draining']),
  database: z.enum(['pglite', 'postgresql']),
});
export type Ready = z.infer<typeof ready>;

/** `GET /api/config/public` (public): what the web needs before anyone signs in. */
export const publicConfig = z.object({ mapTileUrl: z.string() });
export type PublicConfig = z.infer<typeof publicConfig>;
