import type { Area } from '../../platform/scope.js';
import type { NameBook } from '../cases/names.js';

/*
 * 公开 (public disclosure, no login). Nobody is asking, so no jurisdiction applies: this is
 * the one reader of case figures without an actor, and what it may hand out is fixed here —
 * per street, a month's counts and rates (presenter.ts). No area is chosen by the caller
 * (every street, always), so a request cannot narrow the figures down to a handful of cases.
 */

/** The district the figures are published for. */
export function publishedDistrict(book: NameBook): string {
  return [...book.units.values()].find((u) => u.level === 'district')?.name ?? '';
}

/** The areas published: every street, in tree order; nothing smaller. */
export function publishedAreas(book: NameBook): Area[] {
  return [...book.units.entries()]
    .filter(([, u]) => u.level === 'street')
    .sort((a, b) => a[1].path.localeCompare(b[1].path))
    .map(([id, s]) => ({ id, name: s.name, level: s.level, path: s.path }));
}
