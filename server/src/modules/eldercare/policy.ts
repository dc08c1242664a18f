import type { Actor } from '../../platform/auth/actor.js';
import { defineScope, pathInScope } from '../../platform/scope.js';
import { deviceAlerts, devices, elderProfiles } from './tables.js';

/**
 * Who sees what of eldercare (DESIGN.md §3): a device, its alerts and its elder's file belong
 * to the grid of the elder; those holding eldercare:read whose jurisdiction holds that grid
 * see them — the grid's team, the community's care staff, the street and district dispatchers.
 * Every query of this module reads through these scopes.
 */
export const devicesScope = defineScope(devices, { id: devices.id, path: devices.orgPath });
export const alertsScope = defineScope(deviceAlerts, { id: deviceAlerts.id, path: deviceAlerts.orgPath });
export const elderProfilesScope = defineScope(elderProfiles, {
  id: elderProfiles.residentId,
  path: elderProfiles.orgPath,
});

/** Whether a live eldercare event (position, alert) may go to this user's stream. */
export function liveEventVisible(actor: Actor, orgPath: string): boolean {
  return actor.permissions.has('eldercare:read') && pathInScope(actor, orgPath);
}

/**
 * Health data (chronic conditions) is need-to-know: eldercare:read in the elder's jurisdiction
 * is the grid team, the community's care staff and the dispatchers above them; the read is
 * audited by the caller.
 */
export function mayReadHealth(actor: Actor, orgPath: string): boolean {
  return actor.permissions.has('eldercare:read') && pathInScope(actor, orgPath);
}
