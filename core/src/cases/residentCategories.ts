/**
 * What a resident (or an outside Open311 client) picks when reporting: plain words, each
 * mapped onto one leaf of the case taxonomy (server/src/modules/cases/defaults.ts). The
 * resident portal (/r) and Open311's `services` read this one list; the `code` is the
 * Open311 `service_code`, so it never changes once published (retire an entry instead).
 */
export interface ResidentCategory {
  /** Stable, lowercase: the Open311 service_code. */
  code: string;
  /** What the resident reads (zh-CN). */
  name: string;
  /** The same in English (Open311 clients abroad, the en-US switch). */
  nameEn: string;
  /** One plain sentence: what belongs here. */
  description: string;
  /** The group the list shows it under (Open311 `group`). */
  group: string;
  /** The taxonomy leaf a report in it becomes. */
  categoryCode: string;
  /** Words the resident may type looking for it (Open311 `keywords`). */
  keywords: readonly string[];
}

export const residentCategories: readonly ResidentCategory[] = [
  {
    code: 'garbage',
    name: '垃圾没清运',
    nameEn: 'Rubbish not collected',
    description: '垃圾桶满溢、垃圾堆放没人清理',
    group: '环境卫生',
    categoryCode: 'C0301',
    keywords: ['垃圾', '满溢', '清运'],
  },
  {
    code: 'street_dirty',
    name: '道路脏乱',
    nameEn: 'Dirty street',
    description: '路面脏、有积存垃圾或渣土',
    group: '环境卫生',
    categoryCode: 'E0104',
    keywords: ['脏', '道路', '保洁'],
  },
  {
    code: 'illegal_ads',
    name: '小广告乱贴',
    nameEn: 'Fly-posting',
    description: '墙上、电线杆上乱贴乱画的小广告',
    group: '环境卫生',
    categoryCode: 'E0201',
    keywords: ['小广告', '涂写', '张贴'],
  },
  {
    code: 'streetlight',
    name: '路灯不亮',
    nameEn: 'Street light out',
    description: '路灯不亮、闪烁或灯杆损坏',
    group: '设施损坏',
    categoryCode: 'C0103',
    keywords: ['路灯', '灯'],
  },
  {
    code: 'manhole',
    name: '井盖破损或丢失',
    nameEn: 'Broken or missing manhole cover',
    description: '井盖破了、松动或不见了',
    group: '设施损坏',
    categoryCode: 'C0101',
    keywords: ['井盖', '窨井'],
  },
  {
    code: 'road_damage',
    name: '路面坑洼破损',
    nameEn: 'Pothole or damaged road',
    description: '路面有坑、开裂或破损',
    group: '设施损坏',
    categoryCode: 'C0204',
    keywords: ['坑', '路面', '破损'],
  },
  {
    code: 'fitness_equipment',
    name: '健身器材损坏',
    nameEn: 'Broken fitness equipment',
    description: '小区、广场的健身器材坏了',
    group: '设施损坏',
    categoryCode: 'C0601',
    keywords: ['健身器材', '器材'],
  },
  {
    code: 'tree',
    name: '树木倒伏或枯死',
    nameEn: 'Fallen or dead tree',
    description: '行道树倒了、断枝或枯死',
    group: '设施损坏',
    categoryCode: 'C0401',
    keywords: ['树', '倒伏', '断枝'],
  },
  {
    code: 'water_logging',
    name: '道路积水',
    nameEn: 'Flooded road',
    description: '下雨后路面积水过不去',
    group: '紧急隐患',
    categoryCode: 'E0405',
    keywords: ['积水', '内涝'],
  },
  {
    code: 'fire_lane',
    name: '消防通道堵塞',
    nameEn: 'Blocked fire lane',
    description: '消防通道、楼道被杂物或车辆堵住',
    group: '紧急隐患',
    categoryCode: 'S1201',
    keywords: ['消防通道', '堵塞', '楼道'],
  },
  {
    code: 'ebike_charging',
    name: '电动车楼道充电',
    nameEn: 'E-bike charging indoors',
    description: '电动车推进楼道充电或私拉电线充电',
    group: '紧急隐患',
    categoryCode: 'S1202',
    keywords: ['电动车', '飞线', '充电'],
  },
  {
    code: 'street_vending',
    name: '占道经营',
    nameEn: 'Street vending blocking the way',
    description: '摊贩占用人行道、路面经营',
    group: '街面秩序',
    categoryCode: 'E0502',
    keywords: ['摊贩', '占道'],
  },
  {
    code: 'parking',
    name: '车辆乱停放',
    nameEn: 'Illegal parking',
    description: '汽车乱停占用道路或出入口',
    group: '街面秩序',
    categoryCode: 'E0504',
    keywords: ['停车', '乱停'],
  },
  {
    code: 'noise',
    name: '噪声扰民',
    nameEn: 'Noise nuisance',
    description: '夜间施工、商铺音响等噪声影响休息',
    group: '街面秩序',
    categoryCode: 'E0508',
    keywords: ['噪声', '噪音', '扰民'],
  },
  {
    code: 'neighbour_dispute',
    name: '邻里矛盾',
    nameEn: 'Dispute with neighbours',
    description: '邻居之间漏水、占用公共空间等矛盾',
    group: '生活诉求',
    categoryCode: 'S1001',
    keywords: ['邻居', '纠纷', '矛盾'],
  },
  {
    code: 'property_service',
    name: '物业服务问题',
    nameEn: 'Property management',
    description: '物业不作为、收费或维修问题',
    group: '生活诉求',
    categoryCode: 'S1306',
    keywords: ['物业'],
  },
  {
    code: 'utilities',
    name: '停水停电停暖',
    nameEn: 'Water, power or heating out',
    description: '供水、供电、供暖、供气出现问题',
    group: '生活诉求',
    categoryCode: 'S1305',
    keywords: ['停水', '停电', '暖气', '供暖'],
  },
  {
    code: 'suggestion',
    name: '意见建议',
    nameEn: 'Suggestion',
    description: '对社区和街道工作的意见和建议',
    group: '生活诉求',
    categoryCode: 'S1502',
    keywords: ['建议', '意见'],
  },
];

const byCode = new Map(residentCategories.map((c) => [c.code, c]));

export function residentCategory(code: string): ResidentCategory | undefined {
  return byCode.get(code);
}
