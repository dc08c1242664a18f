import { maskPhone } from '@civicgrid/core';
import type { Attachment, CaseCategory, CaseDetail, CaseEvent, CaseSummary } from '@civicgrid/core/api/cases';
import type { CaseAction } from '@civicgrid/core/cases/stateMachine';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { NameBook } from './names.js';
import type { caseCategories, caseEvents, cases, files } from './tables.js';

type CaseRow = typeof cases.$inferSelect;
type FileRow = typeof files.$inferSelect;
type EventRow = typeof caseEvents.$inferSelect;
type CategoryRow = typeof caseCategories.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCategory(c: CategoryRow, book: NameBook): CaseCategory {
  return {
    code: c.code,
    name: c.name,
    parentCode: c.parentCode,
    handlerKind: c.handlerKind,
    handlerDepartmentId: c.handlerDepartmentId,
    handlerDepartmentName: c.handlerDepartmentId
      ? (book.departments.get(c.handlerDepartmentId) ?? null)
      : null,
    clock: c.clock,
    acceptMinutes: c.acceptMinutes,
    dispatchMinutes: c.dispatchMinutes,
    resolveMinutes: c.resolveMinutes,
    priority: c.priority,
    selfResolvable: c.selfResolvable,
    autoEscalate: c.autoEscalate,
    publicMap: c.publicMap,
    retired: c.retiredAt !== null,
  };
}

export function presentFile(f: FileRow): Attachment {
  return {
    id: f.id,
    mime: f.mime,
    size: f.size,
    width: f.width,
    height: f.height,
    url: `/api/files/${f.id}`,
    thumbUrl: `/api/files/${f.id}/thumb`,
  };
}

export function presentSummary(
  row: CaseRow,
  book: NameBook,
  userNames: ReadonlyMap<string, string>,
  now = Date.now(),
): CaseSummary {
  const unitName = (id: number | null) => (id === null ? null : (book.units.get(id)?.name ?? null));
  const handling = book.units.get(row.handlingUnitId);
  let assignee: CaseSummary['assignee'] = null;
  if (row.assigneeKind === 'department' && row.assigneeDepartmentId !== null)
    assignee = {
      kind: 'department',
      id: String(row.assigneeDepartmentId),
      name: book.departments.get(row.assigneeDepartmentId) ?? '',
    };
  else if (row.assigneeKind === 'orgUnit' && row.assigneeUnitId !== null)
    assignee = { kind: 'orgUnit', id: String(row.assigneeUnitId), name: unitName(row.assigneeUnitId) ?? '' };
  else if (row.assigneeKind === 'user' && row.assigneeUserId !== null)
    assignee = { kind: 'user', id: row.assigneeUserId, name: userNames.get(row.assigneeUserId) ?? '' };
  const open = row.step !== 'none';
  return {
    id: row.id,
    code: row.code,
    status: row.status as CaseSummary['status'],
    categoryCode: row.categoryCode,
    categoryName: book.categories.get(row.categoryCode)?.name ?? row.categoryCode,
    channel: row.channel as CaseSummary['channel'],
    priority: row.priority as CaseSummary['priority'],
    description: row.description,
    address: row.address,
    location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
    gridId: row.gridId,
    gridName: unitName(row.gridId),
    communityId: row.communityId,
    communityName: unitName(row.communityId),
    streetId: row.streetId,
    streetName: unitName(row.streetId),
    handlingUnitId: row.handlingUnitId,
    handlingUnitName: handling?.name ?? '',
    handlingLevel: handling?.level ?? 'district',
    assignee,
    deadlines: {
      step: row.step,
      dueAt: iso(row.dueAt),
      warnAt: iso(row.warnAt),
      acceptBy: iso(row.acceptBy),
      dispatchBy: iso(row.dispatchBy),
      resolveBy: iso(row.resolveBy),
      supervisionDueAt: iso(row.supervisionDueAt),
    },
    // Computed from the clock as well as the job's flags, so a list is right between sweeps.
    warning:
      open &&
      row.warnAt !== null &&
      row.warnAt.getTime() <= now &&
      !(row.dueAt && row.dueAt.getTime() <= now),
    overdue: open && (row.overdue || (row.dueAt !== null && row.dueAt.getTime() <= now)),
    supervised: row.supervised,
    reportedAt: row.reportedAt.toISOString(),
    closedAt: iso(row.closedAt),
  };
}

/** The reporter's phone is masked here, always: `POST /api/cases/{id}/reporter/reveal` shows it, audited. */
export function presentDetail(
  row: CaseRow,
  book: NameBook,
  userNames: ReadonlyMap<string, string>,
  extra: {
    crypto: FieldCrypto;
    attachments: FileRow[];
    allowedActions: CaseAction[];
    duplicates: CaseDetail['duplicates'];
  },
): CaseDetail {
  const phone = row.reporterPhoneEnc ? maskPhone(extra.crypto.decrypt(row.reporterPhoneEnc)) : null;
  return {
    ...presentSummary(row, book, userNames),
    reporter: row.reporterName || phone ? { name: row.reporterName, phone } : null,
    attachments: extra.attachments.map(presentFile),
    rating: row.rating as CaseDetail['rating'],
    ratingComment: row.ratingComment,
    reworkCount: row.reworkCount,
    mergedInto: row.mergedInto,
    extension: row.extension,
    supervision: row.supervision,
    allowedActions: extra.allowedActions,
    duplicates: extra.duplicates,
  };
}

export function presentEvent(e: EventRow, filesById: ReadonlyMap<string, FileRow>): CaseEvent {
  return {
    id: e.id,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    actorName: e.actorName,
    at: e.at.toISOString(),
    note: e.note,
    data: e.data,
    attachments: (e.attachmentIds ?? []).flatMap((id) => {
      const f = filesById.get(id);
      return f ? [presentFile(f)] : [];
    }),
  };
}
