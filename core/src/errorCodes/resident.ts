import type { ErrorEntry } from './entry.js';

/** Refusals of the resident portal's sign-in and account (issue 17). */
export const residentErrors = {
  RESIDENT_CODE_INVALID: {
    status: 401,
    zh: '验证码错误或已过期',
    en: 'The code is wrong or has expired',
  },
  RESIDENT_CODE_LOCKED: {
    status: 429,
    zh: '验证码错误次数过多，请重新获取',
    en: 'Too many wrong codes; ask for a new one',
  },
  RESIDENT_CONSENT_VERSION: {
    status: 400,
    zh: '隐私政策已更新，请阅读最新版本后再同意',
    en: 'The privacy notice has changed; read the current version first',
  },
  RESIDENT_ONLY: {
    status: 403,
    zh: '只有居民账号可以在此注销',
    en: 'Only a resident account can be deleted here',
  },
} as const satisfies Record<string, ErrorEntry>;
