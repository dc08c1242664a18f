import { z } from 'zod';

/**
 * The homes of the three administrators (等保 2.0 三员): each sees only what its duty
 * covers — the system admin the platform's imports, the security admin the accounts, the
 * audit admin the day's trail.
 */

/** `GET /api/overview/system` (system:configure): imports of the last seven days. */
export const systemOverview = z.object({
  imports: z.object({
    running: z.number().int(),
    failed: z.number().int(),
    done: z.number().int(),
    recent: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        status: z.enum(['queued', 'running', 'done', 'failed']),
        total: z.number().int(),
        imported: z.number().int(),
        failed: z.number().int(),
        createdAt: z.string(),
        finishedAt: z.string().nullable(),
      }),
    ),
  }),
});
export type SystemOverview = z.infer<typeof systemOverview>;

const account = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
});

/** `GET /api/overview/security` (user:read): accounts that need the security admin. */
export const securityOverview = z.object({
  locked: z.object({
    count: z.number().int(),
    items: z.array(account.extend({ lockedUntil: z.string() })),
  }),
  /** Active accounts whose role requires TOTP and that have not enrolled. */
  totpMissing: z.object({
    count: z.number().int(),
    items: z.array(account.extend({ roles: z.array(z.string()) })),
  }),
  /** Accounts whose last logins failed (the counter a success resets), most failures first. */
  failing: z.object({
    count: z.number().int(),
    items: z.array(account.extend({ failures: z.number().int() })),
  }),
});
export type SecurityOverview = z.infer<typeof securityOverview>;

/** `GET /api/overview/audit` (audit:read): today's trail (China time) by action. */
export const auditOverview = z.object({
  day: z.string(),
  total: z.number().int(),
  byAction: z.array(z.object({ action: z.string(), count: z.number().int() })),
});
export type AuditOverview = z.infer<typeof auditOverview>;
