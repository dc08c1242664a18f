import type { ErrorEntry } from './entry.js';

/** Refusals of the social-organization registry and its 公益创投 projects (issue 19 item 8). */
export const socialOrgsErrors = {
  SOCIAL_ORG_CREDIT_CODE: {
    status: 400,
    zh: '统一社会信用代码校验位不正确',
    en: 'The unified social credit code fails its check character',
  },
  SOCIAL_ORG_CREDIT_CODE_KIND: {
    status: 400,
    zh: '{type}的统一社会信用代码应以 {prefix} 开头（民政登记）',
    en: 'The credit code of a {type} registered by civil affairs starts with {prefix}',
  },
  SOCIAL_ORG_CREDIT_CODE_REQUIRED: {
    status: 400,
    zh: '登记的社会组织须填写统一社会信用代码',
    en: 'A registered social organization has a unified social credit code',
  },
  SOCIAL_ORG_CREDIT_CODE_TAKEN: {
    status: 409,
    zh: '该统一社会信用代码已登记',
    en: 'This unified social credit code is already registered',
  },
  SOCIAL_ORG_NAME_TAKEN: {
    status: 409,
    zh: '同一服务区域已有同名社会组织',
    en: 'A social organization of this name already serves this area',
  },
  SOCIAL_ORG_PATCH_EMPTY: { status: 400, zh: '请至少修改一项内容', en: 'Change at least one field' },
  SOCIAL_ORG_UNIT: {
    status: 400,
    zh: '服务区域须为本辖区内的街道或社区',
    en: 'The area served must be a street or community of your jurisdiction',
  },
  SOCIAL_ORG_UNKNOWN: {
    status: 400,
    zh: '辖区内没有该社会组织',
    en: 'No such social organization in your jurisdiction',
  },
  SOCIAL_ORG_INCUBATION_ORDER: {
    status: 409,
    zh: '孵化阶段只能依次向前（入驻孵化 → 培育中 → 出壳），当前为{current}',
    en: 'Incubation only moves forward (incubating → nurturing → graduated); it is now {current}',
  },
  SOCIAL_PROJECT_UNIT: {
    status: 400,
    zh: '购买方须为本辖区内的街道或社区',
    en: 'The buyer must be a street or community of your jurisdiction',
  },
  SOCIAL_PROJECT_PERIOD: {
    status: 400,
    zh: '结束日期不能早于开始日期',
    en: 'The end date cannot be before the start date',
  },
  SOCIAL_PROJECT_MILESTONE_DUE: {
    status: 400,
    zh: '里程碑的完成期限须在项目周期内',
    en: 'A milestone is due within the project period',
  },
  SOCIAL_PROJECT_BUDGET: {
    status: 400,
    zh: '立项金额不能超过申报金额（{requested} 元）',
    en: 'The approved amount cannot exceed the amount applied for ({requested} yuan)',
  },
  SOCIAL_PROJECT_OVER_BUDGET: {
    status: 400,
    zh: '支出超出预算，剩余可用 {left} 元',
    en: 'Over budget: {left} yuan left',
  },
  SOCIAL_PROJECT_INVALID_STATE: {
    status: 409,
    zh: '项目当前状态不允许此操作',
    en: 'The project is not in a state that allows this',
  },
  SOCIAL_PROJECT_MILESTONES_OPEN: {
    status: 409,
    zh: '还有 {open} 个里程碑未完成，不能结项',
    en: '{open} milestones are not done yet; the project cannot be completed',
  },
  SOCIAL_MILESTONE_DONE: { status: 409, zh: '该里程碑已完成', en: 'This milestone is already done' },
  SOCIAL_MILESTONE_FUTURE: {
    status: 400,
    zh: '完成日期不能晚于今天',
    en: 'The day done cannot be in the future',
  },
  SOCIAL_PROJECT_FILE_UNKNOWN: {
    status: 400,
    zh: '佐证材料不存在或不是您上传的',
    en: 'The evidence file does not exist or was not uploaded by you',
  },
} as const satisfies Record<string, ErrorEntry>;
