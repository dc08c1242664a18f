import type { Permission } from '@civicgrid/core';
import type {
  actionBodies,
  batchDispatchInput,
  CaseDetail,
  CaseListQuery,
  ReportCaseInput,
} from '@civicgrid/core/api/cases';
import { caseViews, todoViewActions } from '@civicgrid/core/api/cases';
import { deadlineWithWarning, type WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import { type CaseAction, type CaseState, nextState } from '@civicgrid/core/cases/stateMachine';
import { distanceM } from '@civicgrid/core/geo';
import { and, asc, desc, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, queryRows } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { notifyUsers, publishNotifications, type SmsSender } from '../../platform/notify.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { locateGrid } from '../org/locator.js';
import { registerPathFollower } from '../org/service.js';
import { departments, gridTeamMembers, orgUnits } from '../org/tables.js';
import { workCalendar } from './calendar.js';
import { type NameBook, nameBook } from './names.js';
import {
  actionAllowedSql,
  allowedActions,
  assertCanSee,
  caseScope,
  type GuardFacts,
  handlingPath,
  isAssignee,
  refusal,
} from './policy.js';
import { presentDetail, presentSummary } from './presenter.js';
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

export interface CaseDeps {
  db: Db;
  crypto: FieldCrypto;
  bus: EventBus;
  sms: SmsSender;
}

type CaseRow = typeof cases.$inferSelect;
type CaseUpdate = Partial<typeof cases.$inferInsert>;
type CategoryRow = NonNullable<ReturnType<NameBook['categories']['get']>>;
type Bodies = { [A in CaseAction]: z.infer<(typeof actionBodies)[A]> };

/** A step's deadline from now by the category's clock, or none when the category sets none. */
function stepDeadline(cal: WorkCalendar, cat: CategoryRow, minutes: number | null, fromMs: number) {
  if (!minutes) return { dueAt: null, warnAt: null };
  const d = deadlineWithWarning(cal, fromMs, { value: minutes, unit: 'minutes' }, cat.clock);
  return { dueAt: new Date(d.dueAt), warnAt: new Date(d.warnAt) };
}

function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Grid, community and street of a grid path `/district/street/community/grid/`. */
function placeOf(path: string) {
  const [, street, community, grid] = pathIds(path);
  return { streetId: street ?? null, communityId: community ?? null, gridId: grid ?? null };
}

async function userNamesOf(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Active users bound to a unit (or department) holding a permission: who gets told. */
async function holders(
  db: Db,
  where: { unitId?: number; departmentId?: number; userId?: string },
  permission: Permission,
): Promise<string[]> {
  const cond: SQL[] = [isNull(users.disabledAt), sql`${roles.permissions} ? ${permission}`];
  if (where.unitId !== undefined) cond.push(eq(users.orgUnitId, where.unitId));
  if (where.departmentId !== undefined) cond.push(eq(users.departmentId, where.departmentId));
  if (where.userId !== undefined) cond.push(eq(users.id, where.userId));
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(...cond));
  return rows.map((r) => r.id);
}

async function gridTeamIds(db: Db, gridId: number | null): Promise<string[]> {
  if (gridId === null) return [];
  const rows = await db
    .select({ id: gridTeamMembers.userId })
    .from(gridTeamMembers)
    .where(eq(gridTeamMembers.gridId, gridId));
  return rows.map((r) => r.id);
}

async function guardFacts(db: Db, actor: Actor, row: CaseRow, book: NameBook): Promise<GuardFacts> {
  let onGridTeam = false;
  if (row.gridId !== null) {
    if (actor.orgUnitId === row.gridId) onGridTeam = true;
    else {
      const [m] = await db
        .select({ u: gridTeamMembers.userId })
        .from(gridTeamMembers)
        .where(and(eq(gridTeamMembers.gridId, row.gridId), eq(gridTeamMembers.userId, actor.userId)));
      onGridTeam = m !== undefined;
    }
  }
  return {
    onGridTeam,
    selfResolvable: book.categories.get(row.categoryCode)?.selfResolvable ?? false,
    handlingLevel: book.units.get(row.handlingUnitId)?.level ?? 'district',
  };
}

/** Binds uploaded photos to the case; each must be the uploader's own and not yet used elsewhere. */
async function bindFiles(tx: Db, actor: Actor, caseId: string, ids: string[] | undefined, field: string) {
  if (!ids?.length) return [];
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ id: files.id, ownerId: files.ownerId, caseId: files.caseId })
    .from(files)
    .where(inArray(files.id, unique));
  for (const id of unique) {
    const f = rows.find((r) => r.id === id);
    if (!f || f.ownerId !== actor.userId || (f.caseId !== null && f.caseId !== caseId))
      throw fieldError(field, 'exists', '照片不存在或已被使用，请重新上传');
  }
  await tx.update(files).set({ caseId }).where(inArray(files.id, unique));
  return unique;
}

function eventActor(actor: Actor) {
  return {
    actorId: actor.userId,
    actorName: actor.displayName,
    actorUnit: actor.orgUnitName ?? actor.departmentName ?? null,
  };
}

function caseBusEvent(row: CaseRow) {
  return {
    type: 'case' as const,
    id: row.id,
    code: row.code,
    status: row.status,
    orgPath: row.orgPath,
    departmentIds: row.departmentIds,
  };
}

async function districtPool(db: Db, actor: Actor): Promise<{ id: number; path: string }> {
  const own = actor.orgPath ? pathIds(actor.orgPath)[0] : undefined;
  const [d] = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(own ? eq(orgUnits.id, own) : and(eq(orgUnits.level, 'district'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.id))
    .limit(1);
  if (!d) throw fieldError('location', 'inDistrict', '平台尚未配置辖区');
  return d;
}

// ——— report ———

export async function reportCase(
  deps: CaseDeps,
  actor: Actor,
  input: ReportCaseInput,
  meta: RequestMeta,
): Promise<{ row: CaseRow; created: boolean }> {
  const { db, crypto } = deps;
  const book = await nameBook(db);
  const cat = book.categories.get(input.categoryCode);
  if (!cat || cat.retiredAt) throw fieldError('categoryCode', 'exists', '事件分类不存在');
  const hasChildren = [...book.categories.values()].some((c) => c.parentCode === cat.code && !c.retiredAt);
  if (hasChildren) throw fieldError('categoryCode', 'leaf', '请选择具体的小类');
  if (!input.location && !input.address) throw fieldError('location', 'required', '请在地图上选点或填写地址');
  if (input.selfResolve && !cat.selfResolvable)
    throw fieldError('selfResolve', 'selfResolvable', '该类事件不允许网格员自处置');
  if (input.selfResolve && !actor.permissions.has('case:selfResolve')) throw new AppError('FORBIDDEN');

  const existing = await findByKey(db, actor, input.channel, input.idempotencyKey);
  if (existing) return { row: existing, created: false };

  const hit = input.location ? await locateGrid(db, input.location.lat, input.location.lng) : null;
  // Without a point (an address only), the case belongs where the reporter works; a point
  // outside every grid goes to the district's pool.
  const orgPath =
    hit?.path ?? (!input.location && actor.orgPath ? actor.orgPath : (await districtPool(db, actor)).path);
  const place = placeOf(orgPath);
  const [districtId] = pathIds(orgPath);
  // The community's workstation accepts and dispatches what happens in its grids.
  const handlingUnitId = place.communityId ?? place.streetId ?? (districtId as number);
  const cal = await workCalendar(db);
  const now = Date.now();
  const accept = stepDeadline(cal, cat, cat.acceptMinutes, now);
  const phone = input.reporter?.phone;
  const isResident = !actor.permissions.has('case:read');

  const result = await db.transaction(async (tx) => {
    const [seq] = await queryRows<{ n: number }>(tx, sql`select nextval('case_code_seq')::int as n`);
    const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const code = `SJ${day}${String(seq?.n ?? 0).padStart(6, '0')}`;
    const inserted = await tx
      .insert(cases)
      .values({
        code,
        status: 'reported',
        categoryCode: cat.code,
        channel: input.channel,
        priority: cat.priority,
        description: input.description,
        address: input.address ?? null,
        lat: input.location?.lat ?? null,
        lng: input.location?.lng ?? null,
        ...place,
        orgPath,
        handlingUnitId,
        reporterName: input.reporter?.name ?? (isResident ? actor.displayName : null),
        reporterPhoneEnc: phone ? crypto.encrypt(phone) : null,
        reporterPhoneIdx: phone ? crypto.blindIndex(phone) : null,
        reporterUserId: isResident || input.channel === 'grid_patrol' ? actor.userId : null,
        createdBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        step: accept.dueAt ? 'accept' : 'none',
        dueAt: accept.dueAt,
        warnAt: accept.warnAt,
        acceptBy: accept.dueAt,
        reportedAt: new Date(now),
      })
      .onConflictDoNothing({ target: [cases.createdBy, cases.channel, cases.idempotencyKey] })
      .returning();
    let row = inserted[0];
    // Another request with the same key won the race: it made the case, this one returns it.
    if (!row) return null;
    const photoIds = await bindFiles(tx, actor, row.id, input.attachmentIds, 'attachmentIds');
    await tx.insert(caseEvents).values({
      caseId: row.id,
      action: 'report',
      fromState: null,
      toState: 'reported',
      ...eventActor(actor),
      note: null,
      data: { channel: input.channel },
      attachmentIds: photoIds.length ? photoIds : null,
    });
    if (input.selfResolve) {
      const facts = await guardFacts(tx, actor, row, book);
      const refused = refusal(actor, row, 'selfResolve', facts);
      if (refused) throw refused;
      row = await applySelfResolve(tx, actor, row, input.selfResolve, now);
    }
    const told = await notifyUsers(tx, await holders(tx, { unitId: handlingUnitId }, 'case:accept'), {
      kind: row.status === 'resolved' ? 'case.toVerify' : 'case.reported',
      title: `${row.status === 'resolved' ? '待核查' : '新事件待受理'}：${cat.name}`,
      body: input.description.slice(0, 80),
      caseId: row.id,
    });
    // Last: the audit chain's lock is held from here to the commit, so concurrent writers queue briefly.
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'case.reported',
      targetType: 'case',
      targetId: row.id,
      payload: { code: row.code, categoryCode: cat.code, channel: input.channel },
    });
    return { row, told };
  });
  if (!result) {
    const again = await findByKey(db, actor, input.channel, input.idempotencyKey);
    if (!again) throw new AppError('CONFLICT');
    return { row: again, created: false };
  }
  publishNotifications(deps.bus, result.told);
  deps.bus.publish(caseBusEvent(result.row));
  return { row: result.row, created: true };
}

/** The caller's own case sent with this key on this channel; another user's key is not looked at. */
async function findByKey(db: Db, actor: Actor, channel: string, key: string): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.createdBy, actor.userId), eq(cases.channel, channel), eq(cases.idempotencyKey, key)));
  return row;
}

async function applySelfResolve(
  tx: Db,
  actor: Actor,
  row: CaseRow,
  body: {
    result: string;
    beforeAttachmentIds?: string[] | undefined;
    afterAttachmentIds?: string[] | undefined;
  },
  now: number,
): Promise<CaseRow> {
  const before = await bindFiles(tx, actor, row.id, body.beforeAttachmentIds, 'beforeAttachmentIds');
  const after = await bindFiles(tx, actor, row.id, body.afterAttachmentIds, 'afterAttachmentIds');
  const [updated] = await tx
    .update(cases)
    .set({
      status: 'resolved',
      step: 'none',
      dueAt: null,
      warnAt: null,
      overdue: false,
      assigneeKind: 'user',
      assigneeUserId: actor.userId,
      resolvedAt: new Date(now),
      resolvedAtLevel: 'grid',
      resolvedOnTime: true,
      updatedAt: new Date(now),
    })
    .where(eq(cases.id, row.id))
    .returning();
  await tx.insert(caseEvents).values({
    caseId: row.id,
    action: 'selfResolve',
    fromState: row.status,
    toState: 'resolved',
    ...eventActor(actor),
    note: body.result,
    data: { before, after },
    attachmentIds: [...before, ...after].length ? [...before, ...after] : null,
  });
  return updated as CaseRow;
}

// ——— read ———

export async function loadCase(db: Db, actor: Actor, id: string): Promise<CaseRow> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id));
  assertCanSee(actor, row);
  return row;
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
  return presentDetail(row, book, names, {
    crypto: deps.crypto,
    attachments: photos,
    allowedActions: allowedActions(actor, row, facts),
    duplicates,
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
        caseScope(actor),
        eq(cases.categoryCode, categoryCode),
        sql`${cases.lat} between ${lat - dLat} and ${lat + dLat}`,
        sql`${cases.lng} between ${lng - dLng} and ${lng + dLng}`,
        inArray(cases.status, ['reported', 'accepted', 'dispatched', 'in_progress', 'rework']),
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
      return and(
        eq(cases.supervised, true),
        inArray(cases.status, ['reported', 'accepted', 'dispatched', 'in_progress', 'rework']),
      );
    case 'mine':
      return sql`(${cases.reporterUserId} = ${actor.userId} or ${cases.createdBy} = ${actor.userId})`;
  }
}

export function listConditions(actor: Actor, q: Omit<CaseListQuery, 'page' | 'pageSize' | 'sort'>): SQL {
  const cond: (SQL | undefined)[] = [caseScope(actor), viewCondition(actor, q.view)];
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
  return and(...cond) as SQL;
}

/** The org-unit filter needs the unit's path, which is looked up (and scope-checked) once. */
export async function orgUnitCondition(db: Db, orgUnitId: number | undefined): Promise<SQL | undefined> {
  if (orgUnitId === undefined) return undefined;
  const [u] = await db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!u) throw fieldError('orgUnitId', 'exists', '区域不存在');
  return sql`${cases.orgPath} like ${`${u.path}%`}`;
}

export async function listCases(deps: CaseDeps, actor: Actor, q: CaseListQuery) {
  const { db } = deps;
  const where = and(listConditions(actor, q), await orgUnitCondition(db, q.orgUnitId));
  const order =
    q.sort === 'dueAt'
      ? [sql`${cases.dueAt} asc nulls last`, desc(cases.reportedAt)]
      : q.sort === 'reportedAt'
        ? [asc(cases.reportedAt)]
        : [desc(cases.reportedAt)];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(cases)
      .where(where)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(cases).where(where),
  ]);
  const book = await nameBook(db);
  const names = await userNamesOf(
    db,
    rows.map((r) => r.assigneeUserId),
  );
  return { items: rows.map((r) => presentSummary(r, book, names)), total: total?.n ?? 0 };
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
    )}, count(*)::int as "all" from ${cases} where ${caseScope(actor)}`,
  );
  return row ?? {};
}

export async function caseEventsOf(db: Db, actor: Actor, id: string) {
  await loadCase(db, actor, id);
  const events = await db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, id))
    .orderBy(asc(caseEvents.id));
  const ids = events.flatMap((e) => e.attachmentIds ?? []);
  const photos = ids.length ? await db.select().from(files).where(inArray(files.id, ids)) : [];
  return { events, photos };
}

// ——— actions ———

/** Checks what a dispatch names: it must exist, be active and sit under the handling unit. */
async function resolveAssignee(
  tx: Db,
  row: CaseRow,
  a: Bodies['dispatch']['assignee'],
  book: NameBook,
): Promise<{ set: CaseUpdate; name: string; notify: string[] }> {
  if (a.kind === 'department') {
    const id = Number(a.id);
    const [d] = await tx.select().from(departments).where(eq(departments.id, id));
    if (!d || d.retiredAt) throw fieldError('assignee.id', 'exists', '职能部门不存在');
    return {
      set: {
        assigneeKind: 'department',
        assigneeDepartmentId: id,
        assigneeUnitId: null,
        assigneeUserId: null,
        departmentIds: [...new Set([...row.departmentIds, id])],
      },
      name: d.name,
      notify: await holders(tx, { departmentId: id }, 'case:handle'),
    };
  }
  if (a.kind === 'orgUnit') {
    const id = Number(a.id);
    const u = book.units.get(id);
    const [fresh] = await tx.select().from(orgUnits).where(eq(orgUnits.id, id));
    if (!u || !fresh || fresh.retiredAt || !fresh.path.startsWith(handlingPath(row)))
      throw fieldError('assignee.id', 'inJurisdiction', '只能派遣给本级或下级单位');
    const notify =
      fresh.level === 'grid' ? await gridTeamIds(tx, id) : await holders(tx, { unitId: id }, 'case:handle');
    return {
      set: { assigneeKind: 'orgUnit', assigneeUnitId: id, assigneeDepartmentId: null, assigneeUserId: null },
      name: fresh.name,
      notify,
    };
  }
  const id = String(a.id);
  const [u] = await tx
    .select({
      id: users.id,
      name: users.displayName,
      orgPath: users.orgPath,
      departmentId: users.departmentId,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(sql`${users.id}::text = ${id}`);
  const inJurisdiction =
    u && !u.disabledAt && (u.departmentId !== null || (u.orgPath ?? '').startsWith(handlingPath(row)));
  if (!u || !inJurisdiction) throw fieldError('assignee.id', 'inJurisdiction', '处置人不存在或不在本辖区');
  // The same rule as the assignee picker: a case goes only to someone who can handle it.
  if ((await holders(tx, { userId: u.id }, 'case:handle')).length === 0)
    throw fieldError('assignee.id', 'canHandle', '该人员没有办理事件的权限，不能派遣给他');
  return {
    set: {
      assigneeKind: 'user',
      assigneeUserId: u.id,
      assigneeUnitId: null,
      assigneeDepartmentId: null,
      departmentIds: u.departmentId
        ? [...new Set([...row.departmentIds, u.departmentId])]
        : row.departmentIds,
    },
    name: u.name,
    notify: [u.id],
  };
}

function future(value: string, field: string, now: number): Date {
  const d = new Date(value);
  if (d.getTime() <= now) throw fieldError(field, 'future', '时限须晚于当前时间');
  return d;
}

const stateName: Record<string, string> = {
  dispatch: '新派遣事件',
  return: '事件被退回',
  resolve: '事件待核查',
  verifyFailed: '核查未通过，请返工',
  escalate: '上级事件待处理',
  supervise: '督办事件',
  requestExtension: '延期申请待审批',
};

export interface ActionOutcome {
  row: CaseRow;
}

export async function performAction<A extends CaseAction>(
  deps: CaseDeps,
  actor: Actor,
  id: string,
  action: A,
  body: Bodies[A],
  meta: RequestMeta,
  clientKey: string | null = null,
): Promise<CaseRow> {
  const { db } = deps;
  const book = await nameBook(db);
  const cal = await workCalendar(db);
  const sms: { phoneEnc: string; text: string }[] = [];
  const out = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.id, id)).for('update');
    assertCanSee(actor, row);
    const facts = await guardFacts(tx, actor, row, book);
    const refused = refusal(actor, row, action, facts);
    if (refused) throw refused;
    const cat = book.categories.get(row.categoryCode) as CategoryRow;
    const now = Date.now();
    const nowDate = new Date(now);
    const from = row.status as CaseState;
    let to: CaseState =
      nextState(
        action,
        from,
        action === 'verify' ? { passed: (body as Bodies['verify']).passed } : undefined,
      ) ?? from;
    const set: CaseUpdate = { updatedAt: nowDate };
    let note: string | null = null;
    let data: Record<string, unknown> | null = null;
    let photos: string[] = [];
    let notify: { ids: string[]; kind: string; title: string } | null = null;
    const dispatchers = (unitId: number) => holders(tx, { unitId }, 'case:dispatch');
    const assigneeUsers = async (): Promise<string[]> => {
      if (row.assigneeKind === 'department' && row.assigneeDepartmentId)
        return holders(tx, { departmentId: row.assigneeDepartmentId }, 'case:handle');
      if (row.assigneeKind === 'orgUnit' && row.assigneeUnitId)
        return row.assigneeUnitId === row.gridId
          ? gridTeamIds(tx, row.gridId)
          : holders(tx, { unitId: row.assigneeUnitId }, 'case:handle');
      return row.assigneeUserId ? [row.assigneeUserId] : [];
    };
    const startStep = (step: 'accept' | 'dispatch' | 'resolve', dueAt: Date | null, warnAt: Date | null) => {
      Object.assign(set, { step: dueAt ? step : 'none', dueAt, warnAt, overdue: false, warned: false });
    };
    const endSteps = () =>
      Object.assign(set, { step: 'none', dueAt: null, warnAt: null, overdue: false, warned: false });

    switch (action) {
      case 'accept': {
        const b = body as Bodies['accept'];
        note = b.note ?? null;
        const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
        startStep('dispatch', d.dueAt, d.warnAt);
        Object.assign(set, { acceptedAt: nowDate, dispatchBy: d.dueAt });
        break;
      }
      case 'reject': {
        const b = body as Bodies['reject'];
        note = b.reason;
        endSteps();
        set.closedAt = nowDate;
        if (row.reporterPhoneEnc)
          sms.push({
            phoneEnc: row.reporterPhoneEnc,
            text: `您反映的问题（${row.code}）不予受理：${b.reason}`,
          });
        break;
      }
      case 'dispatch': {
        const b = body as Bodies['dispatch'];
        const target = await resolveAssignee(tx, row, b.assignee, book);
        Object.assign(set, target.set);
        const explicit = b.deadline ? future(b.deadline, 'deadline', now) : null;
        const d = explicit
          ? { dueAt: explicit, warnAt: new Date(now + (explicit.getTime() - now) * 0.8) }
          : stepDeadline(cal, cat, cat.resolveMinutes, now);
        startStep('resolve', d.dueAt, d.warnAt);
        Object.assign(set, { dispatchedAt: nowDate, resolveBy: d.dueAt });
        note = b.instructions ?? null;
        data = { assignee: { kind: b.assignee.kind, id: String(b.assignee.id), name: target.name } };
        notify = { ids: target.notify, kind: 'case.dispatched', title: `${stateName.dispatch}：${cat.name}` };
        break;
      }
      case 'claim': {
        note = (body as Bodies['claim']).note ?? null;
        set.claimedAt = nowDate;
        // A department's case is claimed by one person, who then appears as its handler.
        if (row.assigneeKind !== 'user') data = { claimedBy: actor.displayName };
        break;
      }
      case 'note': {
        const b = body as Bodies['note'];
        note = b.note;
        photos = await bindFiles(tx, actor, row.id, b.attachmentIds, 'attachmentIds');
        break;
      }
      case 'resolve': {
        const b = body as Bodies['resolve'];
        note = b.result;
        photos = await bindFiles(tx, actor, row.id, b.attachmentIds, 'attachmentIds');
        const level =
          row.assigneeKind === 'department'
            ? 'department'
            : row.assigneeKind === 'orgUnit' && row.assigneeUnitId
              ? (book.units.get(row.assigneeUnitId)?.level ?? 'community')
              : (actor.orgLevel ?? 'department');
        Object.assign(set, {
          resolvedAt: nowDate,
          resolvedAtLevel: level,
          resolvedOnTime: row.resolveBy === null || now <= row.resolveBy.getTime(),
          extension: null,
        });
        endSteps();
        notify = {
          ids: [...(await dispatchers(row.handlingUnitId)), ...(await gridTeamIds(tx, row.gridId))],
          kind: 'case.resolved',
          title: `${stateName.resolve}：${cat.name}`,
        };
        break;
      }
      case 'verify': {
        const b = body as Bodies['verify'];
        note = b.note ?? null;
        data = { passed: b.passed };
        photos = await bindFiles(tx, actor, row.id, b.attachmentIds, 'attachmentIds');
        if (b.passed) {
          set.verifiedAt = nowDate;
          if (row.reporterPhoneEnc)
            sms.push({
              phoneEnc: row.reporterPhoneEnc,
              text: `您反映的问题（${row.code}）已处理完毕，稍后将回访。`,
            });
        } else {
          set.reworkCount = row.reworkCount + 1;
          const d = stepDeadline(cal, cat, cat.resolveMinutes, now);
          startStep('resolve', d.dueAt, d.warnAt);
          set.resolveBy = d.dueAt;
          notify = {
            ids: await assigneeUsers(),
            kind: 'case.rework',
            title: `${stateName.verifyFailed}：${cat.name}`,
          };
        }
        break;
      }
      case 'followUp': {
        const b = body as Bodies['followUp'];
        note = b.comment ?? null;
        data = { rating: b.rating };
        Object.assign(set, { rating: b.rating, ratingComment: b.comment ?? null, closedAt: nowDate });
        break;
      }
      case 'close': {
        note = (body as Bodies['close']).note ?? null;
        set.closedAt = nowDate;
        break;
      }
      case 'return': {
        const b = body as Bodies['return'];
        note = b.reason;
        const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
        startStep('dispatch', d.dueAt, d.warnAt);
        Object.assign(set, {
          assigneeKind: null,
          assigneeDepartmentId: null,
          assigneeUnitId: null,
          assigneeUserId: null,
          dispatchBy: d.dueAt,
          extension: null,
        });
        notify = {
          ids: await dispatchers(row.handlingUnitId),
          kind: 'case.returned',
          title: `${stateName.return}：${cat.name}`,
        };
        break;
      }
      case 'escalate': {
        const b = body as Bodies['escalate'];
        note = b.reason;
        const clearAssignee = {
          assigneeKind: null,
          assigneeDepartmentId: null,
          assigneeUnitId: null,
          assigneeUserId: null,
          extension: null,
        };
        const byAssignee =
          !actor.global &&
          isAssignee(actor, row, facts) &&
          !handlingPath(row).startsWith(actor.orgPath ?? '\0');
        if (byAssignee) {
          // The grid hands its case back to the community that dispatched it.
          to = 'accepted';
          const d = stepDeadline(cal, cat, cat.dispatchMinutes, now);
          startStep('dispatch', d.dueAt, d.warnAt);
          Object.assign(set, clearAssignee, { dispatchBy: d.dueAt });
          data = { toUnitId: row.handlingUnitId, toUnitName: book.units.get(row.handlingUnitId)?.name ?? '' };
          notify = {
            ids: await dispatchers(row.handlingUnitId),
            kind: 'case.escalated',
            title: `${stateName.escalate}：${cat.name}`,
          };
        } else {
          const parentId = book.units.get(row.handlingUnitId)?.parentId;
          if (!parentId) throw new AppError('CASE_INVALID_STATE', 'no level above');
          const step = to === 'reported' ? 'accept' : 'dispatch';
          const d = stepDeadline(cal, cat, step === 'accept' ? cat.acceptMinutes : cat.dispatchMinutes, now);
          startStep(step, d.dueAt, d.warnAt);
          Object.assign(set, clearAssignee, { handlingUnitId: parentId, escalations: row.escalations + 1 });
          data = {
            fromUnitId: row.handlingUnitId,
            toUnitId: parentId,
            toUnitName: book.units.get(parentId)?.name ?? '',
          };
          notify = {
            ids: await holders(tx, { unitId: parentId }, step === 'accept' ? 'case:accept' : 'case:dispatch'),
            kind: 'case.escalated',
            title: `${stateName.escalate}：${cat.name}`,
          };
        }
        break;
      }
      case 'selfResolve': {
        const b = body as Bodies['selfResolve'];
        const updated = await applySelfResolve(tx, actor, row, b, now);
        await appendAudit(tx, auditActorOf(actor, meta), {
          action: 'case.action',
          targetType: 'case',
          targetId: row.id,
          payload: { action, from, to: 'resolved' },
        });
        const told = await notifyUsers(tx, await dispatchers(row.handlingUnitId), {
          kind: 'case.resolved',
          title: `${stateName.resolve}：${cat.name}`,
          caseId: row.id,
        });
        return { row: updated, told };
      }
      case 'supervise': {
        const b = body as Bodies['supervise'];
        const deadline = future(b.deadline, 'deadline', now);
        note = b.order;
        Object.assign(set, {
          supervised: true,
          supervision: { order: b.order, deadline: deadline.toISOString(), by: actor.displayName },
          supervisionDueAt: deadline,
        });
        data = { deadline: deadline.toISOString() };
        notify = {
          ids: [...(await assigneeUsers()), ...(await dispatchers(row.handlingUnitId))],
          kind: 'case.supervised',
          title: `${stateName.supervise}：${cat.name}`,
        };
        break;
      }
      case 'requestExtension': {
        const b = body as Bodies['requestExtension'];
        const until = future(b.until, 'until', now);
        if (row.resolveBy && until <= row.resolveBy)
          throw fieldError('until', 'afterDeadline', '延期时限须晚于现有时限');
        note = b.reason;
        set.extension = {
          reason: b.reason,
          until: until.toISOString(),
          requestedBy: actor.displayName,
          requestedAt: nowDate.toISOString(),
        };
        data = { until: until.toISOString() };
        notify = {
          ids: await holders(tx, { unitId: row.handlingUnitId }, 'case:extend'),
          kind: 'case.extensionRequested',
          title: `${stateName.requestExtension}：${cat.name}`,
        };
        break;
      }
      case 'approveExtension': {
        const b = body as Bodies['approveExtension'];
        const ext = row.extension as NonNullable<CaseRow['extension']>;
        note = b.note ?? null;
        data = { approved: b.approved, until: ext.until };
        set.extension = null;
        if (b.approved) {
          const until = new Date(ext.until);
          startStep('resolve', until, new Date(now + (until.getTime() - now) * 0.8));
          set.resolveBy = until;
        }
        notify = {
          ids: await assigneeUsers(),
          kind: 'case.extensionDecided',
          title: `延期申请${b.approved ? '已批准' : '未批准'}：${cat.name}`,
        };
        break;
      }
      case 'merge': {
        const b = body as Bodies['merge'];
        if (b.intoCaseId === row.id) throw fieldError('intoCaseId', 'different', '不能合并到自身');
        const [target] = await tx.select().from(cases).where(eq(cases.id, b.intoCaseId)).for('update');
        if (!target || !canSeeTarget(actor, target))
          throw fieldError('intoCaseId', 'exists', '目标事件不存在');
        if (['closed', 'rejected', 'cancelled', 'merged'].includes(target.status))
          throw fieldError('intoCaseId', 'open', '目标事件已结束，不能合并');
        note = b.note ?? null;
        data = { intoCaseId: target.id, intoCode: target.code };
        endSteps();
        Object.assign(set, { mergedInto: target.id, closedAt: nowDate });
        await tx.insert(caseEvents).values({
          caseId: target.id,
          action: 'note',
          fromState: target.status,
          toState: target.status,
          ...eventActor(actor),
          note: `合并重复事件 ${row.code}`,
          data: { mergedCaseId: row.id, mergedCode: row.code },
        });
        break;
      }
      case 'cancel': {
        note = (body as Bodies['cancel']).reason;
        endSteps();
        set.closedAt = nowDate;
        break;
      }
    }
    set.status = to;
    const [updated] = await tx.update(cases).set(set).where(eq(cases.id, row.id)).returning();
    await tx.insert(caseEvents).values({
      caseId: row.id,
      action,
      fromState: from,
      toState: to,
      ...eventActor(actor),
      note,
      data,
      attachmentIds: photos.length ? photos : null,
      clientKey,
    });
    const told = notify
      ? await notifyUsers(
          tx,
          notify.ids.filter((u) => u !== actor.userId),
          { kind: notify.kind, title: notify.title, body: row.description.slice(0, 80), caseId: row.id },
        )
      : [];
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'case.action',
      targetType: 'case',
      targetId: row.id,
      payload: { action, from, to },
    });
    return { row: updated as CaseRow, told };
  });
  publishNotifications(deps.bus, out.told);
  deps.bus.publish(caseBusEvent(out.row));
  for (const m of sms) await deps.sms.send(deps.crypto.decrypt(m.phoneEnc), m.text).catch(() => undefined);
  return out.row;
}

function canSeeTarget(actor: Actor, target: CaseRow): boolean {
  try {
    assertCanSee(actor, target);
    return true;
  } catch {
    return false;
  }
}

export async function batchDispatch(
  deps: CaseDeps,
  actor: Actor,
  input: z.infer<typeof batchDispatchInput>,
  meta: RequestMeta,
) {
  const succeeded: string[] = [];
  const failed: { id: string; code: string; message: string }[] = [];
  // Each case is its own transaction: one that cannot be dispatched does not hold back the rest.
  for (const id of input.caseIds) {
    try {
      await performAction(
        deps,
        actor,
        id,
        'dispatch',
        { assignee: input.assignee, instructions: input.instructions },
        meta,
      );
      succeeded.push(id);
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('INTERNAL');
      failed.push({ id, code: err.code, message: err.errors?.[0]?.message ?? err.message });
    }
  }
  return { succeeded, failed };
}

/**
 * Whom a case may be dispatched to. People: only those who can handle cases (case:handle)
 * — the handling unit's own staff and those below it, nearest first, then department
 * handlers (a dispatch to one names his department too) — found by name with `q`.
 */
export async function assigneeChoices(db: Db, actor: Actor, id: string, q?: string) {
  const row = await loadCase(db, actor, id);
  const path = handlingPath(row);
  const handlers = sql`exists (select 1 from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.roleId}
    where ${userRoles.userId} = ${users.id} and ${roles.permissions} ? 'case:handle')`;
  const term = q?.trim().replace(/[\\%_]/g, '\\$&');
  const named = term ? sql`${users.displayName} like ${`%${term}%`}` : undefined;
  const [depts, units, people] = await Promise.all([
    db
      .select({ id: departments.id, name: departments.name })
      .from(departments)
      .where(isNull(departments.retiredAt))
      .orderBy(asc(departments.id)),
    db
      .select({ id: orgUnits.id, name: orgUnits.name, level: orgUnits.level })
      .from(orgUnits)
      .where(and(sql`${orgUnits.path} like ${`${path}%`}`, isNull(orgUnits.retiredAt)))
      .orderBy(asc(orgUnits.path))
      .limit(500),
    db
      .select({
        id: users.id,
        name: users.displayName,
        unitName: sql<string | null>`coalesce(${orgUnits.name}, ${departments.name})`,
      })
      .from(users)
      .leftJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      .leftJoin(departments, eq(departments.id, users.departmentId))
      .where(
        and(
          isNull(users.disabledAt),
          sql`(${users.orgPath} like ${`${path}%`} or ${users.departmentId} is not null)`,
          handlers,
          named,
        ),
      )
      .orderBy(sql`length(${users.orgPath}) nulls last`, asc(users.displayName))
      .limit(100),
  ]);
  return { departments: depts, units, users: people };
}

/** Whether this user already did an action sent with this Idempotency-Key on the case. */
export async function actionDone(db: Db, actor: Actor, caseId: string, clientKey: string): Promise<boolean> {
  const [e] = await db
    .select({ id: caseEvents.id })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, caseId),
        eq(caseEvents.actorId, actor.userId),
        eq(caseEvents.clientKey, clientKey),
      ),
    )
    .limit(1);
  return !!e;
}

/**
 * Photos attached to a visit (care or household) must be the visitor's own uploads not yet
 * taken by a case: nobody attaches another person's file.
 */
export async function assertOwnPhotos(db: Db, userId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const mine = await db
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.ownerId, userId), isNull(files.caseId)));
  if (mine.length !== new Set(ids).size) throw fieldError('photoIds', 'owned', '照片不存在或不是您上传的');
}
