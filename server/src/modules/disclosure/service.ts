import type { Disclosure } from '@civicgrid/core/api/disclosure';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { publicAreaMetrics } from '../cases/metrics.js';
import { nameBook } from '../cases/names.js';
import { publishedAreas, publishedDistrict } from './policy.js';
import { presentStreet } from './presenter.js';

/*
 * 公开 (public disclosure, no login): which areas are published is policy.ts, what of them
 * is presenter.ts; this reads the figures and keeps them a while.
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
  const rows: Disclosure['streets'] = [];
  for (const area of publishedAreas(book))
    rows.push(presentStreet(area.name ?? '', await publicAreaMetrics(db, area, range)));
  const district = publishedDistrict(book);
  const value = { month, district, streets: rows };
  cache.set(month, { at: Date.now(), value });
  return value;
}
