import type { AreaGeometry } from '@civicgrid/core/api/org';
import type { DeliberationState } from '@civicgrid/core/participation/deliberation';
import { defaultVoteRules } from '@civicgrid/core/participation/deliberation';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { departments, orgUnits } from '../modules/org/tables.js';
import {
  deliberationEvents,
  deliberations,
  dualRegistrations,
  jointMeetings,
  volunteerActivities,
  volunteerAttendances,
  volunteerSignUps,
  volunteers,
} from '../modules/participation/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInArea, seeded } from './geometry.js';
import { mobile, personName } from './people.js';

const day = 86_400_000;
const hour = 3_600_000;

/** The demo's 志愿者: the `volunteer` account (双报到党员) and a dozen more of 保利新华社区. */
const skillSets = [
  ['理发', '陪护'],
  ['水电维修'],
  ['法律咨询'],
  ['手机教学', '代购'],
  ['心理疏导'],
  ['垃圾分类宣传'],
  ['辅导功课'],
  ['陪护', '代购'],
  ['文艺演出'],
  ['水电维修', '家电维修'],
  ['医疗义诊'],
  ['巡逻'],
];

const activityPlans = [
  { title: '“清洁家园”楼道大扫除', place: '保利新华社区 3 号楼', daysFromNow: -20, hours: 3, people: 8 },
  { title: '为老人义务理发', place: '保利新华社区党群服务中心', daysFromNow: -12, hours: 2, people: 5 },
  { title: '垃圾分类入户宣传', place: '保利新华社区广场', daysFromNow: -5, hours: 2.5, people: 7 },
  { title: '冬季消防安全巡查', place: '保利新华社区各楼栋', daysFromNow: 3, hours: 2, people: 6 },
  { title: '教老年人用智能手机', place: '保利新华社区老年活动室', daysFromNow: 8, hours: 2, people: 4 },
];

const deliberationPlans: {
  title: string;
  proposal: string;
  state: DeliberationState;
  daysAgo: number;
  street?: boolean;
  votes?: [number, number, number];
  attendees?: number;
}[] = [
  {
    title: '小区加装电动自行车充电桩',
    proposal:
      '楼道内电动车充电隐患大，建议在 5 号楼北侧空地建设集中充电棚，费用由物业维修资金和街道补贴共同承担。',
    state: 'published',
    daysAgo: 60,
    votes: [31, 3, 2],
    attendees: 36,
  },
  {
    title: '老旧小区增设停车位',
    proposal: '将小区东侧绿化带部分改造为停车位，缓解夜间停车难，同时补种同等面积的绿化。',
    state: 'reviewed',
    daysAgo: 40,
    votes: [28, 6, 3],
    attendees: 37,
  },
  {
    title: '广场舞活动时间与音量约定',
    proposal: '广场舞噪声扰民投诉较多，建议约定活动时间为 19:00–21:00，音量不超过 60 分贝，由志愿者劝导。',
    state: 'implemented',
    daysAgo: 25,
    votes: [33, 2, 1],
    attendees: 36,
  },
  {
    title: '楼道堆放杂物集中清理',
    proposal: '由各楼栋长牵头，每月第一个周六集中清理楼道堆放物，居民自愿参与，社区提供清运车辆。',
    state: 'adopted',
    daysAgo: 14,
    votes: [30, 1, 4],
    attendees: 35,
  },
  {
    title: '小区大门改为人脸识别门禁',
    proposal: '建议小区大门改为人脸识别门禁，提高安全性。',
    state: 'rejected',
    daysAgo: 30,
    votes: [12, 20, 4],
    attendees: 36,
  },
  {
    title: '社区食堂开设老年助餐点',
    proposal: '利用党群服务中心一楼闲置房间开设老年助餐点，为 80 岁以上老人提供优惠午餐。',
    state: 'convened',
    daysAgo: 6,
    attendees: 34,
  },
  {
    title: '设立社区议事长廊',
    proposal: '在小区中心花园设立议事长廊，定期公示议事事项与办理结果，方便居民监督。',
    state: 'proposed',
    daysAgo: 2,
  },
  {
    title: '黄河西路沿街商铺外摆规范',
    proposal: '街道议事会提议：沿街商铺外摆统一划线管理，早 7 点至晚 10 点允许外摆，其余时间收回。',
    state: 'adopted',
    daysAgo: 20,
    street: true,
    votes: [19, 3, 1],
    attendees: 23,
  },
];

const stepsTo: Record<DeliberationState, string[]> = {
  proposed: ['propose'],
  convened: ['propose', 'convene'],
  adopted: ['propose', 'convene', 'vote'],
  rejected: ['propose', 'convene', 'vote'],
  implemented: ['propose', 'convene', 'vote', 'implement'],
  reviewed: ['propose', 'convene', 'vote', 'implement', 'review'],
  published: ['propose', 'convene', 'vote', 'implement', 'review', 'publish'],
};

/**
 * 共建共治 beyond the wishes: volunteers with their activities and credited hours, and
 * deliberations (五步民主议事) in every state in 保利新华社区, one at the street's council.
 */
export async function seedDemoParticipation(db: Db, opts: { crypto: FieldCrypto }): Promise<void> {
  const rand = seeded('civicgrid-demo-participation');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!street || !baoli) return;
  const people = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.username, ['volunteer', 'community', 'street', 'dept']));
  const idOf = (u: string) => people.find((p) => p.username === u)?.id ?? null;
  const community = idOf('community');
  const streetUser = idOf('street');
  if (!community || !streetUser) return;
  // 职能部门审查指导: the demo department handler's department reviews the community's.
  const [reviewer] = await db
    .select({ id: departments.id })
    .from(departments)
    .innerJoin(users, eq(users.departmentId, departments.id))
    .where(eq(users.username, 'dept'));
  const grids = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, baoli.id), eq(orgUnits.level, 'grid')))
    .orderBy(asc(orgUnits.code));
  const area = baoli.geometry as AreaGeometry | null;
  const now = Date.now();

  await db.transaction(async (tx) => {
    // 志愿者: the demo account's registration first, then the others.
    const registry = [
      { name: '双报到党员', userId: idOf('volunteer'), skills: ['陪护', '手机教学'] },
      ...skillSets.map((skills) => ({ name: personName(rand), userId: null as string | null, skills })),
    ];
    const vols: string[] = [];
    for (const [i, v] of registry.entries()) {
      const phone = mobile(rand);
      const unit = i > 0 && grids.length ? (grids[i % grids.length] ?? baoli) : baoli;
      const [row] = await tx
        .insert(volunteers)
        .values({
          name: v.name,
          phoneEnc: opts.crypto.encrypt(phone),
          phoneIdx: opts.crypto.blindIndex(phone),
          userId: v.userId,
          skills: v.skills,
          orgUnitId: unit.id,
          orgPath: unit.path,
          availability: i % 2 ? '周末全天' : '工作日晚上',
          createdBy: community,
          createdAt: new Date(now - (90 - i) * day),
          updatedAt: new Date(now - (90 - i) * day),
        })
        .returning({ id: volunteers.id });
      vols.push((row as { id: string }).id);
    }

    // 志愿活动: three held (with check-ins and credited minutes), two to come (signed up).
    for (const [i, a] of activityPlans.entries()) {
      const startsAt = new Date(Math.floor((now + a.daysFromNow * day) / hour) * hour - 5 * hour);
      const endsAt = new Date(startsAt.getTime() + a.hours * hour);
      const at = area ? pointInArea(area, rand) : { lat: 40.65, lng: 109.84 };
      const [row] = await tx
        .insert(volunteerActivities)
        .values({
          title: a.title,
          description: `${a.title}，欢迎社区志愿者报名参加。`,
          placeName: a.place,
          lat: at.lat,
          lng: at.lng,
          radiusM: 200,
          startsAt,
          endsAt,
          orgUnitId: baoli.id,
          orgPath: baoli.path,
          status: 'open',
          capacity: a.people + 2,
          createdBy: community,
          createdAt: new Date(startsAt.getTime() - 7 * day),
        })
        .returning({ id: volunteerActivities.id });
      const activityId = (row as { id: string }).id;
      // The demo account takes part in every activity; the others in turn.
      const who = [vols[0] as string, ...vols.slice(1).filter((_, k) => (k + i) % 2 === 0)].slice(
        0,
        a.people,
      );
      await tx.insert(volunteerSignUps).values(
        who.map((volunteerId) => ({
          activityId,
          volunteerId,
          signedUpBy: community,
          at: new Date(startsAt.getTime() - 3 * day),
        })),
      );
      if (a.daysFromNow < 0) {
        await tx.insert(volunteerAttendances).values(
          who.map((volunteerId, k) => {
            const inAt = new Date(startsAt.getTime() + (k % 3) * 5 * 60_000);
            const outAt = new Date(endsAt.getTime() - (k % 2) * 10 * 60_000);
            return {
              activityId,
              volunteerId,
              checkedInAt: inAt,
              checkInDistanceM: 10 + Math.floor(rand() * 120),
              checkedOutAt: outAt,
              minutes: Math.round((outAt.getTime() - inAt.getTime()) / 60_000),
              checkedInBy: community,
              checkedOutBy: community,
            };
          }),
        );
      }
    }

    // 双报到: four units and three in-service party members (the demo account first) reported
    // to 保利新华社区, and last quarter's joint meeting with the items agreed.
    const units = [
      ['昆都仑区税务局', '王建军', ['税务咨询', '义务清扫']],
      ['包头市第二医院', '刘海燕', ['义诊', '健康讲座']],
      ['昆都仑区市场监督管理局', '赵志刚', ['食品安全宣传', '消费维权']],
      ['中国银行昆都仑支行', '孙丽', ['防诈骗宣传', '助老取款']],
    ] as const;
    const members = [
      ['双报到党员', '昆都仑区财政局', ['陪护', '手机教学'], vols[0]],
      [personName(rand), '包头市第九中学', ['辅导功课'], vols[7]],
      [personName(rand), '昆都仑区司法局', ['法律咨询'], vols[3]],
    ] as const;
    const regIds: string[] = [];
    for (const [i, [name, contact, services]] of units.entries()) {
      const phone = mobile(rand);
      const [row] = await tx
        .insert(dualRegistrations)
        .values({
          kind: 'unit',
          name,
          contactName: contact,
          phoneEnc: opts.crypto.encrypt(phone),
          phoneTail: phone.slice(-4),
          services: [...services],
          orgUnitId: baoli.id,
          orgPath: baoli.path,
          registeredOn: new Date(now - (200 - i * 20) * day + 8 * hour).toISOString().slice(0, 10),
          createdBy: community,
        })
        .returning({ id: dualRegistrations.id });
      regIds.push((row as { id: string }).id);
    }
    for (const [i, [name, employer, services, volunteerId]] of members.entries()) {
      const phone = mobile(rand);
      const [row] = await tx
        .insert(dualRegistrations)
        .values({
          kind: 'member',
          name,
          employer,
          phoneEnc: opts.crypto.encrypt(phone),
          phoneTail: phone.slice(-4),
          services: [...services],
          orgUnitId: baoli.id,
          orgPath: baoli.path,
          volunteerId: volunteerId ?? null,
          registeredOn: new Date(now - (150 - i * 15) * day + 8 * hour).toISOString().slice(0, 10),
          createdBy: community,
        })
        .returning({ id: dualRegistrations.id });
      regIds.push((row as { id: string }).id);
    }
    const [tax, hospital, market, bank, party] = regIds as [string, string, string, string, string];
    await tx.insert(jointMeetings).values({
      orgUnitId: baoli.id,
      orgPath: baoli.path,
      heldOn: new Date(now - 75 * day + 8 * hour).toISOString().slice(0, 10),
      place: '保利新华社区党群服务中心会议室',
      attendeeIds: regIds,
      items: [
        { registrationId: hospital, item: '每月第二个周六到社区义诊' },
        { registrationId: tax, item: '每季度一次个税与社保政策讲座' },
        { registrationId: market, item: '社区食堂食品安全季度检查' },
        { registrationId: bank, item: '每月一次防诈骗宣传进楼栋' },
        { registrationId: party, item: '结对陪护独居老人，每周上门一次' },
      ],
      note: '第三季度联席会议，明确各报到单位和党员的服务项目与联系人。',
      createdBy: community,
    });

    // 议事协商: each state once, with its trail.
    for (const d of deliberationPlans) {
      const unit = d.street ? street : baoli;
      const proposer = d.street ? streetUser : community;
      const trail = stepsTo[d.state];
      const at = (k: number) => new Date(now - d.daysAgo * day + k * Math.max(1, d.daysAgo / 6) * day * 0.8);
      const representatives = d.street ? 27 : 45;
      const meeting = trail.includes('convene');
      const voted = trail.includes('vote');
      const [f, ag, ab] = d.votes ?? [0, 0, 0];
      const passed = d.state !== 'rejected';
      const implementNote = '已由居委会牵头完成施工与公示，居民代表全程参与验收。';
      const reviewNote = '经审查，落实情况符合决议与有关规定，同意结项。';
      const [row] = await tx
        .insert(deliberations)
        .values({
          title: d.title,
          proposal: d.proposal,
          orgUnitId: unit.id,
          orgPath: unit.path,
          reviewDepartmentId: d.street ? null : (reviewer?.id ?? null),
          rules: defaultVoteRules,
          status: d.state,
          proposedBy: proposer,
          meetingAt: meeting ? at(1) : null,
          meetingPlace: meeting ? `${unit.name}党群服务中心会议室` : null,
          representatives: meeting ? representatives : null,
          attendees: meeting ? (d.attendees ?? 30) : null,
          votesFor: voted ? f : null,
          votesAgainst: voted ? ag : null,
          votesAbstain: voted ? ab : null,
          decision: voted ? (passed ? '会议表决通过，按建议实施。' : '会议表决未通过，暂不实施。') : null,
          implementation: trail.includes('implement') ? implementNote : null,
          reviewPassed: trail.includes('review') ? true : null,
          reviewNote: trail.includes('review') ? reviewNote : null,
          publishedAt: trail.includes('publish') ? at(5) : null,
          createdAt: at(0),
          updatedAt: at(trail.length - 1),
        })
        .returning({ id: deliberations.id });
      const id = (row as { id: string }).id;
      const states: Record<string, DeliberationState> = {
        propose: 'proposed',
        convene: 'convened',
        vote: passed ? 'adopted' : 'rejected',
        implement: 'implemented',
        review: 'reviewed',
        publish: 'published',
      };
      await tx.insert(deliberationEvents).values(
        trail.map((step, k) => ({
          deliberationId: id,
          action: step,
          fromState: k === 0 ? null : (states[trail[k - 1] as string] ?? null),
          toState: states[step] as DeliberationState,
          actorId: step === 'review' ? (idOf('dept') ?? proposer) : proposer,
          note:
            step === 'implement'
              ? implementNote
              : step === 'review'
                ? reviewNote
                : step === 'vote'
                  ? `赞成 ${f}，反对 ${ag}，弃权 ${ab}`
                  : null,
          data:
            step === 'convene'
              ? { representatives, attendees: d.attendees ?? 30 }
              : step === 'vote'
                ? { for: f, against: ag, abstain: ab }
                : null,
          at: at(k),
        })),
      );
    }
  });
}
