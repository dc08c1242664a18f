import type { ErrorEntry } from './entry.js';

/** Refusals of 通知公告 (notices to an area, read by its residents). */
export const noticesErrors = {
  NOTICE_WITHDRAWN: {
    status: 409,
    zh: '该通知已撤回，不能再修改',
    en: 'The notice has been withdrawn and cannot be changed',
  },
  NOTICE_AREA_RETIRED: { status: 400, zh: '该区域已撤销', en: 'The area has been retired' },
  NOTICE_COMMUNITY_UNKNOWN: {
    status: 400,
    zh: '请选择一个社区',
    en: 'Pick a community',
  },
  NOTICE_ATTACHMENT_UNAVAILABLE: {
    status: 400,
    zh: '附件不存在或不是您上传的',
    en: 'The attachment does not exist or is not yours',
  },
} as const satisfies Record<string, ErrorEntry>;
