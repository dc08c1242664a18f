import type { ServiceDisclosure } from '@civicgrid/core/api/disclosure';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { nameBook } from '../cases/names.js';
import { publicServiceFigures } from '../services/publicMetrics.js';

/*
 * 便民服务公开 (no login), beside the case figures of service.ts: per street, a month of the
 * service centre — applications, completed, on time, 好评率, proxy share — and the district's
 * busiest items. Every street, always (no area is chosen by the caller); no application,
 * no applicant, no clerk leaves through it.
 */

const cacheMs = 600_000;
const cache = new Map<string, { at: number; value: ServiceDisclosure }>();

function lastFullMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10) };
}

/** The published service figures of a month, by default the last full one; kept ten minutes. */
export async function publicServiceDisclosure(db: Db, asked?: string): Promise<ServiceDisclosure> {
  const thisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const month = asked ?? lastFullMonth(thisMonth);
  if (month > thisMonth) throw fieldError('month', 'notFuture', 'DISCLOSURE_MONTH_FUTURE');
  const hit = cache.get(month);
  if (hit && Date.now() - hit.at < cacheMs) return hit.value;
  const book = await nameBook(db);
  const figures = await publicServiceFigures(db, monthRange(month));
  const district = [...book.units.values()].find((u) => u.level === 'district');
  const streets = [...book.units.entries()]
    .filter(([, u]) => u.level === 'street')
    .sort((a, b) => a[1].path.localeCompare(b[1].path))
    .map(([id, s]) => ({
      street: s.name,
      ...(figures.byStreet.get(id) ?? {
        applications: 0,
        completed: 0,
        onTimeRate: null,
        goodRatingRate: null,
        proxyShare: null,
      }),
    }));
  const value = { month, district: district?.name ?? '', streets, items: figures.items };
  cache.set(month, { at: Date.now(), value });
  return value;
}
