import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type { Resident } from '@civicgrid/core/api/residents';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { NameBook } from '../cases/names.js';
import type { residents } from './tables.js';

export type ResidentRow = typeof residents.$inferSelect;

/** Age in full years on today's date in Beijing time. */
export function ageOf(birthDate: string, now = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date(now.getTime() + 8 * 3_600_000);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age;
}

/**
 * The presenter: ID and phone numbers leave masked, always; revealing is its own, audited
 * request. The masked number hides digits 7–14, which are the birth date (GB 11643), so
 * the birth date is masked with it: with the birth date beside `150221********7305` the
 * number is whole again. Only the age leaves, unless the caller has audited a reveal
 * (`revealIdNumber`, the export with reveal=true): then the full number and the date.
 */
export function presentResident(
  r: ResidentRow,
  crypto: FieldCrypto,
  book: NameBook,
  opts: { revealIdNumber?: boolean } = {},
): Resident {
  const grid = book.units.get(r.gridId);
  return {
    id: r.id,
    name: r.name,
    idNumber: opts.revealIdNumber
      ? crypto.decrypt(r.idNumberEnc)
      : maskIdNumber(`${r.birthplaceCode}${'0'.repeat(8)}${r.idNumberTail}`),
    phone: r.phoneEnc ? maskPhone(crypto.decrypt(r.phoneEnc)) : null,
    sex: r.sex,
    birthDate: opts.revealIdNumber ? r.birthDate : null,
    age: ageOf(r.birthDate),
    birthplaceCode: r.birthplaceCode,
    residenceType: r.residenceType as Resident['residenceType'],
    gridId: r.gridId,
    gridName: grid?.name ?? '',
    communityName: grid?.parentId ? (book.units.get(grid.parentId)?.name ?? null) : null,
    relationToHead: r.relationToHead,
    tags: r.tags,
    notes: r.notes,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * A household's members as a building or a profile lists them: the head first, then the
 * oldest. Only the age leaves (the birth date is the masked part of the ID number), and
 * people are ordered by age and name rather than by birth date, so the order does not
 * tell who of two of the same age was born first.
 */
export function occupantsInOrder(
  people: { id: string; name: string; relationToHead: string | null; birthDate: string }[],
) {
  return people
    .map((p) => ({ id: p.id, name: p.name, relationToHead: p.relationToHead, age: ageOf(p.birthDate) }))
    .sort(
      (a, b) =>
        Number(b.relationToHead === '户主') - Number(a.relationToHead === '户主') ||
        b.age - a.age ||
        a.name.localeCompare(b.name, 'zh-CN'),
    );
}
