import { eq, inArray } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { noticeReads, notices } from '../modules/notices/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import type { Db } from '../platform/db.js';

type Target = 'district' | 'huanghe' | 'baoli' | 'otherStreet' | 'otherCommunity';

/** The demo district's notices (通知公告): what a street office and its communities put out in a winter. */
const demoNotices: {
  target: Target;
  kind: 'notice' | 'policy' | 'publicity';
  title: string;
  body: string;
  daysAgo: number;
  pinned?: boolean;
  withdrawn?: string;
}[] = [
  {
    target: 'district',
    kind: 'notice',
    title: '关于 2026—2027 年度采暖期供热的通知',
    body: '全区采暖期自 2026 年 10 月 15 日开始，至 2027 年 4 月 15 日结束。\n\n室内温度不低于 18℃。如遇暖气不热、跑冒滴漏，请拨打供热服务热线或在“我要反映”中选择“暖气不热”。\n\n请居民提前检查户内暖气设施，关好门窗，防止冻裂管道。',
    daysAgo: 48,
    pinned: true,
  },
  {
    target: 'huanghe',
    kind: 'notice',
    title: '流感疫苗和新冠疫苗接种安排',
    body: '黄河街道社区卫生服务中心每周二、四上午为辖区居民接种流感疫苗，60 岁以上老人免费。\n\n请携带身份证和医保卡，接种后留观 30 分钟。\n\n行动不便的老人可联系所在网格员预约上门评估。',
    daysAgo: 20,
  },
  {
    target: 'district',
    kind: 'policy',
    title: '高龄津贴申报政策解读',
    body: '年满 80 周岁、具有本区户籍的老年人可申领高龄津贴：80—89 周岁每人每月 100 元，90—99 周岁每人每月 200 元，100 周岁以上每人每月 500 元。\n\n申报材料：身份证、户口簿、本人银行卡。可在社区便民服务站办理，也可由网格员帮办代办。\n\n每年 3 月进行一次资格认证，逾期未认证的暂停发放。',
    daysAgo: 35,
  },
  {
    target: 'baoli',
    kind: 'notice',
    title: '生活垃圾分类投放时间调整',
    body: '自 12 月 1 日起，小区厨余垃圾定时投放时间调整为每天 7:00—9:00、18:00—20:00。\n\n其他时间请投放至小区东门集中投放点。\n\n垃圾分类督导员将在投放点值守，欢迎居民报名志愿者。',
    daysAgo: 3,
    pinned: true,
  },
  {
    target: 'huanghe',
    kind: 'notice',
    title: '冬季防汛防冻及除雪工作安排',
    body: '入冬以来气温骤降，街道已组织除雪队伍，雪停后 24 小时内完成主次干道清扫。\n\n请居民不要在楼道堆放杂物，及时清理自家门前积雪。\n\n发现管道冻裂、井盖缺失等情况，请及时上报。',
    daysAgo: 8,
  },
  {
    target: 'baoli',
    kind: 'publicity',
    title: '老旧小区改造项目公示',
    body: '保利社区 3 号、5 号、7 号楼纳入 2027 年老旧小区改造计划，改造内容包括外墙保温、屋面防水、雨污分流和加装电梯意向摸底。\n\n公示期 7 天，如有意见请到社区居委会书面反映。\n\n改造方案详见社区公告栏。',
    daysAgo: 5,
  },
  {
    target: 'otherCommunity',
    kind: 'publicity',
    title: '低保家庭名单公示',
    body: '经入户调查、民主评议，拟新增低保家庭 3 户。\n\n公示期 7 天。如有异议，请向社区居委会或街道民政办反映。',
    daysAgo: 12,
  },
  {
    target: 'district',
    kind: 'policy',
    title: '城乡居民医疗保险 2027 年度缴费政策',
    body: '2027 年度城乡居民医保个人缴费标准为每人每年 400 元，缴费期截至 2026 年 12 月 31 日。\n\n可通过“蒙速办”、银行网点或社区代收点缴纳。\n\n低保对象、特困人员、重度残疾人个人缴费部分由政府资助。',
    daysAgo: 25,
  },
  {
    target: 'huanghe',
    kind: 'policy',
    title: '临时救助申请指南',
    body: '因火灾、交通事故、突发重大疾病等导致基本生活暂时困难的家庭，可申请临时救助。\n\n向户籍或居住地所在社区提出申请，社区 3 个工作日内入户核查。\n\n急难情形可先行救助，事后补齐材料。',
    daysAgo: 40,
  },
  {
    target: 'baoli',
    kind: 'notice',
    title: '小区二次供水水箱清洗停水通知',
    body: '12 月 10 日 9:00—17:00 对小区二次供水水箱进行清洗消毒，期间 1—8 号楼停水。\n\n请居民提前储水，恢复供水后先放水 3 分钟。',
    daysAgo: -6,
  },
  {
    target: 'otherStreet',
    kind: 'notice',
    title: '街道便民服务中心元旦假期服务安排',
    body: '元旦假期（1 月 1 日至 1 月 3 日）便民服务中心暂停窗口服务，社保、医保等事项可网上办理。\n\n紧急事项请联系值班电话。',
    daysAgo: -20,
  },
  {
    target: 'baoli',
    kind: 'notice',
    title: '反诈宣传进社区活动',
    body: '本周六上午 9:30 在社区广场举办反电信网络诈骗宣传活动，民警现场讲解常见骗局。\n\n请老人和家属一起参加。',
    daysAgo: 15,
  },
  {
    target: 'huanghe',
    kind: 'publicity',
    title: '2026 年度“最美网格员”评选结果公示',
    body: '经群众推荐、街道评审，拟评选 10 名“最美网格员”。\n\n公示期 5 天。对公示名单有异议的，可向街道党工委反映。',
    daysAgo: 2,
  },
  {
    target: 'baoli',
    kind: 'notice',
    title: '电动自行车集中充电棚启用通知',
    body: '小区北侧电动自行车集中充电棚已建成，即日起启用，扫码充电，每度电 0.8 元。\n\n严禁电动车进楼入户、飞线充电。',
    daysAgo: 30,
    withdrawn: '充电棚启用时间推迟，另行通知',
  },
  {
    target: 'otherCommunity',
    kind: 'notice',
    title: '独居老人冬季走访安排',
    body: '社区将在 12 月对辖区独居、空巢老人开展入户走访，检查取暖、用电、燃气安全。\n\n走访人员佩戴工作证，请居民放心。',
    daysAgo: 6,
  },
];

/** ~15 notices across the demo district, with a few reads by the demo resident. */
export async function seedDemoNotices(db: Db): Promise<void> {
  const units = await db.select().from(orgUnits);
  const district = units.find((u) => u.level === 'district');
  const huanghe = units.find((u) => u.level === 'street' && u.name.includes('黄河'));
  const baoli = units.find((u) => u.level === 'community' && u.name.includes('保利'));
  if (!district || !huanghe || !baoli) return;
  const otherStreet = units.find((u) => u.level === 'street' && u.id !== huanghe.id);
  const otherCommunity =
    units.find((u) => u.level === 'community' && u.path.startsWith(huanghe.path) && u.id !== baoli.id) ??
    baoli;
  const targets: Record<Target, typeof district> = {
    district,
    huanghe,
    baoli,
    otherStreet: otherStreet ?? huanghe,
    otherCommunity,
  };
  const staff = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      orgUnitId: users.orgUnitId,
    })
    .from(users)
    .where(inArray(users.username, ['district', 'street', 'community']));
  const byUnit = async (unitId: number) => {
    const own = staff.find((s) => s.orgUnitId === unitId);
    if (own) return own;
    const [u] = await db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        orgUnitId: users.orgUnitId,
      })
      .from(users)
      .where(eq(users.orgUnitId, unitId))
      .limit(1);
    return u ?? staff.find((s) => s.username === 'district');
  };
  const now = Date.now();
  const rows = [];
  for (const n of demoNotices) {
    const unit = targets[n.target];
    const author = await byUnit(unit.id);
    if (!author) continue;
    const publishAt = new Date(now - n.daysAgo * 86_400_000);
    rows.push({
      title: n.title,
      body: n.body,
      kind: n.kind,
      orgUnitId: unit.id,
      orgPath: unit.path,
      publishAt,
      pinned: n.pinned ?? false,
      withdrawnAt: n.withdrawn ? new Date(Math.min(now, publishAt.getTime() + 86_400_000)) : null,
      withdrawReason: n.withdrawn ?? null,
      createdBy: author.id,
      authorName: author.displayName,
      authorUnit: unit.name,
      createdAt: new Date(Math.min(now, publishAt.getTime())),
      updatedAt: new Date(Math.min(now, publishAt.getTime())),
    });
  }
  const inserted = await db.insert(notices).values(rows).returning();
  // The demo resident has read the older ones of his community; the newest stay unread.
  const [resident] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'resident'));
  if (!resident) return;
  const read = inserted.filter(
    (r) =>
      !r.withdrawnAt && r.publishAt.getTime() < now - 10 * 86_400_000 && baoli.path.startsWith(r.orgPath),
  );
  if (read.length)
    await db
      .insert(noticeReads)
      .values(read.map((r) => ({ noticeId: r.id, userId: resident.id })))
      .onConflictDoNothing();
}
