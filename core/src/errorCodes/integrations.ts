import type { ErrorEntry } from './entry.js';

/** Refusals of the outside-system bridges (Open311 keys, the 12345 hotline). */
export const integrationsErrors = {
  OPEN311_KEY_UNKNOWN: { status: 404, zh: 'API 密钥不存在', en: 'No such API key' },
  HOTLINE_NOT_CONFIGURED: {
    status: 401,
    zh: '未配置12345热线对接密钥',
    en: 'The 12345 hotline secret is not configured',
  },
  HOTLINE_SIGNATURE_INVALID: { status: 401, zh: '签名无效', en: 'Invalid signature' },
  HOTLINE_TIMESTAMP_STALE: {
    status: 401,
    zh: '请求时间戳缺失或超过5分钟',
    en: 'The timestamp is missing or more than 5 minutes off',
  },
  HOTLINE_CATEGORY_UNMAPPED: {
    status: 400,
    zh: '热线分类“{category}”未对应到事件分类',
    en: 'The hotline category "{category}" is not mapped onto the taxonomy',
  },
  HOTLINE_MAPPING_UNKNOWN: { status: 404, zh: '分类对应关系不存在', en: 'No such category mapping' },
  HOTLINE_CALLBACK_UNKNOWN: { status: 404, zh: '回调记录不存在', en: 'No such callback' },
  HOTLINE_CALLBACK_NOT_DEAD: {
    status: 409,
    zh: '只有投递失败的回调可以重发',
    en: 'Only a dead-lettered callback can be resent',
  },
} as const satisfies Record<string, ErrorEntry>;
