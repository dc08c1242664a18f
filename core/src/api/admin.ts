import { z } from 'zod';

export const role = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  permissions: z.array(z.string()),
  totpRequired: z.boolean(),
  userCount: z.number().int(),
});
export const roleCreate = z.object({
  code: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{1,31}$/),
  name: z.string().trim().min(1).max(64),
  permissions: z.array(z.string()).max(200),
  totpRequired: z.boolean().default(false),
});
export const roleList = z.object({ items: z.array(role) });
export const permissionList = z.object({
  items: z.array(z.object({ name: z.string(), description: z.string() })),
});
export const roleUpdate = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  permissions: z.array(z.string()).max(200).optional(),
  totpRequired: z.boolean().optional(),
});

export const user = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  orgUnitId: z.number().int().nullable(),
  orgUnitName: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  roles: z.array(z.string()),
  /**
   * Holds a system, security or audit duty: the console does not change the account
   * (三员分立); whoever runs the server does, with `npm run admin:*`.
   */
  administrator: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export const userQuery = z.object({
  q: z.string().max(64).optional(),
  orgUnitId: z.coerce.number().int().positive().optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  role: z.string().max(32).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const userCreate = z
  .object({
    username: z.string().regex(/^[a-zA-Z0-9_.-]{3,32}$/),
    displayName: z.string().trim().min(1).max(64),
    phone: z
      .string()
      .regex(/^1\d{10}$/)
      .optional(),
    password: z.string().min(1).max(256),
    orgUnitId: z.number().int().positive().optional(),
    departmentId: z.number().int().positive().optional(),
    roles: z.array(z.string()).min(1).max(20),
  })
  .refine((u) => (u.orgUnitId === undefined) !== (u.departmentId === undefined), {
    message: 'bind the user to exactly one org unit or one department',
    path: ['orgUnitId'],
  });
export const userUpdate = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/)
    .nullable()
    .optional(),
  orgUnitId: z.number().int().positive().nullable().optional(),
  departmentId: z.number().int().positive().nullable().optional(),
  roles: z.array(z.string()).min(1).max(20).optional(),
  disabled: z.boolean().optional(),
});
export const passwordReset = z.object({ password: z.string().min(1).max(256) });
/** A user's phone in full: what `POST /api/users/{id}/reveal` answers (audited). */
export const revealedPhone = z.object({ phone: z.string().nullable() });

export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** What the target is called (username, case code, unit name; a resident masked), when known. */
  targetName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export const auditQuery = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(64).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** What `GET /api/audit-log/verify` finds: the hash chain, and the anchors written outside the database. */
export const auditChainVerdict = z.object({
  ok: z.boolean(),
  checked: z.number(),
  /** Rows written but not yet linked by the appender (each sealed by its writer). */
  pending: z.number().optional(),
  legacy: z.number(),
  badRow: z.object({ id: z.number(), reason: z.string() }).optional(),
  firstBadId: z.number().optional(),
  reason: z.string().optional(),
  anchors: z.object({
    checked: z.number(),
    failures: z.array(
      z.object({
        file: z.string(),
        line: z.number(),
        lastId: z.number().nullable(),
        reason: z.string(),
        detail: z.string().optional(),
      }),
    ),
  }),
});
export type AuditChainVerdict = z.infer<typeof auditChainVerdict>;
