import type { ProxyPoint } from '@civicgrid/core/api/proxy';
import type { proxyPoints } from './tables.js';

export function presentPoint(
  r: typeof proxyPoints.$inferSelect,
  orgUnitName: string,
  agents: { id: string; name: string }[],
  applications: number,
): ProxyPoint {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    location: { lng: r.lng, lat: r.lat },
    orgUnitId: r.orgUnitId,
    orgUnitName,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    openingHours: r.openingHours,
    agents,
    retired: r.retiredAt !== null,
    applications,
  };
}
