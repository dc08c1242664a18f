import type { ErrorEntry } from './entry.js';

/** Refusals of the resident portal's online applications and proxy requests (issue 17 item 4). */
export const onlineErrors = {
  ONLINE_REAL_NAME_REQUIRED: {
    status: 409,
    zh: '网上申办须先完成实名认证',
    en: 'Bind your real name before applying online',
  },
  ONLINE_COMMUNITY_REQUIRED: {
    status: 400,
    zh: '请选择受理的社区',
    en: 'Choose the community whose window takes the application in',
  },
  ONLINE_COMMUNITY_UNKNOWN: { status: 400, zh: '所选社区不存在', en: 'No such community' },
  ONLINE_MATERIAL_FILE_REQUIRED: {
    status: 400,
    zh: '请上传“{name}”的照片或扫描件',
    en: 'Upload a photo or scan of "{name}"',
  },
  ONLINE_RATING_NOT_ENDED: {
    status: 409,
    zh: '办件办结后才能评价',
    en: 'An application can be rated once it has ended',
  },
} satisfies Record<string, ErrorEntry>;
