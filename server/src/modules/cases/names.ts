import type { Db } from '../../platform/db.js';
import { departments, orgUnits } from '../org/tables.js';
import { caseCategories } from './tables.js';

type CategoryRow = typeof caseCategories.$inferSelect;

export interface NameBook {
  units: Map<number, { name: string; level: string; parentId: number | null; path: string }>;
  departments: Map<number, string>;
  categories: Map<string, CategoryRow>;
}

/**
 * Names of units, departments and categories, which every case reply shows: a few hundred
 * rows kept in memory instead of four joins per listed case. Rebuilt after a change here,
 * and at most 30 s old after another process's change.
 */
let cached: { book: NameBook; at: number } | null = null;
const maxAgeMs = 30_000;

export function invalidateNames(): void {
  cached = null;
}

export async function nameBook(db: Db): Promise<NameBook> {
  if (cached && Date.now() - cached.at < maxAgeMs) return cached.book;
  const [u, d, c] = await Promise.all([
    db
      .select({
        id: orgUnits.id,
        name: orgUnits.name,
        level: orgUnits.level,
        parentId: orgUnits.parentId,
        path: orgUnits.path,
      })
      .from(orgUnits),
    db.select({ id: departments.id, name: departments.name }).from(departments),
    db.select().from(caseCategories),
  ]);
  const book: NameBook = {
    units: new Map(u.map((r) => [r.id, r])),
    departments: new Map(d.map((r) => [r.id, r.name])),
    categories: new Map(c.map((r) => [r.code, r])),
  };
  cached = { book, at: Date.now() };
  return book;
}
