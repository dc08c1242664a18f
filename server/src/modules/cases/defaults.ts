import { chinaHolidays } from '@civicgrid/core/calendar/chinaHolidays';
import { count } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { departments } from '../org/tables.js';
import { calendarDays, caseCategories } from './tables.js';

/**
 * The default taxonomy of ../shared/data/case-categories.md (urban-management events and
 * components after GB/T 30428.2, social-governance categories from the seeds), one line
 * per category: code | name | default handler | clock | accept/dispatch/resolve | self-resolve.
 * A handler in parentheses names the section of the department, kept as a note.
 */
const defaultTaxonomy = `
E01|市容环境|城管|||
E0101|私搭乱建|城管|working|2h/4h/5d|no
E0102|暴露垃圾|城管 (环卫)|working|1h/2h/4h|yes
E0103|积存垃圾渣土|城管 (环卫)|working|2h/4h/1d|no
E0104|道路不洁|城管 (环卫)|working|1h/2h/4h|yes
E0105|绿地脏乱|园林|working|2h/4h/1d|yes
E0106|乱涂写乱张贴|城管|working|2h/4h/1d|yes
E0107|乱堆物料|城管|working|2h/4h/1d|yes
E0108|焚烧垃圾树叶|城管|natural|0.5h/0.5h/2h|yes
E0109|餐饮油烟污染|生态环境|working|2h/4h/5d|no
E02|宣传广告|城管|||
E0201|违规张贴小广告|城管|working|2h/4h/1d|yes
E0202|违规户外广告|城管|working|2h/4h/5d|no
E0203|广告招牌破损|城管|working|2h/4h/3d|no
E03|施工管理|住建|||
E0301|施工扰民|住建|natural|1h/2h/1d|no
E0302|工地扬尘|住建|working|1h/2h/1d|no
E0303|道路遗撒|城管|working|1h/2h/4h|no
E0304|违规占道施工|住建|working|2h/4h/2d|no
E04|突发事件|应急管理|||
E0401|路面塌陷|住建|natural|0.5h/0.5h/1d|no
E0402|供水管道破裂|住建 (供水)|natural|0.5h/1h/1d|no
E0403|燃气泄漏|应急管理|natural|0.25h/0.25h/4h|no
E0404|火情|应急管理|natural|0.25h/0.25h/2h|no
E0405|道路积水|城管|natural|0.5h/1h/4h|no
E0406|道路积雪结冰|城管|natural|1h/2h/1d|no
E0407|架空线缆脱落|住建|natural|0.5h/1h/1d|no
E05|街面秩序|城管|||
E0501|无照经营游商|市场监管|working|1h/2h/1d|no
E0502|占道经营|城管|working|1h/2h/1d|yes
E0503|店外经营|城管|working|1h/2h/1d|yes
E0504|机动车乱停放|公安 (交管)|working|1h/2h/4h|no
E0505|非机动车乱停放|城管|working|1h/2h/4h|yes
E0506|沿街晾晒|城管|working|2h/4h/1d|yes
E0507|露天烧烤|城管|natural|1h/1h/4h|yes
E0508|噪声扰民|公安|natural|1h/1h/1d|no
C01|公用设施|住建|||
C0101|井盖破损或缺失|住建|natural|0.5h/1h/1d|no
C0102|消防栓损坏|应急管理|working|1h/2h/3d|no
C0103|路灯不亮或损坏|城管|working|2h/4h/2d|no
C0104|公厕设施损坏|城管 (环卫)|working|2h/4h/2d|no
C0105|电力通信设施损坏|住建|working|2h/4h/3d|no
C02|道路交通|公安 (交管)|||
C0201|交通信号灯故障|公安 (交管)|natural|0.5h/1h/4h|no
C0202|交通标志损坏|公安 (交管)|working|2h/4h/3d|no
C0203|护栏损坏|住建|working|2h/4h/3d|no
C0204|路面破损|住建|working|2h/4h/5d|no
C0205|公交站亭损坏|交通运输|working|2h/4h/5d|no
C03|市容环境设施|城管|||
C0301|垃圾箱满溢或损坏|城管 (环卫)|working|1h/2h/4h|yes
C0302|垃圾站点脏乱|城管 (环卫)|working|1h/2h/4h|yes
C04|园林绿化|园林|||
C0401|行道树倒伏或枯死|园林|natural|1h/2h/1d|no
C0402|绿地损坏|园林|working|2h/4h/5d|no
C05|房屋土地|住建|||
C0501|危房|住建|natural|1h/2h/3d|no
C0502|高空坠物隐患|住建|natural|0.5h/1h/1d|no
C06|其他设施|社区|||
C0601|健身器材损坏|体育|working|2h/4h/5d|no
C0602|监控设备故障|公安|working|2h/4h/3d|no
C0603|电动车充电设施故障|社区|working|2h/4h/3d|no
S10|矛盾纠纷|社区 (调解)|||
S1001|邻里纠纷|社区|working|4h/1d/5d|yes
S1002|婚姻家庭纠纷|司法 (调解)|working|4h/1d/10d|no
S1003|物业纠纷|住建|working|4h/1d/10d|no
S1004|劳动争议欠薪|人社|working|4h/1d/15d|no
S1005|土地房屋纠纷|自然资源|working|4h/1d/15d|no
S1006|消费纠纷|市场监管|working|4h/1d/7d|no
S11|治安隐患|公安|||
S1101|可疑人员物品|公安|natural|0.5h/0.5h/1d|no
S1102|治安乱点|公安|working|2h/4h/5d|no
S1103|电信诈骗线索|公安|natural|1h/1h/3d|no
S12|安全隐患|应急管理|||
S1201|消防通道堵塞|应急管理|working|1h/2h/1d|yes
S1202|电动车楼道充电飞线充电|社区|working|1h/2h/1d|yes
S1203|燃气使用隐患|应急管理|natural|1h/1h/1d|no
S1204|生产经营安全隐患|应急管理|working|2h/4h/5d|no
S1205|自建房安全隐患|住建|working|2h/4h/5d|no
S13|民生服务诉求|社区|||
S1301|困难救助|民政|working|4h/1d/10d|no
S1302|养老服务|民政|working|4h/1d/5d|no
S1303|就业社保|人社|working|4h/1d/10d|no
S1304|医疗卫生|卫健|working|4h/1d/5d|no
S1305|供水供电供暖供气|住建|natural|1h/2h/1d|no
S1306|物业服务|住建|working|4h/1d/5d|no
S1307|教育入学|教育|working|4h/1d/10d|no
S14|特殊人群关爱|社区|||
S1401|走访发现需帮扶情况|社区|working|4h/1d/5d|no
S1402|精神障碍患者需紧急关注|卫健|natural|0.5h/0.5h/1d|no
S15|咨询建议|社区|||
S1501|政策咨询|社区|working|4h/1d/3d|yes
S1502|意见建议|社区|working|4h/1d/10d|no
S16|智慧养老告警|社区|||
S1601|老人SOS呼救|社区|natural|5m/5m/2h|no
S1602|老人跌倒|社区|natural|5m/5m/2h|no
`;

/**
 * Categories added after installations were first seeded: one that lacks them gets them at
 * its next start (the wearables' SOS and fall alerts, issue 20, report into S1601 and S1602).
 */
const laterCategoryCodes = new Set(['S16', 'S1601', 'S1602']);

/** `5m`, `2h`, `0.5h`, `5d` → minutes of the category's clock (a working day is 8 working hours). */
export function parseLimit(text: string, clock: 'working' | 'natural'): number | null {
  const m = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  const perDay = clock === 'working' ? 8 * 60 : 24 * 60;
  if (m[2] === 'm') return Math.round(value);
  return Math.round(m[2] === 'h' ? value * 60 : value * perDay);
}

type CategoryRow = typeof caseCategories.$inferInsert;

export function defaultCategories(departmentIdByName: Map<string, number>): CategoryRow[] {
  const lines = defaultTaxonomy.trim().split('\n');
  return lines.map((line, i) => {
    const [code = '', name = '', handlerText = '', clockText = '', limits = '', self = ''] = line.split('|');
    const handler = handlerText.replace(/\s*\(.*\)$/, '');
    const isCommunity = handler === '社区';
    const clock = clockText === 'natural' ? 'natural' : 'working';
    const [accept = '', dispatch = '', resolve = ''] = limits.split('/');
    const parentCode = code.length > 3 ? code.slice(0, 3) : null;
    const acceptMinutes = parseLimit(accept, clock);
    return {
      code,
      name,
      parentCode,
      handlerKind: isCommunity ? 'community' : 'department',
      handlerDepartmentId: isCommunity ? null : (departmentIdByName.get(handler) ?? null),
      clock,
      acceptMinutes,
      dispatchMinutes: parseLimit(dispatch, clock),
      resolveMinutes: parseLimit(resolve, clock),
      priority:
        clock === 'natural' && acceptMinutes !== null && acceptMinutes <= 30
          ? 'emergency'
          : clock === 'natural'
            ? 'urgent'
            : 'normal',
      selfResolvable: self === 'yes',
      autoEscalate: true,
      sort: i,
    } satisfies CategoryRow;
  });
}

/** Run at every start: an empty taxonomy or calendar gets the defaults. */
export async function ensureCaseDefaults(db: Db): Promise<void> {
  const [cats] = await db.select({ n: count() }).from(caseCategories);
  if (Number(cats?.n) === 0) {
    const depts = await db.select({ id: departments.id, name: departments.name }).from(departments);
    const rows = defaultCategories(new Map(depts.map((d) => [d.name, d.id])));
    await db.insert(caseCategories).values(rows).onConflictDoNothing();
  } else {
    const depts = await db.select({ id: departments.id, name: departments.name }).from(departments);
    const later = defaultCategories(new Map(depts.map((d) => [d.name, d.id]))).filter((c) =>
      laterCategoryCodes.has(c.code),
    );
    await db.insert(caseCategories).values(later).onConflictDoNothing();
  }
  const [days] = await db.select({ n: count() }).from(calendarDays);
  if (Number(days?.n) === 0) {
    const rows = Object.values(chinaHolidays).flatMap((y) =>
      y.entries.map((e) => ({ day: e.day, kind: e.kind })),
    );
    await db.insert(calendarDays).values(rows).onConflictDoNothing();
  }
}
