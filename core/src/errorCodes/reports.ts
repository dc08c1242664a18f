import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the reports module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const reportsErrors = {
  REPORT_AREA_REQUIRED: { status: 400, zh: '请选择区域', en: 'Choose an area' },
  REPORT_PERIOD_FUTURE: { status: 400, zh: '所选时段尚未开始', en: 'The chosen period has not begun' },
  // 公开 (disclosure/service.ts): figures exist only for months begun.
  DISCLOSURE_MONTH_FUTURE: { status: 400, zh: '不能查询未来月份', en: 'A future month cannot be shown' },
} as const satisfies Record<string, ErrorEntry>;
