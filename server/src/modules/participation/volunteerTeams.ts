import { maskPhone } from '@civicgrid/core';
import type { TeamDetail, TeamInput, TeamListQuery, TeamPatch } from '@civicgrid/core/api/volunteerTeams';
import { hoursOf } from '@civicgrid/core/participation/volunteers';
import { and, asc, desc, eq, ilike, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { type TeamRow, volunteersScope, volunteerTeamsScope } from './policy.js';
import { volunteerActivities, volunteerAttendances, volunteers } from './tables.js';
import { areaUnit, audit, minutesOf, type Tx, unitNames } from './volunteers.js';
import { volunteerTeamMembers, volunteerTeams } from './volunteerTeamTables.js';

/** A team the request names (an activity's): in the actor's sight, or 400 `teamId`. */
export async function teamInScope(db: Db, actor: Actor, teamId: string): Promise<TeamRow> {
  const [t] = await db.select().from(volunteerTeams).where(eq(volunteerTeams.id, teamId));
  if (!t || !volunteerTeamsScope.visible(actor, t))
    throw fieldError('teamId', 'inJurisdiction', 'VOLUNTEER_TEAM_UNKNOWN');
  return t;
}

export async function teamNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: volunteerTeams.id, name: volunteerTeams.name })
    .from(volunteerTeams)
    .where(inArray(volunteerTeams.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Volunteers the actor sees, by id; the first that he does not see is refused naming `field`. */
async function visibleVolunteers(db: Db | Tx, actor: Actor, ids: string[], field: string) {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await db.select().from(volunteers).where(inArray(volunteers.id, unique)) : [];
  for (const id of unique) {
    const v = rows.find((r) => r.id === id);
    if (!v || !volunteersScope.visible(actor, v))
      throw fieldError(field, 'inJurisdiction', 'VOLUNTEER_UNKNOWN');
  }
  return rows;
}

/** Members, activities and credited minutes of some teams. */
async function teamCounts(db: Db, ids: string[]) {
  const none = { members: 0, activities: 0, minutes: 0 };
  if (!ids.length) return new Map<string, typeof none>();
  const [members, activities] = await Promise.all([
    db
      .select({ id: volunteerTeamMembers.teamId, n: sql<number>`count(*)::int` })
      .from(volunteerTeamMembers)
      .where(inArray(volunteerTeamMembers.teamId, ids))
      .groupBy(volunteerTeamMembers.teamId),
    db
      .select({
        id: volunteerActivities.teamId,
        n: sql<number>`count(distinct ${volunteerActivities.id})::int`,
        minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
      })
      .from(volunteerActivities)
      .leftJoin(volunteerAttendances, eq(volunteerAttendances.activityId, volunteerActivities.id))
      .where(inArray(volunteerActivities.teamId, ids))
      .groupBy(volunteerActivities.teamId),
  ]);
  return new Map(
    ids.map((id) => {
      const a = activities.find((x) => x.id === id);
      return [
        id,
        {
          members: members.find((x) => x.id === id)?.n ?? 0,
          activities: a?.n ?? 0,
          minutes: a?.minutes ?? 0,
        },
      ];
    }),
  );
}

async function presentTeams(db: Db, rows: TeamRow[]) {
  const leaderIds = rows.map((t) => t.leaderVolunteerId).filter((x): x is string => x !== null);
  const [counts, names, leaders] = await Promise.all([
    teamCounts(
      db,
      rows.map((t) => t.id),
    ),
    unitNames(
      db,
      rows.map((t) => t.orgUnitId),
    ),
    leaderIds.length
      ? db
          .select({ id: volunteers.id, name: volunteers.name })
          .from(volunteers)
          .where(inArray(volunteers.id, leaderIds))
      : Promise.resolve([]),
  ]);
  return rows.map((t) => {
    const c = counts.get(t.id) ?? { members: 0, activities: 0, minutes: 0 };
    const leader = leaders.find((l) => l.id === t.leaderVolunteerId);
    return {
      id: t.id,
      name: t.name,
      sponsor: t.sponsor,
      serviceFocus: t.serviceFocus,
      orgUnitId: t.orgUnitId,
      orgUnitName: names.get(t.orgUnitId) ?? '',
      leader: leader ? { volunteerId: leader.id, name: leader.name } : null,
      memberCount: c.members,
      activityCount: c.activities,
      hours: hoursOf(c.minutes),
      createdAt: t.createdAt.toISOString(),
    };
  });
}

/**
 * 组建志愿服务队 (POST /api/volunteer-teams): for a community or grid of the actor's, with
 * volunteers he sees; the leader joins as a member. A second team of the same name there is 409.
 */
export async function createTeam(deps: AppDeps, actor: Actor, input: TeamInput, meta: RequestMeta) {
  const { db } = deps;
  const unit = await areaUnit(db, actor, input.orgUnitId);
  const memberIds = [
    ...new Set([...(input.leaderVolunteerId ? [input.leaderVolunteerId] : []), ...input.memberIds]),
  ];
  if (input.leaderVolunteerId)
    await visibleVolunteers(db, actor, [input.leaderVolunteerId], 'leaderVolunteerId');
  await visibleVolunteers(db, actor, input.memberIds, 'memberIds');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(volunteerTeams)
      .values({
        name: input.name,
        sponsor: input.sponsor || null,
        serviceFocus: [...new Set(input.serviceFocus)],
        orgUnitId: unit.id,
        orgPath: unit.path,
        leaderVolunteerId: input.leaderVolunteerId ?? null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning({ id: volunteerTeams.id });
    if (!row) return null;
    if (memberIds.length)
      await tx
        .insert(volunteerTeamMembers)
        .values(memberIds.map((volunteerId) => ({ teamId: row.id, volunteerId, addedBy: actor.userId })));
    await audit(
      tx,
      actor,
      meta,
      'volunteerTeam.created',
      { targetType: 'volunteerTeam', targetId: row.id },
      { orgUnitId: unit.id, members: memberIds.length },
    );
    return row.id;
  });
  if (!id) throw fieldError('name', 'unique', 'VOLUNTEER_TEAM_DUPLICATE');
  return teamDetail(deps, actor, id);
}

export async function listTeams(deps: AppDeps, actor: Actor, q: TeamListQuery) {
  const { db } = deps;
  const cond: (SQL | undefined)[] = [
    q.q ? ilike(volunteerTeams.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  ];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), volunteerTeams.orgPath));
  const { items, total } = await listScoped(db, actor, volunteerTeamsScope, {
    where: and(...cond),
    orderBy: [asc(volunteerTeams.orgPath), asc(volunteerTeams.name)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await presentTeams(db, items), total };
}

/** One team: its members (phones masked) with their hours, and its latest activities. */
export async function teamDetail(deps: AppDeps, actor: Actor, id: string): Promise<TeamDetail> {
  const { db, crypto } = deps;
  const t = await loadScoped(db, actor, volunteerTeamsScope, id);
  const [[summary], members, activities] = await Promise.all([
    presentTeams(db, [t]),
    db
      .select({ v: volunteers, joinedAt: volunteerTeamMembers.joinedAt })
      .from(volunteerTeamMembers)
      .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
      .where(eq(volunteerTeamMembers.teamId, t.id))
      .orderBy(asc(volunteerTeamMembers.joinedAt), asc(volunteers.name)),
    db
      .select({
        a: volunteerActivities,
        minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int`,
      })
      .from(volunteerActivities)
      .leftJoin(volunteerAttendances, eq(volunteerAttendances.activityId, volunteerActivities.id))
      .where(eq(volunteerActivities.teamId, t.id))
      .groupBy(volunteerActivities.id)
      .orderBy(desc(volunteerActivities.startsAt))
      .limit(20),
  ]);
  const minutes = await minutesOf(
    db,
    members.map((m) => m.v.id),
  );
  return {
    ...(summary as NonNullable<typeof summary>),
    members: members.map(({ v, joinedAt }) => ({
      volunteerId: v.id,
      name: v.name,
      phone: maskPhone(crypto.decrypt(v.phoneEnc)),
      skills: v.skills,
      joinedAt: joinedAt.toISOString(),
      hours: hoursOf(minutes.get(v.id) ?? 0),
      leader: v.id === t.leaderVolunteerId,
    })),
    activities: activities.map(({ a, minutes: m }) => ({
      id: a.id,
      title: a.title,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      hours: hoursOf(m),
    })),
  };
}

async function isMember(tx: Db | Tx, teamId: string, volunteerId: string) {
  const [m] = await tx
    .select({ id: volunteerTeamMembers.volunteerId })
    .from(volunteerTeamMembers)
    .where(and(eq(volunteerTeamMembers.teamId, teamId), eq(volunteerTeamMembers.volunteerId, volunteerId)));
  return m !== undefined;
}

/** Name, sponsor, focus or leader (a member already: 400 otherwise); the row locked meanwhile. */
export async function updateTeam(
  deps: AppDeps,
  actor: Actor,
  id: string,
  patch: TeamPatch,
  meta: RequestMeta,
) {
  const { db } = deps;
  await db.transaction(async (tx) => {
    const t = await loadScoped(tx as Db, actor, volunteerTeamsScope, id, { forUpdate: true });
    if (patch.leaderVolunteerId && !(await isMember(tx, t.id, patch.leaderVolunteerId)))
      throw fieldError('leaderVolunteerId', 'member', 'VOLUNTEER_TEAM_NOT_MEMBER');
    if (patch.name !== undefined && patch.name !== t.name) {
      const [clash] = await tx
        .select({ id: volunteerTeams.id })
        .from(volunteerTeams)
        .where(
          and(
            eq(volunteerTeams.orgUnitId, t.orgUnitId),
            eq(volunteerTeams.name, patch.name),
            ne(volunteerTeams.id, t.id),
          ),
        );
      if (clash) throw fieldError('name', 'unique', 'VOLUNTEER_TEAM_DUPLICATE');
    }
    const fields = Object.keys(patch).filter((k) => patch[k as keyof TeamPatch] !== undefined);
    if (!fields.length) return;
    await tx
      .update(volunteerTeams)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.sponsor !== undefined ? { sponsor: patch.sponsor || null } : {}),
        ...(patch.serviceFocus !== undefined ? { serviceFocus: [...new Set(patch.serviceFocus)] } : {}),
        ...(patch.leaderVolunteerId !== undefined ? { leaderVolunteerId: patch.leaderVolunteerId } : {}),
        updatedAt: new Date(),
      })
      .where(eq(volunteerTeams.id, t.id));
    await audit(
      tx,
      actor,
      meta,
      'volunteerTeam.updated',
      { targetType: 'volunteerTeam', targetId: t.id },
      { fields },
    );
  });
  return teamDetail(deps, actor, id);
}

/** 加入服务队: a volunteer the actor sees, once (the pair is the key: a second add is 409). */
export async function addMember(
  deps: AppDeps,
  actor: Actor,
  id: string,
  volunteerId: string,
  meta: RequestMeta,
) {
  const { db } = deps;
  const t = await loadScoped(db, actor, volunteerTeamsScope, id);
  await visibleVolunteers(db, actor, [volunteerId], 'volunteerId');
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(volunteerTeamMembers)
      .values({ teamId: t.id, volunteerId, addedBy: actor.userId })
      .onConflictDoNothing()
      .returning({ id: volunteerTeamMembers.volunteerId });
    if (!row) throw new AppError('VOLUNTEER_TEAM_MEMBER_EXISTS');
    await audit(
      tx,
      actor,
      meta,
      'volunteerTeam.memberAdded',
      { targetType: 'volunteerTeam', targetId: t.id },
      { volunteerId },
    );
  });
  return teamDetail(deps, actor, id);
}

/**
 * 移出服务队: not the leader (409: choose another first); the team row is locked so that a
 * change of leader and a removal cannot cross. Not a member: 404.
 */
export async function removeMember(
  deps: AppDeps,
  actor: Actor,
  id: string,
  volunteerId: string,
  meta: RequestMeta,
) {
  const { db } = deps;
  await db.transaction(async (tx) => {
    const t = await loadScoped(tx as Db, actor, volunteerTeamsScope, id, { forUpdate: true });
    if (t.leaderVolunteerId === volunteerId) throw new AppError('VOLUNTEER_TEAM_LEADER');
    const [gone] = await tx
      .delete(volunteerTeamMembers)
      .where(and(eq(volunteerTeamMembers.teamId, t.id), eq(volunteerTeamMembers.volunteerId, volunteerId)))
      .returning({ id: volunteerTeamMembers.volunteerId });
    if (!gone) throw new AppError('NOT_FOUND');
    await audit(
      tx,
      actor,
      meta,
      'volunteerTeam.memberRemoved',
      { targetType: 'volunteerTeam', targetId: t.id },
      { volunteerId },
    );
  });
  return teamDetail(deps, actor, id);
}
