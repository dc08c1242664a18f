import type { AgendaItem, BriefingDetail, BriefingInput } from '@civicgrid/core/api/briefings';
import { riskLevelNames } from '@civicgrid/core/api/disputes';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { type Area, areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { listDisputes } from '../disputes/service.js';
import { grievancesNearDeadline } from '../grievances/service.js';
import { registerPathFollower } from '../org/service.js';
import { departments, orgUnits } from '../org/tables.js';
import { buildingHotspots, casesNeedingAttention, hotspots } from './hotspots.js';
import { briefingsScope, ownsTask } from './policy.js';
import { briefings, briefingTasks } from './tables.js';

export interface BriefingDeps {
  db: Db;
  crypto: FieldCrypto;
}

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(briefings)
    .set({ orgPath: sql`${to} || substr(${briefings.orgPath}, ${from.length + 1})` })
    .where(sql`${briefings.orgPath} like ${`${from}%`}`);
});

const deadlineStepNames = { acknowledge: '告知受理', answer: '书面答复', reviewAnswer: '复查答复' } as const;

/**
 * The agenda the platform draws up for a meeting of the area (会商研判): red and orange
 * disputes still open (through the disputes service), grievances whose deadline is near or
 * past (the grievances service), open cases overdue or under supervision, and the hot spots
 * of the last 30 days. Each module's own scope decides what of it the actor sees.
 */
export async function agenda(deps: BriefingDeps, actor: Actor, orgUnitId: number | undefined) {
  const { db } = deps;
  const area = await resolveArea(db, actor, orgUnitId);
  const items: AgendaItem[] = [];
  // Red disputes go to the street and the district at once; orange ones wait for the meeting.
  for (const riskLevel of ['red', 'orange'] as const) {
    const { items: found } = await listDisputes({ db, crypto: deps.crypto, bus: null }, actor, {
      riskLevel,
      ...(area.id === null ? {} : { orgUnitId: area.id }),
      page: 1,
      pageSize: 100,
    });
    for (const d of found.filter((x) => x.status !== 'closed'))
      items.push({
        kind: 'dispute',
        refId: d.id,
        title: `${d.code} ${[d.applicants.join('、'), d.respondents.join('、')].filter(Boolean).join(' 与 ')}`,
        reason: `${riskLevelNames[riskLevel]}风险矛盾纠纷${d.overdue ? '，已超期' : ''}`,
      });
  }
  for (const g of await grievancesNearDeadline(db, actor, area.path))
    items.push({
      kind: 'grievance',
      refId: g.id,
      title: `${g.code} ${g.subject}`,
      reason: `${deadlineStepNames[g.deadline?.step ?? 'answer']}${g.deadline?.state === 'overdue' ? '已超期' : '临近期限'}（${g.deadline?.due ?? ''}）`,
    });
  for (const c of await casesNeedingAttention(db, actor, area))
    items.push({
      kind: 'case',
      refId: c.id,
      title: `${c.code} ${c.description.slice(0, 40)}`,
      reason: `${[c.overdue ? '超期' : null, c.supervised ? '督办' : null].filter(Boolean).join('、')}事件`,
    });
  for (const h of await hotspots(db, actor, area, 30))
    items.push({
      kind: 'hotspot',
      refId: `${h.categoryCode}:${h.gridId}`,
      title: `${h.gridName ?? h.gridId} ${h.categoryName ?? h.categoryCode}`,
      reason: `30 日内同类问题 ${h.count} 次`,
    });
  for (const h of await buildingHotspots(db, actor, area, 30))
    items.push({
      kind: 'hotspot',
      refId: `${h.categoryCode}:${h.gridId}:${h.buildingId ?? h.place}`,
      title: `${h.place} ${h.categoryName ?? h.categoryCode}`,
      reason: `30 日内同一楼栋/地址同类问题 ${h.count} 次`,
    });
  return { items };
}

export async function hotspotsOf(db: Db, actor: Actor, orgUnitId: number | undefined, days: number) {
  const area = await resolveArea(db, actor, orgUnitId);
  return {
    items: await hotspots(db, actor, area, days),
    buildings: await buildingHotspots(db, actor, area, days),
  };
}

/** A meeting held: its record and each decision as a supervised task, in one transaction. */
export async function holdBriefing(db: Db, actor: Actor, input: BriefingInput, meta: RequestMeta) {
  const area = await resolveArea(db, actor, input.orgUnitId);
  const ownerIds = input.decisions.flatMap((d) => (d.ownerUserId ? [d.ownerUserId] : []));
  const deptIds = input.decisions.flatMap((d) => (d.departmentId ? [d.departmentId] : []));
  const [owners, depts] = await Promise.all([
    ownerIds.length
      ? db
          .select({ id: users.id })
          .from(users)
          .where(and(inArray(users.id, ownerIds), isNull(users.disabledAt)))
      : [],
    deptIds.length
      ? db.select({ id: departments.id }).from(departments).where(inArray(departments.id, deptIds))
      : [],
  ]);
  input.decisions.forEach((d, i) => {
    if (d.ownerUserId && !owners.some((o) => o.id === d.ownerUserId))
      throw fieldError(`decisions.${i}.ownerUserId`, 'exists', 'BRIEFING_OWNER_UNKNOWN');
    if (d.departmentId && !depts.some((o) => o.id === d.departmentId))
      throw fieldError(`decisions.${i}.departmentId`, 'exists', 'BRIEFING_DEPARTMENT_UNKNOWN');
    if (d.dueOn < input.heldOn) throw fieldError(`decisions.${i}.dueOn`, 'min', 'BRIEFING_DUE_PAST');
  });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(briefings)
      .values({
        orgUnitId: area.id as number,
        orgPath: area.path,
        title: input.title,
        heldOn: input.heldOn,
        attendees: input.attendees,
        minutes: input.minutes,
        agenda: input.agenda,
        createdBy: actor.userId,
      })
      .returning({ id: briefings.id });
    const id = (row as { id: string }).id;
    await tx.insert(briefingTasks).values(
      input.decisions.map((d) => ({
        briefingId: id,
        text: d.text,
        ownerUserId: d.ownerUserId ?? null,
        departmentId: d.departmentId ?? null,
        dueOn: d.dueOn,
      })),
    );
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'briefing.held',
      targetType: 'briefing',
      targetId: id,
      payload: { orgUnitId: area.id as number, decisions: input.decisions.length },
    });
    return { id };
  });
}

const taskColumns = {
  t: briefingTasks,
  briefingTitle: briefings.title,
  ownerName: users.displayName,
  departmentName: departments.name,
};
function presentTask(x: {
  t: typeof briefingTasks.$inferSelect;
  briefingTitle: string;
  ownerName: string | null;
  departmentName: string | null;
}) {
  return {
    id: x.t.id,
    briefingId: x.t.briefingId,
    briefingTitle: x.briefingTitle,
    text: x.t.text,
    ownerUserId: x.t.ownerUserId,
    ownerName: x.ownerName,
    departmentId: x.t.departmentId,
    departmentName: x.departmentName,
    dueOn: x.t.dueOn,
    doneAt: x.t.doneAt?.toISOString() ?? null,
    doneNote: x.t.doneNote,
    overdue: x.t.doneAt === null && x.t.dueOn < localDay(Date.now()),
  };
}
const tasksQuery = (db: Db) =>
  db
    .select(taskColumns)
    .from(briefingTasks)
    .innerJoin(briefings, eq(briefings.id, briefingTasks.briefingId))
    .leftJoin(users, eq(users.id, briefingTasks.ownerUserId))
    .leftJoin(departments, eq(departments.id, briefingTasks.departmentId));

async function unitName(db: Db, id: number) {
  const [u] = await db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, id));
  return u?.name ?? null;
}

export async function listBriefings(
  db: Db,
  actor: Actor,
  q: { orgUnitId?: number | undefined; page: number; pageSize: number },
) {
  const area: Area | undefined =
    q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const { items, total } = await listScoped(db, actor, briefingsScope, {
    where: area ? areaCondition(area, briefings.orgPath) : undefined,
    orderBy: [desc(briefings.heldOn), desc(briefings.createdAt)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const counts = items.length
    ? await db
        .select({
          id: briefingTasks.briefingId,
          n: sql<number>`count(*)::int`,
          done: sql<number>`count(${briefingTasks.doneAt})::int`,
        })
        .from(briefingTasks)
        .where(
          inArray(
            briefingTasks.briefingId,
            items.map((b) => b.id),
          ),
        )
        .groupBy(briefingTasks.briefingId)
    : [];
  const byId = new Map(counts.map((c) => [c.id, c]));
  const names = new Map<number, string | null>();
  for (const b of items) if (!names.has(b.orgUnitId)) names.set(b.orgUnitId, await unitName(db, b.orgUnitId));
  return {
    items: items.map((b) => ({
      id: b.id,
      orgUnitId: b.orgUnitId,
      orgUnitName: names.get(b.orgUnitId) ?? null,
      title: b.title,
      heldOn: b.heldOn,
      decisions: Number(byId.get(b.id)?.n ?? 0),
      done: Number(byId.get(b.id)?.done ?? 0),
    })),
    total,
  };
}

export async function briefingDetail(db: Db, actor: Actor, id: string): Promise<BriefingDetail> {
  const b = await loadScoped(db, actor, briefingsScope, id);
  const tasks = (
    await tasksQuery(db).where(eq(briefingTasks.briefingId, b.id)).orderBy(asc(briefingTasks.id))
  ).map(presentTask);
  return {
    id: b.id,
    orgUnitId: b.orgUnitId,
    orgUnitName: await unitName(db, b.orgUnitId),
    title: b.title,
    heldOn: b.heldOn,
    decisions: tasks.length,
    done: tasks.filter((t) => t.doneAt !== null).length,
    attendees: b.attendees,
    minutes: b.minutes,
    agenda: b.agenda,
    tasks,
  };
}

/** 督办事项: of the meetings in sight, and the actor's own (his, or his department's). */
export async function listTasks(
  db: Db,
  actor: Actor,
  q: { orgUnitId?: number | undefined; open?: boolean | undefined; page: number; pageSize: number },
) {
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const mine: SQL[] = [eq(briefingTasks.ownerUserId, actor.userId)];
  if (actor.departmentId !== null) mine.push(eq(briefingTasks.departmentId, actor.departmentId));
  const where = and(
    or(briefingsScope.where(actor), ...mine),
    area ? areaCondition(area, briefings.orgPath) : undefined,
    q.open === undefined
      ? undefined
      : q.open
        ? isNull(briefingTasks.doneAt)
        : sql`${briefingTasks.doneAt} is not null`,
  );
  const rows = await tasksQuery(db)
    .where(where)
    .orderBy(asc(briefingTasks.dueOn), asc(briefingTasks.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [t] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(briefingTasks)
    .innerJoin(briefings, eq(briefings.id, briefingTasks.briefingId))
    .where(where);
  return { items: rows.map(presentTask), total: Number(t?.n ?? 0) };
}

/**
 * A supervised task done, with how it was carried out: by its owner (the person or his
 * department) or by the meeting's unit (briefing:manage in sight). Others who see it: 403.
 */
export async function finishTask(db: Db, actor: Actor, taskId: number, note: string, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const [task] = await tx.select().from(briefingTasks).where(eq(briefingTasks.id, taskId)).for('update');
    if (!task) throw new AppError('NOT_FOUND');
    const [b] = await tx.select().from(briefings).where(eq(briefings.id, task.briefingId));
    const seen = b !== undefined && briefingsScope.visible(actor, b);
    const owner = ownsTask(actor, task);
    if (!seen && !owner) throw new AppError('NOT_FOUND');
    if (!owner && !actor.permissions.has('briefing:manage')) throw new AppError('BRIEFING_TASK_NOT_YOURS');
    if (task.doneAt) throw new AppError('BRIEFING_TASK_DONE');
    await tx
      .update(briefingTasks)
      .set({ doneAt: new Date(), doneNote: note, doneBy: actor.userId })
      .where(eq(briefingTasks.id, task.id));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'briefingTask.done',
      targetType: 'briefing',
      targetId: task.briefingId,
      payload: { taskId: task.id },
    });
    const [row] = await tasksQuery(tx).where(eq(briefingTasks.id, task.id));
    return presentTask(row as Parameters<typeof presentTask>[0]);
  });
}
