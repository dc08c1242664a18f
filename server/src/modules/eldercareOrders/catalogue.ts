import type { ServiceKind, SubsidyRule } from '@civicgrid/core/api/eldercareOrders';
import { count } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { elderServices } from './tables.js';

/**
 * The default 为老服务 list (seed 001: 10 kinds, 72 services in 昆都仑区; these are 60 of the
 * common ones), prices in fen. Subsidies follow the usual 居家养老服务补贴 pattern: the
 * dependent (失能) most, the partly dependent and the 80+ less, everyone else nothing; a few
 * services carry a fixed amount (助餐 per meal) instead of a share.
 */
const byCare = (dependent: number, partial: number, eighty: number): SubsidyRule => ({
  mode: 'percent',
  tiers: [
    { careLevels: ['dependent'], value: dependent },
    { careLevels: ['partial'], value: partial },
    { minAge: 80, value: eighty },
  ],
});
const fixed = (dependent: number, eighty: number, others: number): SubsidyRule => ({
  mode: 'fixed',
  tiers: [
    { careLevels: ['dependent', 'partial'], value: dependent },
    { minAge: 80, value: eighty },
    { value: others },
  ],
});

const list: [ServiceKind, string, string, number, SubsidyRule | null][] = [
  ['meals', '老年餐（堂食）', '餐', 1200, fixed(600, 500, 300)],
  ['meals', '老年餐（送餐上门）', '餐', 1500, fixed(800, 600, 300)],
  ['meals', '营养早餐送餐', '餐', 800, fixed(400, 300, 200)],
  ['meals', '糖尿病餐', '餐', 1800, fixed(800, 600, 300)],
  ['meals', '节日团餐', '次', 3000, byCare(50, 30, 30)],
  ['meals', '上门做饭', '次', 4000, byCare(60, 40, 30)],
  ['cleaning', '居室保洁', '小时', 4000, byCare(80, 50, 40)],
  ['cleaning', '厨卫深度清洁', '次', 12000, byCare(60, 40, 30)],
  ['cleaning', '衣物洗涤', '次', 3000, byCare(80, 50, 40)],
  ['cleaning', '被褥拆洗', '次', 5000, byCare(80, 50, 40)],
  ['cleaning', '擦玻璃', '次', 6000, byCare(50, 30, 20)],
  ['cleaning', '室内消杀', '次', 8000, byCare(50, 30, 20)],
  ['bathing', '上门助浴', '次', 12000, byCare(80, 60, 50)],
  ['bathing', '助浴车助浴', '次', 18000, byCare(80, 60, 50)],
  ['bathing', '洗头理发', '次', 3000, byCare(80, 50, 40)],
  ['bathing', '修剪指甲', '次', 2000, byCare(80, 50, 40)],
  ['bathing', '擦身护理', '次', 6000, byCare(80, 60, 40)],
  ['bathing', '足浴', '次', 4000, byCare(50, 30, 20)],
  ['medical', '陪同就医', '小时', 5000, byCare(80, 60, 50)],
  ['medical', '代为取药', '次', 2000, byCare(80, 60, 50)],
  ['medical', '上门测血压血糖', '次', 1000, byCare(100, 100, 100)],
  ['medical', '上门换药', '次', 5000, byCare(80, 60, 40)],
  ['medical', '用药提醒', '月', 3000, byCare(100, 80, 50)],
  ['medical', '家庭医生签约随访', '次', 0, null],
  ['mobility', '陪同外出', '小时', 3000, byCare(80, 60, 40)],
  ['mobility', '轮椅租赁', '月', 6000, byCare(60, 40, 30)],
  ['mobility', '助行器适配', '次', 5000, byCare(60, 40, 30)],
  ['mobility', '上下楼搀扶', '次', 2000, byCare(80, 60, 40)],
  ['mobility', '接送车服务', '次', 4000, byCare(60, 40, 30)],
  ['mobility', '适老化扶手安装', '处', 15000, byCare(80, 60, 50)],
  ['repair', '水电维修', '次', 5000, byCare(60, 40, 30)],
  ['repair', '家电维修', '次', 6000, byCare(50, 30, 20)],
  ['repair', '管道疏通', '次', 8000, byCare(50, 30, 20)],
  ['repair', '门锁维修', '次', 5000, byCare(50, 30, 20)],
  ['repair', '燃气安全检查', '次', 0, null],
  ['repair', '适老化改造评估', '次', 20000, byCare(100, 80, 60)],
  ['shopping', '代购生活用品', '次', 1500, byCare(80, 60, 50)],
  ['shopping', '代购药品', '次', 1500, byCare(80, 60, 50)],
  ['shopping', '代缴水电燃气费', '次', 1000, byCare(80, 60, 50)],
  ['shopping', '代办证照', '次', 3000, byCare(80, 60, 50)],
  ['shopping', '代寄快递', '次', 1000, byCare(80, 60, 50)],
  ['shopping', '代买蔬菜', '次', 1000, byCare(80, 60, 50)],
  ['companion', '日间照料', '天', 8000, byCare(70, 50, 40)],
  ['companion', '夜间陪护', '夜', 15000, byCare(70, 50, 30)],
  ['companion', '住院陪护', '天', 20000, byCare(50, 30, 20)],
  ['companion', '短期托养', '天', 12000, byCare(60, 40, 30)],
  ['companion', '喘息服务', '天', 10000, byCare(80, 60, 40)],
  ['companion', '失能老人生活照护', '小时', 5000, byCare(80, 60, 40)],
  ['rehab', '康复训练指导', '次', 8000, byCare(70, 50, 40)],
  ['rehab', '推拿按摩', '次', 6000, byCare(50, 30, 20)],
  ['rehab', '中医理疗', '次', 8000, byCare(50, 30, 20)],
  ['rehab', '康复辅具租赁', '月', 5000, byCare(60, 40, 30)],
  ['rehab', '认知训练', '次', 5000, byCare(70, 50, 40)],
  ['rehab', '压疮护理', '次', 6000, byCare(80, 60, 40)],
  ['comfort', '上门探访聊天', '次', 2000, byCare(100, 100, 100)],
  ['comfort', '电话关怀', '次', 0, null],
  ['comfort', '读报陪伴', '小时', 2000, byCare(100, 80, 60)],
  ['comfort', '心理疏导', '次', 8000, byCare(80, 60, 50)],
  ['comfort', '节日慰问', '次', 0, null],
  ['comfort', '生日关怀', '次', 5000, byCare(100, 100, 100)],
];

export const defaultElderServices = list.map(([kind, name, unit, priceFen, subsidyRule], i) => ({
  code: `EC${String(i + 1).padStart(3, '0')}`,
  kind,
  name,
  unit,
  priceFen,
  subsidyRule,
  sort: i + 1,
}));

/** Run at every start: an empty service list gets the defaults (admins' edits are kept). */
export async function ensureElderServiceDefaults(db: Db): Promise<void> {
  const [n] = await db.select({ n: count() }).from(elderServices);
  if (Number(n?.n ?? 0) > 0) return;
  await db.insert(elderServices).values(defaultElderServices).onConflictDoNothing();
}
