import type { ErrorEntry } from './entry.js';

/** Refusals of eldercare (issue 20): devices, elders' files, alerts. */
export const eldercareErrors = {
  ELDER_CONTACT_PHONE_REQUIRED: {
    status: 400,
    zh: '新联系人须填写手机号',
    en: 'A new contact needs a phone number',
  },
  ELDER_CONTACT_UNKNOWN: {
    status: 400,
    zh: '该联系人不在此老人的档案中，请刷新后重试',
    en: "The contact is not on this elder's file; reload and try again",
  },
  ELDER_HEALTH_FORBIDDEN: {
    status: 403,
    zh: '您无权修改老人的健康信息',
    en: "You may not change the elder's health data",
  },
  DEVICE_IMEI_TAKEN: { status: 409, zh: '该 IMEI 已登记', en: 'The IMEI is already registered' },
  ELDER_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '该居民不在您的辖区',
    en: 'The resident is not in your jurisdiction',
  },
  ELDER_TOO_YOUNG: {
    status: 400,
    zh: '该居民未满 60 周岁，不是老人档案的对象',
    en: 'The resident is under 60 and has no elder file',
  },
  DEVICE_AUTH_FAILED: { status: 401, zh: '终端 IMEI 或密钥错误', en: 'Wrong device IMEI or secret' },
  DEVICE_MESSAGE_REJECTED: {
    status: 400,
    zh: '终端数据无效（{reason}），已丢弃',
    en: 'The device message was dropped ({reason})',
  },
  DEVICE_RATE_LIMITED: {
    status: 429,
    zh: '终端上报过于频繁，已丢弃',
    en: 'The device sends too often; dropped',
  },
  ALERT_INVALID_STATE: {
    status: 409,
    zh: '告警当前状态不允许此操作',
    en: 'The alert is not in a state for this',
  },
} as const satisfies Record<string, ErrorEntry>;
