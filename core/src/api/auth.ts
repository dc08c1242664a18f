import { z } from 'zod';
import { orgLevels } from '../org/levels.js';

export const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  totp: z
    .string()
    .regex(/^(\d{6}|[a-z0-9]{4}-[a-z0-9]{4})$/)
    .optional(),
  /** Sent by the big screen: an account holding screen:display gets a long, read-only session. */
  display: z.boolean().optional(),
});

export const jurisdiction = z.object({
  orgUnitId: z.number().int().nullable(),
  orgUnitName: z.string().nullable(),
  level: z.enum(orgLevels).nullable(),
  path: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
});

export const me = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  jurisdiction,
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof me>;

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const totpSetupReply = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpConfirmBody = z.object({ code: z.string().regex(/^\d{6}$/) });
export const totpConfirmReply = z.object({ recoveryCodes: z.array(z.string()) });

export const tokenCreateBody = z.object({
  name: z.string().min(1).max(64),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const token = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const tokenCreated = token.extend({ token: z.string() });
export const tokenList = z.object({ items: z.array(token) });
