import type { Actor } from '../../platform/auth/actor.js';
import type { AppError } from '../../platform/errors.js';
import { fieldError } from '../../platform/errors.js';
import { defineScope, pathInScope, type Scope } from '../../platform/scope.js';
import { residents } from './tables.js';

/** Residents: a user sees the people registered in his jurisdiction (their grid's path). */
export const residentScope: Scope<typeof residents> = defineScope(residents, {
  id: residents.id,
  path: residents.orgPath,
});

/** The stable rule name of a row or request refused because the record is someone else's. */
export const otherJurisdictionRule = 'otherJurisdiction';
export const otherJurisdictionMessage = '已在其他辖区登记，请走迁移流程';

/**
 * An ID number (or credit code) already registered outside the actor's jurisdiction: the
 * record is not theirs to update or to take over. The refusal names no name and no area.
 */
export function registeredElsewhere(actor: Actor, orgPath: string | null): boolean {
  return orgPath !== null && !pathInScope(actor, orgPath);
}

export function otherJurisdiction(field: string): AppError {
  return fieldError(field, otherJurisdictionRule, 'RECORD_IN_OTHER_JURISDICTION');
}
