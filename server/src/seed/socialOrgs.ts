import { creditCodeCheckChar } from '@civicgrid/core';
import {
  creditCodePrefixOf,
  type IncubationStage,
  type SocialOrgField,
  type SocialOrgType,
  type SocialProjectState,
} from '@civicgrid/core/participation/socialOrgs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import {
  socialOrgIncubations,
  socialOrgs,
  socialProjectEvents,
  socialProjectMilestones,
  socialProjectSpendings,
  socialProjects,
} from '../modules/participation/socialOrgTables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import { mobile, personName } from './people.js';

const dayMs = 86_400_000;
/** The calendar day `offset` days from now, in China. */
const dayOf = (offset: number) =>
  new Date(Date.now() + 8 * 3_600_000 + offset * dayMs).toISOString().slice(0, 10);

interface OrgPlan {
  name: string;
  type: SocialOrgType;
  /** Serves the whole street rather than 保利新华社区 (or the n-th other community of the street). */
  area: 'street' | 'baoli' | number;
  fields: SocialOrgField[];
  services: string;
  staff: number;
  volunteers: number;
  registeredDaysAgo: number;
  /** Incubation stages reached, each with how many days ago. */
  incubation?: [IncubationStage, number][];
}

/** Seeds 003/004: social organizations running mediation studios and community services. */
const orgPlans: OrgPlan[] = [
  {
    name: '“家长里短”调解工作室',
    type: 'communityBased',
    area: 'baoli',
    fields: ['mediation', 'governance'],
    services: '邻里纠纷、家庭矛盾调解，法律政策咨询，调解员由退休法官和社区老党员担任',
    staff: 2,
    volunteers: 18,
    registeredDaysAgo: 900,
    incubation: [
      ['incubating', 700],
      ['nurturing', 520],
      ['graduated', 200],
    ],
  },
  {
    name: '昆都仑区夕阳红助老服务中心',
    type: 'privateNonEnterprise',
    area: 'street',
    fields: ['elderly'],
    services: '老年助餐、陪诊代办、独居老人上门探访与电话问候',
    staff: 12,
    volunteers: 60,
    registeredDaysAgo: 1500,
  },
  {
    name: '保利新华社区“银龄互助”志愿服务队',
    type: 'communityBased',
    area: 'baoli',
    fields: ['elderly', 'charity'],
    services: '低龄老人帮扶高龄老人，结对探访、代购、理发',
    staff: 0,
    volunteers: 35,
    registeredDaysAgo: 400,
    incubation: [
      ['incubating', 300],
      ['nurturing', 120],
    ],
  },
  {
    name: '包头市青苗青少年成长服务中心',
    type: 'privateNonEnterprise',
    area: 'street',
    fields: ['youth'],
    services: '“四点半课堂”课后托管、青少年心理辅导、假期安全教育',
    staff: 8,
    volunteers: 40,
    registeredDaysAgo: 1100,
  },
  {
    name: '黄河西路街道社区文体协会',
    type: 'association',
    area: 'street',
    fields: ['cultureSports'],
    services: '组织广场舞、合唱、太极拳队伍，举办邻里文化节',
    staff: 3,
    volunteers: 80,
    registeredDaysAgo: 2000,
  },
  {
    name: '保利新华社区书画社',
    type: 'communityBased',
    area: 'baoli',
    fields: ['cultureSports'],
    services: '书法绘画兴趣班，春节为居民写春联',
    staff: 0,
    volunteers: 22,
    registeredDaysAgo: 600,
  },
  {
    name: '昆都仑区阳光助残服务社',
    type: 'privateNonEnterprise',
    area: 'street',
    fields: ['disability'],
    services: '残疾人康复训练、辅具适配、就业技能培训',
    staff: 6,
    volunteers: 20,
    registeredDaysAgo: 1300,
  },
  {
    name: '保利新华社区“绿色家园”环保队',
    type: 'communityBased',
    area: 'baoli',
    fields: ['environment'],
    services: '垃圾分类宣传督导、旧物置换、楼道清洁',
    staff: 0,
    volunteers: 30,
    registeredDaysAgo: 220,
    incubation: [['incubating', 90]],
  },
  {
    name: '包头市鹿城慈善基金会',
    type: 'foundation',
    area: 'street',
    fields: ['charity'],
    services: '困难家庭救助、助学金、大病医疗救助',
    staff: 5,
    volunteers: 15,
    registeredDaysAgo: 2500,
  },
  {
    name: '邻里和社区社会工作服务站',
    type: 'privateNonEnterprise',
    area: 0,
    fields: ['governance', 'mediation'],
    services: '社工驻点，开展居民议事、矛盾排查与心理疏导',
    staff: 4,
    volunteers: 12,
    registeredDaysAgo: 700,
    incubation: [
      ['incubating', 500],
      ['graduated', 150],
    ],
  },
  {
    name: '向阳花儿童读书会',
    type: 'communityBased',
    area: 1,
    fields: ['youth', 'cultureSports'],
    services: '亲子共读、周末故事会、社区图书角管理',
    staff: 0,
    volunteers: 16,
    registeredDaysAgo: 300,
    incubation: [['incubating', 60]],
  },
  {
    name: '幸福里居家养老互助会',
    type: 'communityBased',
    area: 2,
    fields: ['elderly'],
    services: '老年食堂志愿服务、健康讲座、节日慰问',
    staff: 1,
    volunteers: 28,
    registeredDaysAgo: 500,
  },
];

interface ProjectPlan {
  org: number;
  title: string;
  summary: string;
  buyer: 'street' | 'baoli';
  amountYuan: number;
  budgetYuan?: number;
  state: SocialProjectState;
  /** Period as days from now. */
  from: number;
  to: number;
  milestones: { title: string; due: number; done?: number }[];
  spent?: { item: string; yuan: number; daysAgo: number }[];
  note?: string;
}

const projectPlans: ProjectPlan[] = [
  {
    org: 0,
    title: '“家长里短”邻里调解进楼栋',
    summary: '在保利新华社区 12 栋楼设立楼栋调解联络员，每月开展调解员培训，化解邻里纠纷于萌芽。',
    buyer: 'street',
    amountYuan: 60_000,
    budgetYuan: 50_000,
    state: 'inProgress',
    from: -150,
    to: 120,
    milestones: [
      { title: '选聘楼栋调解联络员 12 名', due: -110, done: -115 },
      { title: '完成调解员培训 4 场', due: -30, done: -34 },
      { title: '上半年调解案例汇编', due: -5 },
      { title: '项目总结评估', due: 110 },
    ],
    spent: [
      { item: '调解员培训讲课费', yuan: 8_000, daysAgo: 100 },
      { item: '调解室设备购置', yuan: 12_500, daysAgo: 60 },
      { item: '宣传物料印制', yuan: 3_200, daysAgo: 20 },
    ],
  },
  {
    org: 1,
    title: '独居老人“暖心助餐”服务',
    summary: '为黄河西路街道 80 岁以上独居老人提供每日午餐配送和每周一次上门探访。',
    buyer: 'street',
    amountYuan: 120_000,
    state: 'completed',
    from: -400,
    to: -40,
    budgetYuan: 110_000,
    milestones: [
      { title: '建立服务对象档案', due: -360, done: -365 },
      { title: '助餐配送满 6 个月', due: -200, done: -205 },
      { title: '第三方满意度测评', due: -60, done: -55 },
    ],
    spent: [
      { item: '餐食配送费', yuan: 86_000, daysAgo: 200 },
      { item: '探访交通补贴', yuan: 9_600, daysAgo: 120 },
      { item: '满意度测评费', yuan: 6_000, daysAgo: 55 },
    ],
    note: '验收合格，老人满意率 96%',
  },
  {
    org: 3,
    title: '“四点半课堂”课后托管',
    summary: '为双职工家庭小学生提供放学后作业辅导和安全看护。',
    buyer: 'street',
    amountYuan: 80_000,
    state: 'applied',
    from: 30,
    to: 300,
    milestones: [
      { title: '招募辅导志愿者 20 名', due: 60 },
      { title: '秋季学期托管满 3 个月', due: 150 },
      { title: '家长满意度调查', due: 290 },
    ],
  },
  {
    org: 2,
    title: '银龄互助结对探访',
    summary: '低龄老人与高龄独居老人结对，每周探访并记录老人需求。',
    buyer: 'baoli',
    amountYuan: 20_000,
    budgetYuan: 18_000,
    state: 'approved',
    from: 10,
    to: 200,
    milestones: [
      { title: '完成 40 对结对', due: 40 },
      { title: '探访满 3 个月', due: 130 },
    ],
  },
  {
    org: 7,
    title: '垃圾分类“绿色账户”积分',
    summary: '居民分类投放获积分兑换生活用品，环保队上门督导。',
    buyer: 'baoli',
    amountYuan: 15_000,
    state: 'terminated',
    from: -90,
    to: 90,
    milestones: [{ title: '积分兑换点建成', due: -30 }],
    note: '与街道统一推行的智能回收项目重复，终止申报',
  },
];

function creditCode(type: SocialOrgType, n: number): string | null {
  const prefix = creditCodePrefixOf[type];
  if (prefix === null) return null;
  const body = `${prefix}150203MJ${String(1_000_000 + n * 7919).slice(-7)}`;
  return body + creditCodeCheckChar(body);
}

/**
 * 社会组织 in 黄河西路街道: a dozen organizations — the “家长里短” mediation studio of 保利新华社区
 * among them — a few of them incubated, and five 公益创投 projects in every state, with their
 * milestones and spending.
 */
export async function seedDemoSocialOrgs(db: Db, opts: { crypto: FieldCrypto }): Promise<void> {
  const rand = seeded('civicgrid-demo-social-orgs');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!street || !baoli) return;
  const others = (
    await db
      .select()
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, street.id), eq(orgUnits.level, 'community')))
      .orderBy(asc(orgUnits.code))
  ).filter((u) => u.id !== baoli.id);
  const people = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.username, ['community', 'street']));
  const community = people.find((p) => p.username === 'community')?.id ?? null;
  const streetUser = people.find((p) => p.username === 'street')?.id ?? null;
  const unitOf = (area: OrgPlan['area']) =>
    area === 'street' ? street : area === 'baoli' ? baoli : (others[area] ?? baoli);
  const at = (offset: number) => new Date(Date.now() + offset * dayMs);

  await db.transaction(async (tx) => {
    const orgIds: string[] = [];
    for (const [i, p] of orgPlans.entries()) {
      const unit = unitOf(p.area);
      const stages = p.incubation ?? [];
      const last = stages[stages.length - 1];
      const [row] = await tx
        .insert(socialOrgs)
        .values({
          name: p.name,
          type: p.type,
          creditCode: creditCode(p.type, i + 1),
          registrationAuthority:
            p.type === 'communityBased' ? `${street.name}办事处（备案）` : '包头市昆都仑区民政局',
          registeredOn: dayOf(-p.registeredDaysAgo),
          orgUnitId: unit.id,
          orgPath: unit.path,
          fields: p.fields,
          services: p.services,
          legalRepresentative: personName(rand),
          contactName: personName(rand),
          contactPhoneEnc: opts.crypto.encrypt(mobile(rand)),
          staffCount: p.staff,
          volunteerCount: p.volunteers,
          incubationStage: last?.[0] ?? null,
          incubationSince: last ? dayOf(-last[1]) : null,
          createdBy: community,
          createdAt: at(-p.registeredDaysAgo),
        })
        .returning({ id: socialOrgs.id });
      const id = (row as { id: string }).id;
      orgIds.push(id);
      for (const [stage, daysAgo] of stages)
        await tx.insert(socialOrgIncubations).values({
          socialOrgId: id,
          stage,
          on: dayOf(-daysAgo),
          base: '黄河西路街道社会组织孵化中心',
          actorId: streetUser,
        });
    }

    for (const p of projectPlans) {
      const buyer = p.buyer === 'street' ? street : baoli;
      const [row] = await tx
        .insert(socialProjects)
        .values({
          socialOrgId: orgIds[p.org] as string,
          title: p.title,
          summary: p.summary,
          orgUnitId: buyer.id,
          orgPath: buyer.path,
          amountFen: p.amountYuan * 100,
          budgetFen:
            p.state === 'applied' || p.state === 'terminated' ? null : (p.budgetYuan ?? p.amountYuan) * 100,
          startsOn: dayOf(p.from),
          endsOn: dayOf(p.to),
          status: p.state,
          idempotencyKey: `demo-${p.org}`,
          createdBy: community,
          createdAt: at(p.from - 30),
          updatedAt: at(Math.min(p.to, -1)),
        })
        .returning({ id: socialProjects.id });
      const id = (row as { id: string }).id;
      await tx.insert(socialProjectMilestones).values(
        p.milestones.map((m, i) => ({
          projectId: id,
          seq: i + 1,
          title: m.title,
          dueOn: dayOf(m.due),
          doneOn: m.done === undefined ? null : dayOf(m.done),
          doneBy: m.done === undefined ? null : community,
        })),
      );
      if (p.spent?.length)
        await tx.insert(socialProjectSpendings).values(
          p.spent.map((s, i) => ({
            projectId: id,
            item: s.item,
            amountFen: s.yuan * 100,
            spentOn: dayOf(-s.daysAgo),
            idempotencyKey: `demo-${i}`,
            createdBy: community,
          })),
        );
      // The trail the project went through to reach its state.
      const path: [string, SocialProjectState, number][] = [['apply', 'applied', p.from - 30]];
      if (p.state !== 'applied' && p.state !== 'terminated') path.push(['approve', 'approved', p.from - 10]);
      if (p.state === 'inProgress' || p.state === 'completed') path.push(['start', 'inProgress', p.from]);
      if (p.state === 'completed') path.push(['complete', 'completed', p.to + 5]);
      if (p.state === 'terminated') path.push(['terminate', 'terminated', p.from - 15]);
      let from: SocialProjectState | null = null;
      for (const [action, to, offset] of path) {
        await tx.insert(socialProjectEvents).values({
          projectId: id,
          action,
          fromState: from,
          toState: to,
          actorId: action === 'apply' || action === 'start' ? community : streetUser,
          note: action === 'complete' || action === 'terminate' ? (p.note ?? null) : null,
          at: at(offset),
        });
        from = to;
      }
    }
  });
}
