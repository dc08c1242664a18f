import { and, isNull, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { userScope } from '../accounts/policy.js';
import { users } from '../accounts/tables.js';

/*
 * Who reads which overview. Each administrator's home is read with his own duty's permission
 * (the route's access: system:configure, user:read, audit:read — 等保 2.0 separation of
 * duties). Import jobs and the audit trail carry no org path: the system and the audit
 * administrator read the whole of them, so the permission is all their policy. The security
 * administrator's figures are over the accounts he manages, and that is decided here.
 */

/** The active accounts the security administrator manages (accounts/policy.ts `userScope`). */
export function managedAccounts(actor: Actor): SQL {
  return and(userScope.where(actor), isNull(users.disabledAt)) as SQL;
}
