import type { AreaGeometry } from '@civicgrid/core/api/org';
import type { ScreenCase, ScreenFeedItem, ScreenFeedKind, ScreenGrid } from '@civicgrid/core/api/screen';
import type { NameBook } from '../cases/names.js';

/*
 * Every reply of the big screen is built here field by field from non-personal columns: the
 * screen hangs on a wall where visitors see it (DESIGN.md §6). No reporter, phone, address
 * or case text is ever passed in.
 */

export function presentGrid(
  book: NameBook,
  r: { id: number; name: string; parentId: number | null; geometry: unknown; open: number; overdue: number },
): ScreenGrid {
  return {
    id: r.id,
    name: r.name,
    communityName: (r.parentId && book.units.get(r.parentId)?.name) || '',
    geometry: r.geometry as AreaGeometry,
    open: r.open,
    overdue: r.overdue,
  };
}

export function presentCase(
  book: NameBook,
  r: {
    id: string;
    code: string;
    categoryCode: string;
    status: string;
    overdue: boolean;
    lng: number | null;
    lat: number | null;
    reportedAt: Date;
  },
): ScreenCase {
  return {
    id: r.id,
    code: r.code,
    category: categoryName(book, r.categoryCode),
    status: r.status,
    overdue: r.overdue,
    lng: r.lng as number,
    lat: r.lat as number,
    reportedAt: r.reportedAt.toISOString(),
  };
}

/** Trail actions the feed shows, and how it names them (a case closed is told by its state). */
export const feedActions: Record<string, ScreenFeedKind> = {
  report: 'reported',
  selfResolve: 'reported',
  warning: 'warning',
  overdue: 'overdue',
  supervise: 'supervised',
  escalate: 'escalated',
};

export function presentFeedItem(
  book: NameBook,
  r: {
    id: number;
    action: string;
    at: Date;
    caseId: string;
    code: string;
    categoryCode: string;
    gridId: number | null;
    communityId: number | null;
    streetId: number | null;
    status: string;
    overdue: boolean;
    lng: number | null;
    lat: number | null;
  },
): ScreenFeedItem {
  return {
    id: r.id,
    kind: feedActions[r.action] ?? 'closed',
    at: r.at.toISOString(),
    caseId: r.caseId,
    code: r.code,
    category: categoryName(book, r.categoryCode),
    area: areaName(book, r),
    status: r.status,
    overdue: r.overdue,
    lng: r.lng,
    lat: r.lat,
  };
}

function categoryName(book: NameBook, code: string): string {
  return book.categories.get(code)?.name ?? code;
}

/** Where a case is, by the smallest unit that has a name: a grid already names its community. */
function areaName(
  book: NameBook,
  r: { gridId: number | null; communityId: number | null; streetId: number | null },
) {
  for (const id of [r.gridId, r.communityId, r.streetId]) {
    const name = id ? book.units.get(id)?.name : undefined;
    if (name) return name;
  }
  return '';
}
