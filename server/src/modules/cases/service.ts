import type { CaseDetail, CaseFilterQuery, CaseListQuery } from '@civicgrid/core/api/cases';
import { caseViews, todoViewActions } from '@civicgrid/core/api/cases';
import { beforeResolution } from '@civicgrid/core/cases/stateMachine';
import { distanceM } from '@civicgrid/core/geo';
import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { type Db, queryRows } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { registerPathFollower } from '../org/service.js';
import type { CaseDeps } from './actions/apply.js';
import type { CaseRow } from './actions/effect.js';
import { nameBook } from './names.js';
import { actionAllowedSql, allowedActions, casesScope, guardFacts, seesOnlyAsReporter } from './policy.js';
import { presentDetail, presentSummary } from './presenter.js';
import { userNamesOf } from './recipients.js';
import { caseEvents, cases, files } from './tables.js';

// Moving a unit carries its cases along (paths, and the street/community/grid they lie in).
registerPathFollower(async (tx, from, to) => {
  const path = sql`(${to} || substr(${cases.orgPath}, ${from.length + 1}))`;
  await tx
    .update(cases)
    .set({
      orgPath: sql`${path}`,
      streetId: sql`nullif(split_part(${path}, '/', 3), '')::int`,
      communityId: sql`nullif(split_part(${path}, '/', 4), '')::int`,
      gridId: sql`nullif(split_part(${path}, '/', 5), '')::int`,
    })
    .where(sql`${cases.orgPath} like ${`${from}%`}`);
});

export function loadCase(db: Db, actor: Actor, id: string): Promise<CaseRow> {
  return loadScoped(db, actor, casesScope, id);
}

export async function caseDetail(deps: CaseDeps, actor: Actor, id: string): Promise<CaseDetail> {
  const { db } = deps;
  const row = await loadCase(db, actor, id);
  const book = await nameBook(db);
  const [facts, photos, names, duplicates] = await Promise.all([
    guardFacts(db, actor, row, book),
    db.select().from(files).where(eq(files.caseId, row.id)).orderBy(asc(files.createdAt)),
    userNamesOf(db, [row.assigneeUserId]),
    row.lat !== null && row.lng !== null && (row.status === 'reported' || row.status === 'accepted')
      ? nearbyOpen(db, actor, row.categoryCode, row.lat, row.lng, row.id)
      : Promise.resolve([]),
  ]);
  const detail = presentDetail(row, book, names, {
    crypto: deps.crypto,
    attachments: photos,
    allowedActions: allowedActions(actor, row, facts),
    duplicates,
  });
  if (!seesOnlyAsReporter(actor, row)) return detail;
  // The reporter's own view of the staff reply: who among the staff holds it, who asked for
  // more time or supervises it, stays inside (issue 17: no staff names to residents).
  return {
    ...detail,
    assignee: detail.assignee?.kind === 'user' ? null : detail.assignee,
    extension: null,
    supervision: null,
  };
}

/**
 * The reporter's full phone, for someone holding pii:reveal who may see the case; the
 * reveal is audited in the same transaction (the detail shows it masked).
 */
export async function revealReporter(deps: CaseDeps, actor: Actor, id: string, meta: RequestMeta) {
  return deps.db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'pii.revealed',
      targetType: 'case',
      targetId: row.id,
      payload: { fields: ['reporterPhone'] },
    });
    return { phone: row.reporterPhoneEnc ? deps.crypto.decrypt(row.reporterPhoneEnc) : null };
  });
}

/** Open cases of the same category within 200 m in the last 7 days: possible duplicates. */
export async function nearbyOpen(
  db: Db,
  actor: Actor,
  categoryCode: string,
  lat: number,
  lng: number,
  excludeId?: string,
) {
  const dLat = 200 / 111_320;
  const dLng = dLat / Math.cos((lat * Math.PI) / 180);
  const rows = await db
    .select({
      id: cases.id,
      code: cases.code,
      description: cases.description,
      lat: cases.lat,
      lng: cases.lng,
    })
    .from(cases)
    .where(
      and(
        casesScope.where(actor),
        eq(cases.categoryCode, categoryCode),
        sql`${cases.lat} between ${lat - dLat} and ${lat + dLat}`,
        sql`${cases.lng} between ${lng - dLng} and ${lng + dLng}`,
        inArray(cases.status, [...beforeResolution]),
        gte(cases.reportedAt, new Date(Date.now() - 7 * 86_400_000)),
        excludeId ? sql`${cases.id} <> ${excludeId}` : undefined,
      ),
    )
    .limit(10);
  return rows
    .map((r) => ({
      id: r.id,
      code: r.code,
      description: r.description.slice(0, 80),
      distanceM: Math.round(distanceM({ lat, lng }, { lat: r.lat ?? 0, lng: r.lng ?? 0 })),
    }))
    .filter((r) => r.distanceM <= 200)
    .sort((a, b) => a.distanceM - b.distanceM);
}

/** The conditions of a view, for this actor: a to-do view holds the cases awaiting its action from them. */
function viewCondition(actor: Actor, view: CaseListQuery['view']): SQL | undefined {
  const now = new Date();
  const open = sql`${cases.step} <> 'none'`;
  switch (view) {
    case undefined:
    case 'all':
      return undefined;
    case 'toAccept':
    case 'toDispatch':
    case 'toClaim':
    case 'inProgress':
    case 'toVerify':
    case 'toFollowUp':
      return actionAllowedSql(actor, todoViewActions[view]);
    case 'warning':
      return and(open, sql`${cases.warnAt} <= ${now}`, sql`${cases.dueAt} > ${now}`);
    case 'overdue':
      return and(open, sql`${cases.dueAt} <= ${now}`);
    case 'supervised':
      return and(eq(cases.supervised, true), inArray(cases.status, [...beforeResolution]));
    case 'mine':
      return sql`(${cases.reporterUserId} = ${actor.userId} or ${cases.createdBy} = ${actor.userId})`;
  }
}

/** The list's filters (view, status, category…), without the scope. */
function filterConditions(actor: Actor, q: Omit<CaseFilterQuery, 'orgUnitId'>): SQL | undefined {
  const cond: (SQL | undefined)[] = [viewCondition(actor, q.view)];
  if (q.status?.length) cond.push(inArray(cases.status, q.status));
  if (q.categoryCode) {
    // A major class filters all of its minor classes.
    cond.push(
      q.categoryCode.length <= 3
        ? sql`${cases.categoryCode} like ${`${q.categoryCode}%`}`
        : eq(cases.categoryCode, q.categoryCode),
    );
  }
  if (q.channel?.length) cond.push(inArray(cases.channel, q.channel));
  if (q.departmentId) cond.push(sql`${cases.departmentIds} @> array[${q.departmentId}]::integer[]`);
  if (q.from) cond.push(gte(cases.reportedAt, new Date(`${q.from}T00:00:00+08:00`)));
  if (q.to) cond.push(lt(cases.reportedAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000)));
  if (q.overdue !== undefined)
    cond.push(
      q.overdue
        ? sql`${cases.step} <> 'none' and ${cases.dueAt} <= now()`
        : sql`not (${cases.step} <> 'none' and ${cases.dueAt} <= now())`,
    );
  if (q.supervised !== undefined) cond.push(eq(cases.supervised, q.supervised));
  if (q.q) {
    const term = q.q.trim();
    cond.push(
      /^SJ\d+$/i.test(term)
        ? eq(cases.code, term.toUpperCase())
        : sql`${cases.description} ilike ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
    );
  }
  return and(...cond);
}

/** The cases of a list's filters that the actor may see (the dashboard's to-do list reads it too). */
export function listConditions(actor: Actor, q: Omit<CaseFilterQuery, 'orgUnitId'>): SQL {
  return and(casesScope.where(actor), filterConditions(actor, q)) as SQL;
}

/** The filters and the area asked for (`orgUnitId`, which must lie in the jurisdiction). */
async function filteredBy(db: Db, actor: Actor, q: CaseFilterQuery): Promise<SQL | undefined> {
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  return and(filterConditions(actor, q), area ? areaCondition(area, cases.orgPath) : undefined);
}

export async function listCases(deps: CaseDeps, actor: Actor, q: CaseListQuery) {
  const { db } = deps;
  const orderBy =
    q.sort === 'dueAt'
      ? [sql`${cases.dueAt} asc nulls last`, desc(cases.reportedAt)]
      : q.sort === 'reportedAt'
        ? [asc(cases.reportedAt)]
        : [desc(cases.reportedAt)];
  const { items, total } = await listScoped(db, actor, casesScope, {
    where: await filteredBy(db, actor, q),
    orderBy,
    page: q.page,
    pageSize: q.pageSize,
  });
  const book = await nameBook(db);
  const names = await userNamesOf(
    db,
    items.map((r) => r.assigneeUserId),
  );
  return { items: items.map((r) => presentSummary(r, book, names)), total };
}

/** The cases of the filters in the order of the list, at most `limit` (the export's rows). */
export async function filteredCases(db: Db, actor: Actor, q: CaseFilterQuery, limit: number) {
  return db
    .select()
    .from(cases)
    .where(and(casesScope.where(actor), await filteredBy(db, actor, q)))
    .orderBy(desc(cases.reportedAt))
    .limit(limit);
}

/** The map's points: the located cases of the filters, newest first, at most 20 000. */
export async function caseMap(db: Db, actor: Actor, q: CaseFilterQuery) {
  const limit = 20_000;
  const rows = await db
    .select({
      id: cases.id,
      code: cases.code,
      lat: cases.lat,
      lng: cases.lng,
      status: cases.status,
      categoryCode: cases.categoryCode,
      overdue: sql<boolean>`(${cases.step} <> 'none' and ${cases.dueAt} <= now())`,
    })
    .from(cases)
    .where(and(casesScope.where(actor), await filteredBy(db, actor, q), sql`${cases.lat} is not null`))
    .orderBy(desc(cases.reportedAt))
    .limit(limit + 1);
  const book = await nameBook(db);
  return {
    items: rows.slice(0, limit).map((r) => ({
      id: r.id,
      code: r.code,
      lat: r.lat ?? 0,
      lng: r.lng ?? 0,
      status: r.status,
      overdue: Boolean(r.overdue),
      categoryName: book.categories.get(r.categoryCode)?.name ?? r.categoryCode,
    })),
    truncated: rows.length > limit,
  };
}

export async function caseCounts(db: Db, actor: Actor) {
  // Every to-do view of the contract but 'all', which is the total below.
  const views = caseViews.filter((v) => v !== 'all');
  const selects = views.map((v) => sql`count(*) filter (where ${viewCondition(actor, v) ?? sql`true`})::int`);
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select ${sql.join(
      selects.map((s, i) => sql`${s} as ${sql.identifier(views[i] as string)}`),
      sql`, `,
    )}, count(*)::int as "all" from ${cases} where ${casesScope.where(actor)}`,
  );
  return row ?? {};
}

export async function caseEventsOf(db: Db, actor: Actor, id: string) {
  const row = await loadCase(db, actor, id);
  // The trail names staff and holds their notes: a reporter reads the public timeline.
  if (seesOnlyAsReporter(actor, row)) throw new AppError('NOT_FOUND');
  const events = await db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, id))
    .orderBy(asc(caseEvents.id));
  const ids = events.flatMap((e) => e.attachmentIds ?? []);
  const photos = ids.length ? await db.select().from(files).where(inArray(files.id, ids)) : [];
  return { events, photos };
}

/**
 * An outside channel's own, shorter acceptance limit on a case it has just filed (12345
 * counts natural hours from the call): the accept deadline, the running step's due time and
 * its warning at 80 %. Only while the case still waits for acceptance and only when it
 * tightens the category's own limit; `tx` is the caller's transaction. True when applied.
 */
export async function tightenAcceptDeadline(
  tx: Db,
  caseId: string,
  from: Date,
  hours: number,
): Promise<boolean> {
  const hourMs = 3_600_000;
  const due = new Date(from.getTime() + hours * hourMs);
  const warn = new Date(from.getTime() + hours * hourMs * 0.8);
  const updated = await tx
    .update(cases)
    .set({ acceptBy: due, dueAt: due, warnAt: warn, step: 'accept' })
    .where(
      and(
        eq(cases.id, caseId),
        eq(cases.status, 'reported'),
        sql`(${cases.dueAt} is null or ${cases.dueAt} > ${due})`,
      ),
    )
    .returning({ id: cases.id });
  return updated.length > 0;
}
