import type {
  DualRegistration,
  DualRegistrationInput,
  DualRegistrationQuery,
  JointMeeting,
  JointMeetingInput,
} from '@civicgrid/core/api/dualRegistrations';
import { hoursOf } from '@civicgrid/core/participation/volunteers';
import { and, desc, eq, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { type Db, queryRows } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { dualRegistrationsScope, jointMeetingsScope, volunteersScope } from './policy.js';
import { dualRegistrations, jointMeetings, volunteerAttendances, volunteers } from './tables.js';

registerPathFollower(async (tx, from, to) => {
  for (const t of [dualRegistrations, jointMeetings]) {
    await tx
      .update(t)
      .set({ orgPath: sql`${to} || substr(${t.orgPath}, ${from.length + 1})` })
      .where(sql`${t.orgPath} like ${`${from}%`}`);
  }
});

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The community a registration or meeting belongs to: one of the actor's jurisdiction. */
async function community(db: Db, actor: Actor, orgUnitId: number, code: 'DUAL_REGISTRATION_UNIT') {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!u || u.retiredAt || u.level !== 'community' || !pathInScope(actor, u.path))
    throw fieldError('orgUnitId', 'inJurisdiction', code);
  return u;
}

type Row = typeof dualRegistrations.$inferSelect;

async function present(db: Db, rows: Row[]): Promise<DualRegistration[]> {
  const ids = rows.map((r) => r.id);
  const vols = rows.map((r) => r.volunteerId).filter((v): v is string => v !== null);
  const units = [...new Set(rows.map((r) => r.orgUnitId))];
  const [names, minutes, meetings] = await Promise.all([
    units.length
      ? db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, units))
      : [],
    vols.length
      ? db
          .select({
            id: volunteerAttendances.volunteerId,
            minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
          })
          .from(volunteerAttendances)
          .where(inArray(volunteerAttendances.volunteerId, vols))
          .groupBy(volunteerAttendances.volunteerId)
      : [],
    ids.length
      ? queryRows<{ id: string; n: number }>(
          db,
          sql`select a.id::text as id, count(*)::int as n
            from joint_meetings m, unnest(m.attendee_ids) as a(id)
            where a.id in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
            group by a.id`,
        )
      : [],
  ]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    employer: r.employer,
    contactName: r.contactName,
    phone: `${'*'.repeat(7)}${r.phoneTail}`,
    services: r.services,
    orgUnitId: r.orgUnitId,
    orgUnitName: names.find((n) => n.id === r.orgUnitId)?.name ?? '',
    registeredOn: r.registeredOn,
    volunteerId: r.volunteerId,
    hours: r.volunteerId === null ? null : hoursOf(minutes.find((m) => m.id === r.volunteerId)?.minutes ?? 0),
    meetings: meetings.find((m) => m.id === r.id)?.n ?? 0,
  }));
}

/** 双报到登记: a unit or member reports to a community of the actor's jurisdiction, once. */
export async function registerDual(
  deps: AppDeps,
  actor: Actor,
  input: DualRegistrationInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const unit = await community(db, actor, input.orgUnitId, 'DUAL_REGISTRATION_UNIT');
  if (input.volunteerId !== undefined) {
    const [v] = await db.select().from(volunteers).where(eq(volunteers.id, input.volunteerId));
    if (!v || !volunteersScope.visible(actor, v))
      throw fieldError('volunteerId', 'inJurisdiction', 'DUAL_REGISTRATION_VOLUNTEER');
  }
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(dualRegistrations)
      .values({
        kind: input.kind,
        name: input.name,
        employer: input.employer ?? null,
        contactName: input.contactName ?? null,
        phoneEnc: crypto.encrypt(input.phone),
        phoneTail: input.phone.slice(-4),
        services: [...new Set(input.services)],
        orgUnitId: unit.id,
        orgPath: unit.path,
        volunteerId: input.volunteerId ?? null,
        registeredOn: input.registeredOn ?? today(),
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!r) return null;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'dualRegistration.registered',
        { targetType: 'dualRegistration', targetId: r.id },
        { orgUnitId: unit.id, kind: input.kind },
      ),
    );
    return r;
  });
  if (!row) throw fieldError('name', 'unique', 'DUAL_REGISTRATION_DUPLICATE');
  return (await present(db, [row]))[0] as DualRegistration;
}

export async function listDual(db: Db, actor: Actor, q: DualRegistrationQuery) {
  const cond: (SQL | undefined)[] = [isNull(dualRegistrations.retiredAt)];
  if (q.kind) cond.push(eq(dualRegistrations.kind, q.kind));
  if (q.q) cond.push(ilike(dualRegistrations.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), dualRegistrations.orgPath));
  const { items, total } = await listScoped(db, actor, dualRegistrationsScope, {
    where: and(...cond),
    orderBy: [desc(dualRegistrations.registeredOn), desc(dualRegistrations.createdAt)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await present(db, items), total };
}

const quarterOf = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;

type MeetingRow = typeof jointMeetings.$inferSelect;

async function presentMeetings(db: Db, rows: MeetingRow[]): Promise<JointMeeting[]> {
  const regIds = [
    ...new Set(rows.flatMap((m) => [...m.attendeeIds, ...m.items.map((i) => i.registrationId)])),
  ];
  const units = [...new Set(rows.map((m) => m.orgUnitId))];
  const [regs, names] = await Promise.all([
    regIds.length
      ? db
          .select({ id: dualRegistrations.id, name: dualRegistrations.name })
          .from(dualRegistrations)
          .where(inArray(dualRegistrations.id, regIds))
      : [],
    units.length
      ? db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, units))
      : [],
  ]);
  const nameOf = (id: string) => regs.find((r) => r.id === id)?.name ?? '';
  return rows.map((m) => ({
    id: m.id,
    orgUnitId: m.orgUnitId,
    orgUnitName: names.find((n) => n.id === m.orgUnitId)?.name ?? '',
    heldOn: m.heldOn,
    quarter: quarterOf(m.heldOn),
    place: m.place,
    attendees: m.attendeeIds.map((id) => ({ id, name: nameOf(id) })),
    items: m.items.map((i) => ({ ...i, name: nameOf(i.registrationId) })),
    note: m.note,
    createdAt: m.createdAt.toISOString(),
  }));
}

/**
 * 联席会议: the attendees must be live registrations of the meeting's community, and every
 * agreed item taken on by one of them — each refusal names the element at fault.
 */
export async function recordJointMeeting(db: Db, actor: Actor, input: JointMeetingInput, meta: RequestMeta) {
  const unit = await community(db, actor, input.orgUnitId, 'DUAL_REGISTRATION_UNIT');
  const attendees = [...new Set(input.attendeeIds)];
  const known = await db
    .select({ id: dualRegistrations.id })
    .from(dualRegistrations)
    .where(
      and(
        inArray(dualRegistrations.id, attendees),
        eq(dualRegistrations.orgUnitId, unit.id),
        isNull(dualRegistrations.retiredAt),
      ),
    );
  const ok = new Set(known.map((k) => k.id));
  const stray = input.attendeeIds.findIndex((id) => !ok.has(id));
  if (stray !== -1) throw fieldError(`attendeeIds.${stray}`, 'registered', 'JOINT_MEETING_ATTENDEE');
  const orphan = input.items.findIndex((i) => !ok.has(i.registrationId));
  if (orphan !== -1) throw fieldError(`items.${orphan}.registrationId`, 'attendee', 'JOINT_MEETING_ITEM');
  const row = await db.transaction(async (tx) => {
    const [m] = await tx
      .insert(jointMeetings)
      .values({
        orgUnitId: unit.id,
        orgPath: unit.path,
        heldOn: input.heldOn,
        place: input.place ?? null,
        attendeeIds: attendees,
        items: input.items,
        note: input.note ?? null,
        createdBy: actor.userId,
      })
      .returning();
    const meeting = m as MeetingRow;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'jointMeeting.recorded',
        { targetType: 'jointMeeting', targetId: meeting.id },
        { orgUnitId: unit.id, attendees: attendees.length, items: input.items.length },
      ),
    );
    return meeting;
  });
  return (await presentMeetings(db, [row]))[0] as JointMeeting;
}

export async function listJointMeetings(
  db: Db,
  actor: Actor,
  q: { page: number; pageSize: number; orgUnitId?: number | undefined },
) {
  const where =
    q.orgUnitId !== undefined
      ? areaCondition(await resolveArea(db, actor, q.orgUnitId), jointMeetings.orgPath)
      : undefined;
  const { items, total } = await listScoped(db, actor, jointMeetingsScope, {
    where,
    orderBy: [desc(jointMeetings.heldOn), desc(jointMeetings.createdAt)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await presentMeetings(db, items), total };
}
