import type { Me } from '@civicgrid/core/api/auth';
import type { Actor } from './actor.js';
import type { TokenRow } from './service.js';

export function presentMe(actor: Actor): Me {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    roles: actor.roles,
    permissions: [...actor.permissions].sort(),
    jurisdiction: {
      orgUnitId: actor.orgUnitId,
      orgUnitName: actor.orgUnitName,
      level: actor.orgLevel,
      path: actor.orgPath,
      departmentId: actor.departmentId,
      departmentName: actor.departmentName,
    },
    mustChangePassword: actor.restricted === 'mustChangePassword',
    totpEnabled: actor.totpEnabled,
    totpRequired: actor.totpRequired,
    csrfToken: actor.csrfToken,
  };
}

export function presentToken(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
