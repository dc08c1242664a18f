import type {
  ActivityDetail,
  ActivityInput,
  ActivityListQuery,
  CheckInInput,
  CheckOutInput,
  VolunteerDetail,
  VolunteerInput,
  VolunteerListQuery,
} from '@civicgrid/core/api/volunteers';
import { atPlace, checkInWindow, creditedMinutes, hoursOf } from '@civicgrid/core/participation/volunteers';
import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { type ActivityRow, actingForRefusal, activitiesScope, volunteersScope } from './policy.js';
import { presentActivity, presentVolunteer } from './presenter.js';
import { volunteerActivities, volunteerAttendances, volunteerSignUps, volunteers } from './tables.js';
import { teamInScope, teamNames } from './volunteerTeams.js';
import { volunteerTeams } from './volunteerTeamTables.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

registerPathFollower(async (tx, from, to) => {
  for (const t of [volunteers, volunteerActivities, volunteerTeams]) {
    await tx
      .update(t)
      .set({ orgPath: sql`${to} || substr(${t.orgPath}, ${from.length + 1})` })
      .where(sql`${t.orgPath} like ${`${from}%`}`);
  }
});

type VolunteerAudit =
  | 'volunteer.registered'
  | 'volunteerActivity.created'
  | 'volunteer.signedUp'
  | 'volunteer.checkedIn'
  | 'volunteer.checkedOut'
  | 'volunteer.checkedInByCode'
  | 'volunteerActivity.codeIssued'
  | 'volunteerTeam.created'
  | 'volunteerTeam.updated'
  | 'volunteerTeam.memberAdded'
  | 'volunteerTeam.memberRemoved';

export function audit<A extends VolunteerAudit>(
  tx: Db | Tx,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  target: { targetType: string; targetId: string },
  payload: AuditPayload<A>,
) {
  return appendAudit(tx as Db, auditActorOf(actor, meta), auditEntry(action, target, payload));
}

/** The area a volunteer serves or an activity runs in: a community or a grid of the actor's jurisdiction. */
export async function areaUnit(db: Db, actor: Actor, orgUnitId: number) {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!u || u.retiredAt || (u.level !== 'community' && u.level !== 'grid') || !pathInScope(actor, u.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'VOLUNTEER_UNIT');
  return u;
}

/** Minutes credited to each of some volunteers (closed pairs only). */
export async function minutesOf(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: volunteerAttendances.volunteerId,
      minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
    })
    .from(volunteerAttendances)
    .where(inArray(volunteerAttendances.volunteerId, ids))
    .groupBy(volunteerAttendances.volunteerId);
  return new Map(rows.map((r) => [r.id, r.minutes]));
}

export async function unitNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(inArray(orgUnits.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * 志愿者登记 (POST /api/volunteers): name, phone (encrypted, indexed blind), the resident on
 * file when he lives here, skills, area and availability. One registration per phone and area.
 */
export async function registerVolunteer(
  deps: AppDeps,
  actor: Actor,
  input: VolunteerInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const unit = await areaUnit(db, actor, input.orgUnitId);
  if (input.residentId !== undefined) {
    const [r] = await db.select().from(residents).where(eq(residents.id, input.residentId));
    if (!r || !residentScope.visible(actor, r))
      throw fieldError('residentId', 'inJurisdiction', 'VOLUNTEER_RESIDENT_UNKNOWN');
  }
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(volunteers)
      .values({
        name: input.name,
        phoneEnc: crypto.encrypt(input.phone),
        phoneIdx: crypto.blindIndex(input.phone),
        residentId: input.residentId ?? null,
        skills: [...new Set(input.skills)],
        orgUnitId: unit.id,
        orgPath: unit.path,
        availability: input.availability ?? null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning({ id: volunteers.id });
    if (!row) return null;
    await audit(
      tx,
      actor,
      meta,
      'volunteer.registered',
      { targetType: 'volunteer', targetId: row.id },
      { orgUnitId: unit.id, resident: input.residentId !== undefined },
    );
    return row.id;
  });
  if (!id) throw fieldError('phone', 'unique', 'VOLUNTEER_DUPLICATE');
  return volunteerDetail(deps, actor, id);
}

/** The volunteers in sight: by name (or the whole phone number), skill and area. */
export async function listVolunteers(deps: AppDeps, actor: Actor, q: VolunteerListQuery) {
  const { db, crypto } = deps;
  const cond: (SQL | undefined)[] = [q.skill ? sql`${q.skill} = any(${volunteers.skills})` : undefined];
  if (q.q) {
    cond.push(
      /^1\d{10}$/.test(q.q)
        ? eq(volunteers.phoneIdx, crypto.blindIndex(q.q))
        : ilike(volunteers.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
    );
  }
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), volunteers.orgPath));
  const { items, total } = await listScoped(db, actor, volunteersScope, {
    where: and(...cond),
    orderBy: [desc(volunteers.createdAt), desc(volunteers.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const [minutes, names] = await Promise.all([
    minutesOf(
      db,
      items.map((v) => v.id),
    ),
    unitNames(
      db,
      items.map((v) => v.orgUnitId),
    ),
  ]);
  return {
    items: items.map((v) =>
      presentVolunteer(v, crypto, names.get(v.orgUnitId) ?? '', minutes.get(v.id) ?? 0),
    ),
    total,
  };
}

/** One volunteer with his credited hours and his service record. */
export async function volunteerDetail(deps: AppDeps, actor: Actor, id: string): Promise<VolunteerDetail> {
  const { db, crypto } = deps;
  const v = await loadScoped(db, actor, volunteersScope, id);
  const [minutes, names, record] = await Promise.all([
    minutesOf(db, [v.id]),
    unitNames(db, [v.orgUnitId]),
    db
      .select({ a: volunteerAttendances, title: volunteerActivities.title })
      .from(volunteerAttendances)
      .innerJoin(volunteerActivities, eq(volunteerActivities.id, volunteerAttendances.activityId))
      .where(eq(volunteerAttendances.volunteerId, v.id))
      .orderBy(desc(volunteerAttendances.checkedInAt))
      .limit(200),
  ]);
  return {
    ...presentVolunteer(v, crypto, names.get(v.orgUnitId) ?? '', minutes.get(v.id) ?? 0),
    record: record.map(({ a, title }) => ({
      activityId: a.activityId,
      activityTitle: title,
      checkedInAt: a.checkedInAt.toISOString(),
      checkedOutAt: a.checkedOutAt?.toISOString() ?? null,
      minutes: a.minutes,
      method: a.method,
    })),
  };
}

/** 发布志愿活动 (POST /api/volunteer-activities): a place with a check-in radius, and its hours. */
export async function createActivity(db: Db, actor: Actor, input: ActivityInput, meta: RequestMeta) {
  const unit = await areaUnit(db, actor, input.orgUnitId);
  const team = input.teamId === undefined ? null : await teamInScope(db, actor, input.teamId);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(volunteerActivities)
      .values({
        title: input.title,
        description: input.description ?? null,
        placeName: input.placeName,
        lat: input.location.lat,
        lng: input.location.lng,
        radiusM: input.radiusM,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        orgUnitId: unit.id,
        orgPath: unit.path,
        status: 'open',
        capacity: input.capacity ?? null,
        teamId: team?.id ?? null,
        createdBy: actor.userId,
      })
      .returning({ id: volunteerActivities.id });
    const aid = (row as { id: string }).id;
    await audit(
      tx,
      actor,
      meta,
      'volunteerActivity.created',
      { targetType: 'volunteerActivity', targetId: aid },
      { orgUnitId: unit.id, radiusM: input.radiusM },
    );
    return aid;
  });
  return activityDetail(db, actor, id);
}

/** Sign-ups, volunteers checked in now, and minutes credited, per activity. */
async function activityCounts(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { signUps: number; checkedIn: number; minutes: number }>();
  const [signUps, attendance] = await Promise.all([
    db
      .select({ id: volunteerSignUps.activityId, n: sql<number>`count(*)::int` })
      .from(volunteerSignUps)
      .where(inArray(volunteerSignUps.activityId, ids))
      .groupBy(volunteerSignUps.activityId),
    db
      .select({
        id: volunteerAttendances.activityId,
        open: sql<number>`count(*) filter (where ${volunteerAttendances.checkedOutAt} is null)::int`,
        minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
      })
      .from(volunteerAttendances)
      .where(inArray(volunteerAttendances.activityId, ids))
      .groupBy(volunteerAttendances.activityId),
  ]);
  return new Map(
    ids.map((id) => {
      const a = attendance.find((x) => x.id === id);
      return [
        id,
        {
          signUps: signUps.find((x) => x.id === id)?.n ?? 0,
          checkedIn: a?.open ?? 0,
          minutes: a?.minutes ?? 0,
        },
      ];
    }),
  );
}

export async function listActivities(db: Db, actor: Actor, q: ActivityListQuery) {
  const now = new Date();
  const cond: (SQL | undefined)[] = [
    q.status ? eq(volunteerActivities.status, q.status) : undefined,
    q.when === 'upcoming' ? gt(volunteerActivities.endsAt, now) : undefined,
    q.when === 'past' ? lt(volunteerActivities.endsAt, now) : undefined,
    q.teamId ? eq(volunteerActivities.teamId, q.teamId) : undefined,
  ];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), volunteerActivities.orgPath));
  const { items, total } = await listScoped(db, actor, activitiesScope, {
    where: and(...cond),
    orderBy: [desc(volunteerActivities.startsAt), desc(volunteerActivities.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const ids = items.map((a) => a.id);
  const [counts, names, teams] = await Promise.all([
    activityCounts(db, ids),
    unitNames(
      db,
      items.map((a) => a.orgUnitId),
    ),
    teamNames(
      db,
      items.map((a) => a.teamId),
    ),
  ]);
  return {
    items: items.map((a) =>
      presentActivity(
        a,
        names.get(a.orgUnitId) ?? '',
        counts.get(a.id) ?? { signUps: 0, checkedIn: 0, minutes: 0 },
        a.teamId ? (teams.get(a.teamId) ?? null) : null,
      ),
    ),
    total,
  };
}

/**
 * One activity with its participants. Staff see every volunteer signed up; a volunteer sees
 * only himself among them (the others' names are not his to read).
 */
export async function activityDetail(db: Db, actor: Actor, id: string): Promise<ActivityDetail> {
  const a = await loadScoped(db, actor, activitiesScope, id);
  const staff = actor.permissions.has('volunteer:read');
  const [counts, names, teams, people, open, credited] = await Promise.all([
    activityCounts(db, [a.id]),
    unitNames(db, [a.orgUnitId]),
    teamNames(db, [a.teamId]),
    db
      .select({ s: volunteerSignUps, name: volunteers.name, userId: volunteers.userId })
      .from(volunteerSignUps)
      .innerJoin(volunteers, eq(volunteers.id, volunteerSignUps.volunteerId))
      .where(
        and(eq(volunteerSignUps.activityId, a.id), staff ? undefined : eq(volunteers.userId, actor.userId)),
      )
      .orderBy(asc(volunteerSignUps.at)),
    db
      .select({ volunteerId: volunteerAttendances.volunteerId, at: volunteerAttendances.checkedInAt })
      .from(volunteerAttendances)
      .where(and(eq(volunteerAttendances.activityId, a.id), isNull(volunteerAttendances.checkedOutAt))),
    db
      .select({
        volunteerId: volunteerAttendances.volunteerId,
        minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
      })
      .from(volunteerAttendances)
      .where(eq(volunteerAttendances.activityId, a.id))
      .groupBy(volunteerAttendances.volunteerId),
  ]);
  return {
    ...presentActivity(
      a,
      names.get(a.orgUnitId) ?? '',
      counts.get(a.id) ?? { signUps: 0, checkedIn: 0, minutes: 0 },
      a.teamId ? (teams.get(a.teamId) ?? null) : null,
    ),
    participants: people.map(({ s, name }) => ({
      volunteerId: s.volunteerId,
      name,
      signedUpAt: s.at.toISOString(),
      checkedInAt: open.find((o) => o.volunteerId === s.volunteerId)?.at.toISOString() ?? null,
      minutes: credited.find((c) => c.volunteerId === s.volunteerId)?.minutes ?? 0,
    })),
  };
}

/** The activity (404 outside sight) and the volunteer the actor acts for (400/403 otherwise). */
async function activityAndVolunteer(tx: Db | Tx, actor: Actor, activityId: string, volunteerId: string) {
  const activity = await loadScoped(tx as Db, actor, activitiesScope, activityId);
  const [v] = await tx.select().from(volunteers).where(eq(volunteers.id, volunteerId));
  const refused = actingForRefusal(actor, v);
  if (refused) throw refused;
  return { activity, volunteer: v as NonNullable<typeof v> };
}

function refuseClosed(activity: ActivityRow, now: Date) {
  if (activity.status !== 'open' || checkInWindow(activity, now) !== 'open')
    throw new AppError('VOLUNTEER_ACTIVITY_CLOSED');
}

/** 报名: once per volunteer and activity, while it has places and has not ended. */
export async function signUp(
  db: Db,
  actor: Actor,
  activityId: string,
  volunteerId: string,
  meta: RequestMeta,
) {
  const now = new Date();
  await db.transaction(async (tx) => {
    const { activity } = await activityAndVolunteer(tx, actor, activityId, volunteerId);
    if (activity.status !== 'open' || activity.endsAt.getTime() < now.getTime())
      throw new AppError('VOLUNTEER_ACTIVITY_CLOSED');
    // The activity row is locked so that two sign-ups for its last place do not both pass.
    await tx
      .select({ id: volunteerActivities.id })
      .from(volunteerActivities)
      .where(eq(volunteerActivities.id, activity.id))
      .for('update');
    if (activity.capacity !== null) {
      const [n] = await tx
        .select({ n: count() })
        .from(volunteerSignUps)
        .where(eq(volunteerSignUps.activityId, activity.id));
      if (Number(n?.n ?? 0) >= activity.capacity) throw new AppError('VOLUNTEER_ACTIVITY_FULL');
    }
    const [row] = await tx
      .insert(volunteerSignUps)
      .values({ activityId: activity.id, volunteerId, signedUpBy: actor.userId, at: now })
      .onConflictDoNothing()
      .returning({ id: volunteerSignUps.volunteerId });
    if (!row) throw new AppError('VOLUNTEER_ALREADY_SIGNED_UP');
    await audit(
      tx,
      actor,
      meta,
      'volunteer.signedUp',
      { targetType: 'volunteerActivity', targetId: activity.id },
      { volunteerId, activityId: activity.id },
    );
  });
  return activityDetail(db, actor, activityId);
}

export async function attendanceReply(db: Db, row: typeof volunteerAttendances.$inferSelect) {
  const minutes = await minutesOf(db, [row.volunteerId]);
  return {
    activityId: row.activityId,
    volunteerId: row.volunteerId,
    checkedInAt: row.checkedInAt.toISOString(),
    checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
    minutes: row.minutes,
    distanceM: row.checkInDistanceM,
    method: row.method,
    hours: hoursOf(minutes.get(row.volunteerId) ?? 0),
  };
}

/**
 * 签到 at the place: the volunteer signed up, the activity open for check-in, the location
 * within its radius (400 `location` otherwise, saying how far). At most one open check-in per
 * volunteer and activity — the partial unique index decides, so two at once cannot both pass.
 */
export async function checkIn(
  db: Db,
  actor: Actor,
  activityId: string,
  input: CheckInInput,
  meta: RequestMeta,
) {
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const { activity } = await activityAndVolunteer(tx, actor, activityId, input.volunteerId);
    const [signed] = await tx
      .select({ id: volunteerSignUps.volunteerId })
      .from(volunteerSignUps)
      .where(
        and(
          eq(volunteerSignUps.activityId, activity.id),
          eq(volunteerSignUps.volunteerId, input.volunteerId),
        ),
      );
    if (!signed) throw new AppError('VOLUNTEER_NOT_SIGNED_UP');
    refuseClosed(activity, now);
    const place = atPlace(
      { lat: activity.lat, lng: activity.lng, radiusM: activity.radiusM },
      input.location,
    );
    if (!place.inside)
      throw fieldError('location', 'withinRadius', 'VOLUNTEER_FAR_FROM_PLACE', {
        distance: place.distance,
        radius: activity.radiusM,
      });
    const [att] = await tx
      .insert(volunteerAttendances)
      .values({
        activityId: activity.id,
        volunteerId: input.volunteerId,
        checkedInAt: now,
        checkInDistanceM: place.distance,
        checkedInBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!att) throw new AppError('VOLUNTEER_ALREADY_CHECKED_IN');
    await audit(
      tx,
      actor,
      meta,
      'volunteer.checkedIn',
      { targetType: 'volunteerActivity', targetId: activity.id },
      { volunteerId: input.volunteerId, activityId: activity.id, distanceM: place.distance },
    );
    return att;
  });
  return attendanceReply(db, row);
}

/** 签退: closes the open check-in and credits its minutes (closeOpenPair). */
export async function checkOut(
  db: Db,
  actor: Actor,
  activityId: string,
  input: CheckOutInput,
  meta: RequestMeta,
) {
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const { activity } = await activityAndVolunteer(tx, actor, activityId, input.volunteerId);
    return closeOpenPair(tx, actor, meta, activity, input.volunteerId, now);
  });
  return attendanceReply(db, row);
}

/**
 * Closes the volunteer's open pair at the activity and credits its minutes (the overlap with the
 * activity's hours). The update takes the pair only while it is open, so of a burst of the same
 * check-out one closes it and credits, the others find nothing open (409).
 */
export async function closeOpenPair(
  tx: Db | Tx,
  actor: Actor,
  meta: RequestMeta,
  activity: ActivityRow,
  volunteerId: string,
  now: Date,
) {
  const [open] = await tx
    .select()
    .from(volunteerAttendances)
    .where(
      and(
        eq(volunteerAttendances.activityId, activity.id),
        eq(volunteerAttendances.volunteerId, volunteerId),
        isNull(volunteerAttendances.checkedOutAt),
      ),
    );
  if (!open) throw new AppError('VOLUNTEER_NOT_CHECKED_IN');
  const minutes = creditedMinutes(activity, open.checkedInAt, now);
  const [closed] = await tx
    .update(volunteerAttendances)
    .set({ checkedOutAt: now, minutes, checkedOutBy: actor.userId })
    .where(and(eq(volunteerAttendances.id, open.id), isNull(volunteerAttendances.checkedOutAt)))
    .returning();
  if (!closed) throw new AppError('VOLUNTEER_NOT_CHECKED_IN');
  await audit(
    tx,
    actor,
    meta,
    'volunteer.checkedOut',
    { targetType: 'volunteerActivity', targetId: activity.id },
    { volunteerId, activityId: activity.id, minutes },
  );
  return closed;
}
