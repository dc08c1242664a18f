import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type { ApplicationDetail, ServiceItem } from '@civicgrid/core/api/services';
import {
  elapsed,
  localDay,
  minutesPerWorkday,
  type WorkCalendar,
} from '@civicgrid/core/calendar/workCalendar';
import type { ApplicationAction } from '@civicgrid/core/services/stateMachine';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { ApplicationRow } from './policy.js';
import { ratingToken } from './ratings.js';
import type { applicationEvents, ItemFormField, serviceItems } from './tables.js';

type ItemRow = typeof serviceItems.$inferSelect;
type EventRow = typeof applicationEvents.$inferSelect;

export function presentItem(r: ItemRow, departmentName: string | null): ServiceItem {
  return {
    code: r.code,
    version: r.version,
    name: r.name,
    category: r.category,
    level: r.level,
    departmentId: r.departmentId,
    departmentName,
    legalBasis: r.legalBasis,
    conditions: r.conditions,
    timeLimitDays: r.timeLimitDays,
    statutoryDays: r.statutoryDays,
    fee: r.fee,
    issuesCertificate: r.issuesCertificate,
    certificateTemplate: r.certificateTemplate,
    immediate: r.immediate,
    materials: r.materials,
    formFields: r.formFields,
  };
}

/**
 * The list row: the ID number leaves masked, always (the last four are kept unencrypted for
 * this, so a list decrypts nothing); warning and overdue are read against now.
 */
export function presentSummary(r: ApplicationRow, item: { name: string; version: number }, now = Date.now()) {
  const running = r.status === 'accepted' && r.dueAt !== null;
  return {
    id: r.id,
    code: r.code,
    serviceCode: r.serviceCode,
    serviceName: item.name,
    serviceVersion: item.version,
    status: r.status,
    channel: r.channel,
    applicantName: r.applicantName,
    applicantIdNumber: maskIdNumber(`${'*'.repeat(14)}${r.applicantIdTail}`),
    orgUnitId: r.orgUnitId,
    handlingUnitId: r.handlingUnitId,
    departmentId: r.departmentId,
    acceptedAt: r.acceptedAt?.toISOString() ?? null,
    dueDate: r.dueAt ? localDay(r.dueAt.getTime()) : null,
    dueAt: r.dueAt?.toISOString() ?? null,
    warning: running && r.warnAt !== null && r.warnAt.getTime() <= now && (r.dueAt?.getTime() ?? 0) > now,
    overdue: running && (r.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) <= now,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Form answers of ID-number and phone fields leave masked, like the applicant's own. */
function maskedForm(form: Record<string, string | number>, fields: ItemFormField[]) {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(form)) {
    const type = fields.find((f) => f.key === k)?.type;
    out[k] = type === 'idNumber' ? maskIdNumber(String(v)) : type === 'phone' ? maskPhone(String(v)) : v;
  }
  return out;
}

/**
 * Working days left to the due time while the clock runs (one decimal), negative past it;
 * null while it stands (waiting for material) or once decided.
 */
export function workingDaysLeft(r: ApplicationRow, cal: WorkCalendar, now = Date.now()): number | null {
  if (r.status !== 'accepted' || r.dueAt === null) return null;
  const due = r.dueAt.getTime();
  const ms = due >= now ? elapsed(cal, now, due, 'working') : -elapsed(cal, due, now, 'working');
  return Math.round((ms / 60_000 / minutesPerWorkday(cal)) * 10) / 10;
}

export function presentDetail(
  r: ApplicationRow,
  item: ItemRow,
  events: (EventRow & { actorName: string | null })[],
  allowed: ApplicationAction[],
  crypto: FieldCrypto,
  cal?: WorkCalendar,
  /** Whether it has been rated; unknown (undefined) offers no rating page. */
  rated?: boolean,
): ApplicationDetail {
  return {
    ...presentSummary(r, item),
    applicantPhone: r.applicantPhoneEnc ? maskPhone(crypto.decrypt(r.applicantPhoneEnc)) : null,
    materials: r.materials,
    form: maskedForm(r.form, item.formFields),
    missing: r.missing,
    pausedMinutes: r.pausedMinutes,
    result: r.result,
    workingDaysLeft: cal ? workingDaysLeft(r, cal) : null,
    events: events.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName: e.actorName,
      note: e.note,
      at: e.at.toISOString(),
    })),
    allowedActions: allowed,
    ratePath:
      rated === false && ['issued', 'collected', 'rejected'].includes(r.status)
        ? `/r/rate/${ratingToken(crypto, r.id)}`
        : null,
  };
}
