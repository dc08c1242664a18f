import { defineScope, type Scope } from '../../platform/scope.js';
import { buildings, facilities, households, housingUnits, organizations } from './tables.js';

/*
 * Places are scoped by the grid they stand in: each row carries its grid's org path, and a
 * user sees the places of his jurisdiction. Who may write them is the route's permission
 * (place:write; households resident:write), checked before the service runs.
 */
export const buildingScope: Scope<typeof buildings> = defineScope(buildings, {
  id: buildings.id,
  path: buildings.orgPath,
});
export const housingUnitScope: Scope<typeof housingUnits> = defineScope(housingUnits, {
  id: housingUnits.id,
  path: housingUnits.orgPath,
});
export const householdScope: Scope<typeof households> = defineScope(households, {
  id: households.id,
  path: households.orgPath,
});
export const organizationScope: Scope<typeof organizations> = defineScope(organizations, {
  id: organizations.id,
  path: organizations.orgPath,
});
export const facilityScope: Scope<typeof facilities> = defineScope(facilities, {
  id: facilities.id,
  path: facilities.orgPath,
});
