/**
 * Generated people for the benchmarks: unique, valid GB 11643 ID numbers (region × birth date ×
 * sequence walk through a counter), names and phones from the seed's generators, and a grid
 * each. Used by the residents benchmark (the xlsx import and the growth to 2,000,000) and by the
 * city generator.
 */
import { idNumberCheckChar } from '@civicgrid/core';
import type { FieldCrypto } from '../src/platform/crypto.js';
import { seeded } from '../src/seed/geometry.js';
import { mobile, personName } from '../src/seed/people.js';

export interface BenchGrid {
  id: number;
  code: string;
  path: string;
}

export interface BenchPerson {
  name: string;
  idNumber: string;
  phone: string;
  grid: BenchGrid;
}

const regions = [
  '150203',
  '150202',
  '150204',
  '150205',
  '150206',
  '150207',
  '150221',
  '150102',
  '130102',
  '410105',
];

/** A generator of people spread over `grids`; `start` keeps clear of numbers used elsewhere. */
export function peopleGenerator(seed: string, grids: BenchGrid[], start = 5_000_000) {
  const rand = seeded(seed);
  let serial = start;
  const person = (): BenchPerson => {
    const i = serial++;
    const region = regions[i % regions.length] as string;
    const day = Math.floor(i / regions.length) % 29_200; // 80 years of birth dates
    const seq = Math.floor(i / (regions.length * 29_200));
    const birth = new Date(Date.UTC(1940, 0, 1) + day * 86_400_000);
    const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
    const first = `${region}${ymd}${String(seq).padStart(3, '0')}`;
    return {
      name: personName(rand),
      idNumber: `${first}${idNumberCheckChar(first)}`,
      phone: rand() < 0.8 ? mobile(rand) : '',
      grid: grids[i % grids.length] as BenchGrid,
    };
  };
  return { person, rand };
}

/** The residents-table CSV line of a person (for COPY), encrypted and blind-indexed as the app stores it. */
export function residentCsvLine(p: BenchPerson, crypto: FieldCrypto): string {
  const birth = `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`;
  return [
    `"${p.name.replaceAll('"', '""')}"`,
    crypto.encrypt(p.idNumber),
    crypto.blindIndex(p.idNumber),
    p.idNumber.slice(-4),
    p.phone ? crypto.encrypt(p.phone) : '',
    p.phone ? crypto.blindIndex(p.phone) : '',
    Number(p.idNumber[16]) % 2 ? 'male' : 'female',
    birth,
    p.idNumber.slice(0, 6),
    'registered',
    p.grid.id,
    p.grid.path,
  ].join(',');
}

/** The columns of `residentCsvLine`, in order, for `copy … (columns) from …`. */
export const residentCsvColumns =
  'name, id_number_enc, id_number_idx, id_number_tail, phone_enc, phone_idx, sex, birth_date, birthplace_code, residence_type, grid_id, org_path';
