import { inArray, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db.js';
import { roles, users } from '../accounts/tables.js';
import { careCases, careCategories } from '../care/tables.js';
import { caseCategories, cases } from '../cases/tables.js';
import { departments, orgUnits } from '../org/tables.js';
import { buildings, organizations } from '../places/tables.js';
import { residents, residentTags } from '../residents/tables.js';

/**
 * The names of what audit rows are about, for one page of the log: a user's username, a
 * case's code, a unit's name… Nothing personal is shown in clear: a resident is his
 * surname and stars, a care case only its category.
 */
export async function subjectNames(
  db: Db,
  rows: { targetType: string | null; targetId: string | null }[],
): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.targetType || !r.targetId || !lookups[r.targetType]) continue;
    const ids = wanted.get(r.targetType) ?? new Set<string>();
    ids.add(r.targetId);
    wanted.set(r.targetType, ids);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...wanted].map(async ([type, ids]) => {
      const lookup = lookups[type];
      if (!lookup) return;
      for (const [id, name] of await lookup(db, [...ids])) names.set(`${type}:${id}`, name);
    }),
  );
  return names;
}

type Lookup = (db: Db, ids: string[]) => Promise<[string, string][]>;

/** Rows of `table` whose key (compared as text, so a bad id never fails the page) is one of `ids`. */
function byKey(table: PgTable, key: AnyPgColumn, name: AnyPgColumn | ReturnType<typeof sql>): Lookup {
  return async (db, ids) => {
    const rows = await db
      .select({ id: sql<string>`${key}::text`, name: sql<string>`${name}` })
      .from(table)
      .where(inArray(sql`${key}::text`, ids));
    return rows.map((r) => [r.id, r.name]);
  };
}

/** 高志刚 → 高**: enough to tell rows apart, not to identify the person. */
export function maskName(name: string): string {
  const chars = [...name];
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

const lookups: Record<string, Lookup> = {
  user: byKey(users, users.id, users.username),
  role: byKey(roles, roles.id, roles.name),
  case: byKey(cases, cases.id, cases.code),
  orgUnit: byKey(orgUnits, orgUnits.id, orgUnits.name),
  department: byKey(departments, departments.id, departments.name),
  caseCategory: byKey(caseCategories, caseCategories.code, caseCategories.name),
  careCategory: byKey(careCategories, careCategories.code, careCategories.name),
  residentTag: byKey(residentTags, residentTags.id, residentTags.name),
  building: byKey(buildings, buildings.id, buildings.name),
  organization: byKey(organizations, organizations.id, organizations.name),
  resident: async (db, ids) =>
    (await byKey(residents, residents.id, residents.name)(db, ids)).map(([id, n]) => [id, maskName(n)]),
  careCase: async (db, ids) => {
    const rows = await db
      .select({ id: sql<string>`${careCases.id}::text`, name: careCategories.name })
      .from(careCases)
      .innerJoin(careCategories, sql`${careCategories.code} = ${careCases.categoryCode}`)
      .where(inArray(sql`${careCases.id}::text`, ids));
    return rows.map((r) => [r.id, r.name]);
  },
};
