import type { MyCase, PublicStep, PublicTimelineEntry } from '@civicgrid/core/api/resident';
import { type CaseState, reopenWindowDays } from '@civicgrid/core/cases/stateMachine';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import type { CaseRow } from './actions/effect.js';
import { type NameBook, nameBook } from './names.js';
import { casesScope, guardFacts, refusal } from './policy.js';
import { caseEvents, cases } from './tables.js';

type EventRow = typeof caseEvents.$inferSelect;

/**
 * The actions a resident's timeline shows, in their words. Everything else in the trail —
 * notes, supervision, extensions, escalations, verification — is the staff's own business.
 */
const publicStepOf: Partial<Record<string, PublicStep>> = {
  report: 'received',
  accept: 'accepted',
  dispatch: 'dispatched',
  claim: 'inProgress',
  resolve: 'resolved',
  selfResolve: 'resolved',
  followUp: 'closed',
  close: 'closed',
  rate: 'closed',
  reopen: 'reopened',
  reject: 'rejected',
  cancel: 'cancelled',
  merge: 'cancelled',
};

/** Where a case stands, in the timeline's words. */
const stepOfState: Record<CaseState, PublicStep> = {
  reported: 'received',
  accepted: 'accepted',
  dispatched: 'dispatched',
  in_progress: 'inProgress',
  rework: 'inProgress',
  resolved: 'resolved',
  verified: 'resolved',
  closed: 'closed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  merged: 'cancelled',
};

const photoOf = (id: string) => ({ url: `/api/files/${id}`, thumbUrl: `/api/files/${id}/thumb` });

/**
 * Who has the case after a dispatch: a department or a unit by name, never a person — a case
 * sent to one handler shows the unit handling it instead.
 */
function dispatchedTo(e: EventRow, row: CaseRow, book: NameBook): string | null {
  const a = (e.data as { assignee?: { kind?: string; name?: string } } | null)?.assignee;
  if (a && (a.kind === 'department' || a.kind === 'orgUnit') && a.name) return a.name;
  return book.units.get(row.handlingUnitId)?.name ?? null;
}

/**
 * One trail event as the resident reads it; null for the events they are not shown. The
 * resident's own photos are shown with the case, not again on its first step.
 */
function publicEntry(e: EventRow, row: CaseRow, book: NameBook): PublicTimelineEntry | null {
  const step = publicStepOf[e.action];
  if (!step) return null;
  const photos = (e.attachmentIds ?? []).map(photoOf);
  const entry = { step, at: e.at.toISOString(), unitName: null, text: null, photos: [] };
  switch (step) {
    case 'dispatched':
      return { ...entry, unitName: dispatchedTo(e, row, book) };
    case 'resolved':
      // The result and the photos the handler attached to it, which are made to be shown.
      return { ...entry, text: e.note, photos };
    case 'rejected':
    case 'reopened':
      return { ...entry, text: e.note };
    default:
      return entry;
  }
}

/** A resident's own report as "my matters" shows it: plain steps, no staff names, no notes. */
export function presentMyCase(
  actor: Actor,
  row: CaseRow,
  events: EventRow[],
  book: NameBook,
  facts: Parameters<typeof refusal>[3],
): MyCase {
  const timeline = events.flatMap((e) => publicEntry(e, row, book) ?? []);
  const canReopen = refusal(actor, row, 'reopen', facts) === null;
  return {
    id: row.id,
    code: row.code,
    status: row.status as CaseState,
    step: stepOfState[row.status as CaseState],
    categoryName: book.categories.get(row.categoryCode)?.name ?? row.categoryCode,
    description: row.description,
    address: row.address,
    location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
    anonymous: row.reporterName === null && row.reporterPhoneEnc === null,
    reportedAt: row.reportedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    photos: events.find((e) => e.action === 'report')?.attachmentIds?.map(photoOf) ?? [],
    rating: row.rating,
    canRate: refusal(actor, row, 'rate', facts) === null,
    reopenUntil:
      canReopen && row.closedAt
        ? new Date(row.closedAt.getTime() + reopenWindowDays * 86_400_000).toISOString()
        : null,
    timeline,
  };
}

async function present(db: Db, actor: Actor, rows: CaseRow[]): Promise<MyCase[]> {
  if (rows.length === 0) return [];
  const book = await nameBook(db);
  const events = await db
    .select()
    .from(caseEvents)
    .where(
      inArray(
        caseEvents.caseId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
  const out: MyCase[] = [];
  for (const row of rows) {
    const facts = await guardFacts(db, actor, row, book);
    out.push(
      presentMyCase(
        actor,
        row,
        events.filter((e) => e.caseId === row.id),
        book,
        facts,
      ),
    );
  }
  return out;
}

/** `GET /api/my/cases`: the cases the actor reported, newest first. */
export async function myCases(
  db: Db,
  actor: Actor,
  q: { page: number; pageSize: number },
): Promise<{ items: MyCase[]; total: number }> {
  // The reporter's own rows only, whatever else the actor may see; inside the cases scope still.
  const mine = and(eq(cases.reporterUserId, actor.userId), casesScope.where(actor));
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(cases)
      .where(mine)
      .orderBy(desc(cases.reportedAt), desc(cases.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(cases).where(mine),
  ]);
  return { items: await present(db, actor, rows), total: total?.n ?? 0 };
}

/** `GET /api/my/cases/{id}`: one of the actor's own reports (404 for any other case). */
export async function myCase(db: Db, actor: Actor, id: string): Promise<MyCase> {
  const row = await loadScoped(db, actor, casesScope, id);
  if (row.reporterUserId !== actor.userId) throw new AppError('NOT_FOUND');
  const [item] = await present(db, actor, [row]);
  return item as MyCase;
}
