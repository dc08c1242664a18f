import { maskPhone } from '@civicgrid/core';
import type { user } from '@civicgrid/core/api/admin';
import type { z } from 'zod';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { users } from './tables.js';

export type UserRow = typeof users.$inferSelect;

/** Staff phones are personal data: always masked here; the reveal route shows them. */
export function presentUser(
  crypto: FieldCrypto,
  u: UserRow,
  extra: {
    roles: string[];
    administrator: boolean;
    orgUnitName: string | null;
    departmentName: string | null;
  },
): z.infer<typeof user> {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    phone: u.phoneEnc ? maskPhone(crypto.decrypt(u.phoneEnc)) : null,
    orgUnitId: u.orgUnitId,
    orgUnitName: extra.orgUnitName,
    departmentId: u.departmentId,
    departmentName: extra.departmentName,
    roles: extra.roles,
    administrator: extra.administrator,
    disabled: u.disabledAt !== null,
    lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil.toISOString() : null,
    mustChangePassword: u.mustChangePassword,
    totpEnabled: u.totpEnabledAt !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}
