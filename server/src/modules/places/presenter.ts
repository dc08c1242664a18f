import { maskPhone } from '@civicgrid/core';
import { type Building, type Facility, facilityTypes, type Organization } from '@civicgrid/core/api/places';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { NameBook } from '../cases/names.js';
import type { buildings, facilities, organizations } from './tables.js';

export type BuildingRow = typeof buildings.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;
export type FacilityRow = typeof facilities.$inferSelect;

export function gridNames(book: NameBook, gridId: number) {
  const g = book.units.get(gridId);
  return {
    gridName: g?.name ?? '',
    communityName: g?.parentId ? (book.units.get(g.parentId)?.name ?? null) : null,
  };
}

export function presentBuilding(
  b: BuildingRow,
  book: NameBook,
  c?: { units: number; people: number },
): Building {
  return {
    id: b.id,
    code: b.code,
    name: b.name,
    address: b.address,
    type: b.type as Building['type'],
    floors: b.floors,
    gridId: b.gridId,
    ...gridNames(book, b.gridId),
    lng: b.lng,
    lat: b.lat,
    housingUnits: c?.units ?? 0,
    residents: c?.people ?? 0,
  };
}

/** The contact's phone is personal data: it leaves masked, like a resident's. */
export function presentOrganization(o: OrganizationRow, crypto: FieldCrypto, book: NameBook): Organization {
  return {
    id: o.id,
    name: o.name,
    creditCode: o.creditCode,
    kind: o.kind as Organization['kind'],
    address: o.address,
    gridId: o.gridId,
    gridName: gridNames(book, o.gridId).gridName,
    buildingId: o.buildingId,
    lng: o.lng,
    lat: o.lat,
    contactName: o.contactName,
    contactPhone: o.contactPhoneEnc ? maskPhone(crypto.decrypt(o.contactPhoneEnc)) : null,
    employees: o.employees,
    notes: o.notes,
  };
}

export function presentFacility(f: FacilityRow, book: NameBook): Facility {
  return {
    id: f.id,
    code: f.code,
    typeCode: f.typeCode,
    typeName: facilityTypes[f.typeCode] ?? f.typeCode,
    name: f.name,
    state: f.state as Facility['state'],
    gridId: f.gridId,
    gridName: gridNames(book, f.gridId).gridName,
    lng: f.lng,
    lat: f.lat,
    owner: f.owner,
  };
}
