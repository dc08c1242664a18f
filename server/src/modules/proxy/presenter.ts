import { maskPhone } from '@civicgrid/core';
import type { MyProxyRequest, ProxyPoint, ProxyRequestView } from '@civicgrid/core/api/proxy';
import type { proxyPoints, proxyRequests } from './tables.js';

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

export interface RequestNames {
  item: Map<number, string>;
  unit: Map<number, string>;
  user: Map<string, string>;
}

/** A proxy request as its resident sees it. */
export function presentMyRequest(r: typeof proxyRequests.$inferSelect, names: RequestNames): MyProxyRequest {
  return {
    id: r.id,
    serviceCode: r.serviceCode,
    itemName: names.item.get(r.serviceItemId) ?? r.serviceCode,
    note: r.note,
    contactTime: r.contactTime,
    orgUnitName: names.unit.get(r.orgUnitId) ?? '',
    status: r.status,
    takenByName: r.takenBy ? (names.user.get(r.takenBy) ?? null) : null,
    applicationId: r.applicationId,
    consentAt: r.consentAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/** A proxy request as the grid's workers see it: the phone masked, never in clear. */
export function presentRequest(
  r: typeof proxyRequests.$inferSelect,
  names: RequestNames,
  phone: string | null,
  allowedActions: ('take' | 'cancel')[],
): ProxyRequestView {
  return {
    ...presentMyRequest(r, names),
    residentId: r.residentId,
    requesterName: names.user.get(r.requesterId) ?? '',
    phoneMasked: phone ? maskPhone(phone) : null,
    takenById: r.takenBy,
    allowedActions,
  };
}
