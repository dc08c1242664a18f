import { sql } from 'drizzle-orm';
import { defineScope } from '../../platform/scope.js';
import { incidents } from './tables.js';

/**
 * Who sees an incident: holders of incident:read whose jurisdiction holds the unit it was
 * reported at. A notified person acknowledges his own notice (found by incident and user)
 * without reading the incident through this scope.
 */
export const incidentsScope = defineScope(incidents, {
  id: incidents.id,
  path: incidents.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('incident:read') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('incident:read') && inJurisdiction,
});
