import type { AreaGeometry } from '@civicgrid/core/api/org';
import { and, asc, eq, like, ne } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import { volunteerActivities, volunteerSignUps, volunteers } from '../modules/participation/tables.js';
import { volunteerTeamMembers, volunteerTeams } from '../modules/participation/volunteerTeamTables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInArea, seeded } from './geometry.js';
import { mobile, personName } from './people.js';

const day = 86_400_000;
const hour = 3_600_000;

/** Which of 保利新华社区's activities each team ran (by the start of their titles). */
const baoliTeams = [
  {
    name: '保利新华社区助老志愿服务队',
    sponsor: null,
    serviceFocus: ['助老', '陪护', '手机教学'],
    skills: ['陪护', '手机教学', '理发', '代购'],
    activities: ['为老人义务理发', '教老年人用智能手机'],
  },
  {
    name: '保利新华社区环保志愿服务队',
    sponsor: null,
    serviceFocus: ['环保', '垃圾分类'],
    skills: ['垃圾分类宣传', '巡逻', '文艺演出'],
    activities: ['“清洁家园”', '垃圾分类'],
  },
  {
    name: '包头供电局党员志愿服务队',
    sponsor: '包头供电局',
    serviceFocus: ['安全用电', '消防宣传', '水电维修'],
    skills: ['水电维修', '家电维修', '法律咨询'],
    activities: ['冬季消防安全巡查'],
  },
] as const;

/**
 * 志愿服务队 in the demo (issue 19 item 4): three teams of 保利新华社区 — its elderly-care and
 * environment teams and a power-supply unit's party members' team (the demo `volunteer` account
 * leads the first) — with the community's activities attached to them; one activity under way
 * now (for 扫码签到 at the demo); and a 文明劝导 team with three volunteers in a neighbouring
 * community of 黄河西路街道.
 */
export async function seedDemoVolunteerTeams(db: Db, opts: { crypto: FieldCrypto }): Promise<void> {
  const rand = seeded('civicgrid-demo-volunteer-teams');
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!baoli?.parentId) return;
  const [neighbour] = await db
    .select()
    .from(orgUnits)
    .where(
      and(eq(orgUnits.parentId, baoli.parentId), eq(orgUnits.level, 'community'), ne(orgUnits.id, baoli.id)),
    )
    .orderBy(asc(orgUnits.code))
    .limit(1);
  const [community] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'community'));
  const [self] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'volunteer'));
  const people = await db
    .select()
    .from(volunteers)
    .where(like(volunteers.orgPath, `${baoli.path}%`));
  if (!people.length) return;
  const demo = people.find((v) => v.userId === self?.id);
  const now = Date.now();

  await db.transaction(async (tx) => {
    const teamIds: string[] = [];
    for (const [i, plan] of baoliTeams.entries()) {
      // Members by skill; the demo account in the first team, which he leads.
      const members = people.filter((v) =>
        v.skills.some((s) => (plan.skills as readonly string[]).includes(s)),
      );
      if (i === 0 && demo && !members.includes(demo)) members.unshift(demo);
      const leader = i === 0 && demo ? demo : members[0];
      const [team] = await tx
        .insert(volunteerTeams)
        .values({
          name: plan.name,
          sponsor: plan.sponsor,
          serviceFocus: [...plan.serviceFocus],
          orgUnitId: baoli.id,
          orgPath: baoli.path,
          leaderVolunteerId: leader?.id ?? null,
          createdBy: community?.id ?? null,
          createdAt: new Date(now - (80 - i * 10) * day),
          updatedAt: new Date(now - (80 - i * 10) * day),
        })
        .returning({ id: volunteerTeams.id });
      const teamId = (team as { id: string }).id;
      teamIds.push(teamId);
      if (members.length)
        await tx.insert(volunteerTeamMembers).values(
          members.map((v, k) => ({
            teamId,
            volunteerId: v.id,
            joinedAt: new Date(now - (78 - i * 10 - k) * day),
            addedBy: community?.id ?? null,
          })),
        );
      for (const title of plan.activities)
        await tx
          .update(volunteerActivities)
          .set({ teamId })
          .where(
            and(eq(volunteerActivities.orgUnitId, baoli.id), like(volunteerActivities.title, `${title}%`)),
          );
    }

    // One under way now (began an hour ago): the organiser shows its code, volunteers scan it.
    const area = baoli.geometry as AreaGeometry | null;
    const at = area ? pointInArea(area, rand) : { lat: 40.65, lng: 109.84 };
    const startsAt = new Date(Math.floor(now / hour) * hour - hour);
    const [running] = await tx
      .insert(volunteerActivities)
      .values({
        title: '周末助老陪伴',
        description: '陪社区独居老人聊天、读报、整理房间，欢迎报名。',
        placeName: '保利新华社区党群服务中心',
        lat: at.lat,
        lng: at.lng,
        radiusM: 200,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 5 * hour),
        orgUnitId: baoli.id,
        orgPath: baoli.path,
        status: 'open',
        capacity: 12,
        teamId: teamIds[0] ?? null,
        createdBy: community?.id ?? null,
        createdAt: new Date(startsAt.getTime() - 5 * day),
      })
      .returning({ id: volunteerActivities.id });
    const others = people.filter((v) => v.id !== demo?.id).slice(0, 4);
    if (others.length)
      await tx.insert(volunteerSignUps).values(
        others.map((v) => ({
          activityId: (running as { id: string }).id,
          volunteerId: v.id,
          signedUpBy: community?.id ?? null,
          at: new Date(startsAt.getTime() - 2 * day),
        })),
      );

    // A neighbouring community's 文明劝导 team, with volunteers of its own and a coming activity.
    if (!neighbour) return;
    const names = [personName(rand), personName(rand), personName(rand)];
    const added = await tx
      .insert(volunteers)
      .values(
        names.map((name, k) => {
          const phone = mobile(rand);
          return {
            name,
            phoneEnc: opts.crypto.encrypt(phone),
            phoneIdx: opts.crypto.blindIndex(phone),
            skills: k === 0 ? ['交通劝导', '巡逻'] : ['文明劝导'],
            orgUnitId: neighbour.id,
            orgPath: neighbour.path,
            availability: '周末上午',
            createdBy: community?.id ?? null,
            createdAt: new Date(now - (60 - k) * day),
            updatedAt: new Date(now - (60 - k) * day),
          };
        }),
      )
      .returning({ id: volunteers.id });
    const [civic] = await tx
      .insert(volunteerTeams)
      .values({
        name: `${neighbour.name}文明劝导志愿服务队`,
        serviceFocus: ['文明劝导', '交通秩序'],
        orgUnitId: neighbour.id,
        orgPath: neighbour.path,
        leaderVolunteerId: added[0]?.id ?? null,
        createdAt: new Date(now - 55 * day),
        updatedAt: new Date(now - 55 * day),
      })
      .returning({ id: volunteerTeams.id });
    const civicId = (civic as { id: string }).id;
    await tx
      .insert(volunteerTeamMembers)
      .values(added.map((v) => ({ teamId: civicId, volunteerId: v.id, joinedAt: new Date(now - 55 * day) })));
    const place = (neighbour.geometry as AreaGeometry | null)
      ? pointInArea(neighbour.geometry as AreaGeometry, rand)
      : { lat: 40.66, lng: 109.83 };
    const next = new Date(Math.floor((now + 2 * day) / hour) * hour);
    await tx.insert(volunteerActivities).values({
      title: '路口文明交通劝导',
      description: '早高峰在社区路口劝导行人和非机动车文明出行。',
      placeName: `${neighbour.name}南门路口`,
      lat: place.lat,
      lng: place.lng,
      radiusM: 150,
      startsAt: next,
      endsAt: new Date(next.getTime() + 2 * hour),
      orgUnitId: neighbour.id,
      orgPath: neighbour.path,
      status: 'open',
      capacity: 10,
      teamId: civicId,
      createdAt: new Date(now - 3 * day),
    });
  });
}
