import {
  type PublicReport,
  publicRoundingMetres,
  publicStatusNames,
  roundPoint,
} from '@civicgrid/core/api/publicReports';
import { residentCategories } from '@civicgrid/core/cases/residentCategories';
import type { CaseState } from '@civicgrid/core/cases/stateMachine';
import { and, between, desc, eq, gte, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { caseCategories, cases } from '../cases/tables.js';

/** A case's status in the public's words; rejected, cancelled and merged cases are not shown. */
const publicStatusOf: Partial<Record<CaseState, PublicReport['status']>> = {
  reported: 'open',
  accepted: 'open',
  dispatched: 'inProgress',
  in_progress: 'inProgress',
  rework: 'inProgress',
  resolved: 'fixed',
  verified: 'fixed',
  closed: 'closed',
};
const shownStates = Object.keys(publicStatusOf) as CaseState[];

/** What a resident calls a taxonomy leaf (the first plain-words entry mapped onto it). */
const residentNameOf = new Map<string, string>();
for (const c of residentCategories)
  if (!residentNameOf.has(c.categoryCode)) residentNameOf.set(c.categoryCode, c.name);

/**
 * A description the reporter allowed out still goes through this: a phone or ID number he
 * typed into it is not his to publish (nor, often, his own), nor is his own name. Masked whole.
 */
export function scrubNumbers(text: string, reporterName: string | null = null): string {
  const named = reporterName && reporterName.length >= 2 ? text.replaceAll(reporterName, '**') : text;
  return named
    .replace(/\d{17}[\dXx]|\d{15}/g, '******')
    .replace(/(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}/g, '******')
    .replace(/\d{3,4}-\d{7,8}/g, '******');
}

/**
 * The public map's reports: cases of the categories opened to it, in the area and period
 * asked, newest first — nothing that names a person (no reporter, no address text, no staff,
 * no notes, no photos), the point rounded to ~50 m, the description only with the reporter's
 * consent. The `ref` is the item's place in this reply, so no id leaves either.
 */
export async function publicReports(
  db: Db,
  q: { bbox?: string | undefined; since?: string | undefined; limit: number },
) {
  const since = q.since ? new Date(q.since) : new Date(Date.now() - 90 * 86_400_000);
  const cond: (SQL | undefined)[] = [
    eq(caseCategories.publicMap, true),
    inArray(cases.status, shownStates),
    isNull(cases.mergedInto),
    isNotNull(cases.lat),
    isNotNull(cases.lng),
    gte(cases.reportedAt, since),
  ];
  if (q.bbox) {
    const [minLng, minLat, maxLng, maxLat] = q.bbox.split(',').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    cond.push(between(cases.lng, minLng, maxLng), between(cases.lat, minLat, maxLat));
  }
  const rows = await db
    .select({
      status: cases.status,
      categoryCode: cases.categoryCode,
      categoryName: caseCategories.name,
      lat: cases.lat,
      lng: cases.lng,
      description: cases.description,
      publicDescription: cases.publicDescription,
      reporterName: cases.reporterName,
      reportedAt: cases.reportedAt,
      updatedAt: cases.updatedAt,
      closedAt: cases.closedAt,
    })
    .from(cases)
    .innerJoin(caseCategories, eq(caseCategories.code, cases.categoryCode))
    .where(and(...cond))
    .orderBy(desc(cases.reportedAt))
    .limit(q.limit);
  const items: PublicReport[] = rows.map((r, i) => {
    const status = publicStatusOf[r.status as CaseState] ?? 'open';
    return {
      ref: i + 1,
      category: residentNameOf.get(r.categoryCode) ?? r.categoryName,
      status,
      statusText: publicStatusNames[status],
      reportedAt: r.reportedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      location: roundPoint({ lat: r.lat as number, lng: r.lng as number }),
      description: r.publicDescription ? scrubNumbers(r.description, r.reporterName) : null,
    };
  });
  return { items, roundedTo: publicRoundingMetres };
}
