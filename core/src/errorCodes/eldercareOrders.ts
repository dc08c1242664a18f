import type { ErrorEntry } from './entry.js';

/** Refusals of 12349 orders and providers (issue 20 items 2–3). */
export const eldercareOrdersErrors = {
  ELDER_ORDER_SERVICE_UNKNOWN: {
    status: 400,
    zh: '没有这项为老服务',
    en: 'No such eldercare service',
  },
  ELDER_ORDER_NOT_ELDER: {
    status: 400,
    zh: '该居民未满 60 周岁，不能受理为老服务工单',
    en: 'The resident is under 60',
  },
  ELDER_ORDER_INVALID_STATE: {
    status: 409,
    zh: '工单当前状态不允许此操作',
    en: 'The order is not in a state for this',
  },
  ELDER_ORDER_PROVIDER_UNQUALIFIED: {
    status: 400,
    zh: '该服务商不服务此区域或不提供此项服务',
    en: 'The provider does not serve this area or offer this service',
  },
  ELDER_ORDER_TOO_FAR: {
    status: 409,
    zh: '当前位置距老人住址 {distance} 米，超过 {max} 米，不能确认到达',
    en: 'The position is {distance} m from the address, more than {max} m',
  },
  ELDER_ORDER_ALREADY_RATED: { status: 409, zh: '该工单已评价', en: 'The order is already rated' },
  ELDER_ORDER_NOT_YOUR_PROVIDER: {
    status: 403,
    zh: '该工单未派给您所在的服务商',
    en: 'The order is not dispatched to your provider',
  },
  PROVIDER_NAME_TAKEN: { status: 409, zh: '已有同名服务商', en: 'A provider of that name exists' },
  PROVIDER_AREA_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '服务区域不在您的辖区',
    en: 'The service area is not in your jurisdiction',
  },
  ELDER_ORDER_FILE_UNKNOWN: {
    status: 400,
    zh: '照片不存在或不是您上传的',
    en: 'The photo does not exist or was not uploaded by you',
  },
  BILL_MONTH_INVALID: { status: 400, zh: '账单月份无效', en: 'Invalid bill month' },
} as const satisfies Record<string, ErrorEntry>;
