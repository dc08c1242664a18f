import type { Disclosure } from '@civicgrid/core/api/disclosure';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { publicAreaMetrics } from '../cases/metrics.js';
import { nameBook } from '../cases/names.js';

/*
 * 公开 (public disclosure, no login). Nobody is asking, so no jurisdiction applies: this is
 * the one reader of case figures without an actor, and what it may hand out is fixed here —
 * per street, a month's counts and rates. No case, no text, no name, no number of anyone
 * leaves through it, and no area is chosen by the caller (every street, always), so a
 * request cannot narrow the figures down to a handful of cases.
 */

const cacheMs = 600_000;
const cache = new Map<string, { at: number; value: Disclosure }>();

/** The month before `month` (YYYY-MM). */
function lastFullMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The first and last China dates of a month (YYYY-MM). */
function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10) };
}

/**
 * The published figures of a month, by default the last full one (the current month has only
 * its first days); a future month is refused. Each month's answer is kept ten minutes.
 */
export async function publicDisclosure(db: Db, asked?: string): Promise<Disclosure> {
  const thisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const month = asked ?? lastFullMonth(thisMonth);
  if (month > thisMonth) throw fieldError('month', 'notFuture', 'DISCLOSURE_MONTH_FUTURE');
  const hit = cache.get(month);
  if (hit && Date.now() - hit.at < cacheMs) return hit.value;
  const range = monthRange(month);
  const book = await nameBook(db);
  const district = [...book.units.values()].find((u) => u.level === 'district');
  const streets = [...book.units.entries()]
    .filter(([, u]) => u.level === 'street')
    .sort((a, b) => a[1].path.localeCompare(b[1].path));
  const rows: Disclosure['streets'] = [];
  for (const [id, s] of streets) {
    const m = await publicAreaMetrics(db, { id, name: s.name, level: s.level, path: s.path }, range);
    rows.push({
      street: s.name,
      cases: m.total,
      closed: m.byStatus.closed ?? 0,
      onTimeRate: m.onTimeRate,
      satisfactionRate: m.satisfactionRate,
      gridResolvedShare: m.gridResolvedShare,
    });
  }
  const value = { month, district: district?.name ?? '', streets: rows };
  cache.set(month, { at: Date.now(), value });
  return value;
}
