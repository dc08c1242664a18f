import { builtInRoles } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { roles } from '../modules/accounts/tables.js';
import type { Db } from '../platform/db.js';

/**
 * The built-in roles are the product's: on every start their names and permissions are
 * brought up to date; the one setting admins own (TOTP required) is left as they set it.
 */
export async function ensureBuiltIns(db: Db): Promise<void> {
  await db
    .insert(roles)
    .values(
      builtInRoles.map((r) => ({ code: r.code, name: r.name, builtIn: true, permissions: r.permissions })),
    )
    .onConflictDoUpdate({
      target: roles.code,
      set: { name: sql`excluded.name`, permissions: sql`excluded.permissions`, builtIn: true },
    });
}
