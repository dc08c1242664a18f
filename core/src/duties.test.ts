import { describe, expect, it } from 'vitest';
import { dutiesOf, dutyConflict, holdsAdminDuty } from './duties.js';
import { builtInRoles } from './roles.js';

describe('separation of duties (三员分立)', () => {
  it('every built-in role satisfies it, and the three administrators hold one duty each', () => {
    for (const r of builtInRoles) expect(dutyConflict(r.permissions), r.code).toBeNull();
    const dutyOf = (code: string) => dutiesOf(builtInRoles.find((r) => r.code === code)?.permissions ?? []);
    expect(dutyOf('systemAdmin')).toEqual(['system']);
    expect(dutyOf('securityAdmin')).toEqual(['security']);
    expect(dutyOf('auditAdmin')).toEqual(['audit']);
    const admins = builtInRoles.filter((r) => holdsAdminDuty(r.permissions)).map((r) => r.code);
    expect(admins.sort()).toEqual(['auditAdmin', 'securityAdmin', 'systemAdmin']);
  });

  it('the three administrator roles, and only they, require a second factor', () => {
    const required = builtInRoles.filter((r) => r.totpRequired).map((r) => r.code);
    expect(required.sort()).toEqual(['auditAdmin', 'securityAdmin', 'systemAdmin']);
  });

  it('refuses any two duties together, naming the permissions', () => {
    expect(dutyConflict(['user:write', 'audit:read'])?.permissions).toEqual(['user:write', 'audit:read']);
    expect(dutyConflict(['org:write', 'role:write'])?.duties).toEqual(['system', 'security']);
    expect(dutyConflict(['system:configure', 'audit:read'])?.duties).toEqual(['system', 'audit']);
    expect(dutyConflict(['audit:read', 'user:write', 'role:write', 'pii:reveal'])?.permissions).toEqual([
      'user:write',
      'role:write',
      'audit:read',
      'pii:reveal',
    ]);
  });

  it('refuses pii:reveal beside any single duty, and allows it without one', () => {
    for (const duty of ['user:write', 'role:write', 'audit:read', 'org:write', 'system:configure'])
      expect(dutyConflict([duty, 'pii:reveal'])?.message, duty).toContain('pii:reveal');
    expect(dutyConflict(['pii:reveal', 'resident:read', 'user:read', 'assessment:configure'])).toBeNull();
  });

  it('reading accounts and roles is no duty', () => {
    expect(holdsAdminDuty(['user:read', 'role:read', 'org:read', 'assessment:configure'])).toBe(false);
    expect(dutyConflict(['user:read', 'role:read', 'audit:read'])).toBeNull();
  });
});
