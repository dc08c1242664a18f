import { builtInRoles } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { roles } from '../modules/accounts/tables.js';
import type { Db } from '../platform/db.js';

/**
 * The built-in roles are the product's: on every start their names and permissions are
 * brought up to date. TOTP required is the admins' setting — except for the roles whose
 * second factor is part of the role (the three administrators, core roles.ts): those are
 * set to require it on every start, so an upgraded database gets it and neither an edit
 * in the console (refused) nor one in the database outlives a restart.
 */
export async function ensureBuiltIns(db: Db): Promise<void> {
  await db
    .insert(roles)
    .values(
      builtInRoles.map((r) => ({
        code: r.code,
        name: r.name,
        builtIn: true,
        permissions: r.permissions,
        totpRequired: r.totpRequired ?? false,
      })),
    )
    .onConflictDoUpdate({
      target: roles.code,
      set: {
        name: sql`excluded.name`,
        permissions: sql`excluded.permissions`,
        builtIn: true,
        totpRequired: sql`${roles.totpRequired} or excluded.totp_required`,
      },
    });
}
