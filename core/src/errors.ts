import { accountsErrors } from './errorCodes/accounts.js';
import { assessmentErrors } from './errorCodes/assessment.js';
import { briefingsErrors } from './errorCodes/briefings.js';
import { camerasErrors } from './errorCodes/cameras.js';
import { careErrors } from './errorCodes/care.js';
import { casesErrors } from './errorCodes/cases.js';
import { deliberationPublicErrors } from './errorCodes/deliberationPublic.js';
import { disputesErrors } from './errorCodes/disputes.js';
import { eldercareErrors } from './errorCodes/eldercare.js';
import { eldercareOrdersErrors } from './errorCodes/eldercareOrders.js';
import type { ErrorEntry } from './errorCodes/entry.js';
import { fieldworkErrors } from './errorCodes/fieldwork.js';
import { grievancesErrors } from './errorCodes/grievances.js';
import { incidentsErrors } from './errorCodes/incidents.js';
import { integrationsErrors } from './errorCodes/integrations.js';
import { noticesErrors } from './errorCodes/notices.js';
import { onlineErrors } from './errorCodes/online.js';
import { orgErrors } from './errorCodes/org.js';
import { participationErrors } from './errorCodes/participation.js';
import { partyOrgErrors } from './errorCodes/partyOrgs.js';
import { placesErrors } from './errorCodes/places.js';
import { platformErrors } from './errorCodes/platform.js';
import { propertyErrors } from './errorCodes/property.js';
import { proxyErrors } from './errorCodes/proxy.js';
import { reportsErrors } from './errorCodes/reports.js';
import { residentErrors } from './errorCodes/resident.js';
import { residentsErrors } from './errorCodes/residents.js';
import { servicesErrors } from './errorCodes/services.js';
import { socialOrgsErrors } from './errorCodes/socialOrgs.js';

export type { ErrorEntry } from './errorCodes/entry.js';

/**
 * Stable error codes of the API, their HTTP status and the message a user reads.
 * The server throws them; the web client maps `code` to the message in one place.
 */
export const errorCodes = {
  VALIDATION: { status: 400, zh: '输入有误，请检查标出的字段', en: 'Some fields are invalid' },
  BAD_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '上传内容过大', en: 'The request body is too large' },
  NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  LOGIN_FAILED: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '连续登录失败次数过多，账号已锁定 15 分钟',
    en: 'Too many failed logins; the account is locked for 15 minutes',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'The account is disabled' },
  TOTP_REQUIRED: { status: 401, zh: '请输入动态验证码', en: 'A one-time code is required' },
  TOTP_INVALID: { status: 401, zh: '动态验证码错误', en: 'The one-time code is wrong' },
  TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    zh: '您的角色要求启用双因素认证，请先绑定验证器',
    en: 'Your role requires two-factor authentication; enrol an authenticator first',
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '首次登录须先修改密码',
    en: 'You must change your password first',
  },
  PASSWORD_WEAK: {
    status: 400,
    zh: '密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类',
    en: 'Passwords need 8+ characters from 3 of: upper case, lower case, digits, symbols',
  },
  PASSWORD_WRONG: { status: 400, zh: '原密码错误', en: 'The current password is wrong' },
  RATE_LIMITED: {
    status: 429,
    zh: '操作过于频繁，请稍后再试',
    en: 'Too many requests; please try again later',
  },
  CSRF: { status: 403, zh: '请求来源校验失败，请刷新页面后重试', en: 'Cross-site request refused' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You may not do this' },
  CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  RECORD_IN_OTHER_JURISDICTION: {
    status: 409,
    zh: '已在其他辖区登记，请走迁移流程',
    en: 'Already registered in another jurisdiction; transfer it through the move procedure',
  },
  ORG_CODE_INVALID: { status: 400, zh: '编码不符合所在层级的规则', en: 'The code does not fit its level' },
  ORG_CODE_TAKEN: { status: 409, zh: '编码已被使用', en: 'The code is already in use' },
  ORG_MOVE_INVALID: { status: 409, zh: '不能移动到该位置', en: 'The node cannot be moved there' },
  ORG_HAS_CHILDREN: { status: 409, zh: '请先撤销下级单位', en: 'Retire the children first' },
  GRID_TEAM_INVALID: { status: 400, zh: '网格队伍配置不符合要求', en: 'The grid team is not valid' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'The username is taken' },
  ROLE_BUILT_IN: { status: 409, zh: '内置角色不可修改或删除', en: 'Built-in roles cannot be changed' },
  ROLE_IN_USE: { status: 409, zh: '角色仍有用户使用', en: 'The role is still assigned' },
  DUTIES_COMBINED: {
    status: 409,
    zh: '系统管理、安全管理、审计三类管理职责须由不同人员担任，管理员也不能查看完整个人信息',
    en: 'The system, security and audit duties must be held by different people, and no administrator may reveal personal data',
  },
  ADMIN_ACCOUNT_PROTECTED: {
    status: 403,
    zh: '管理员账号（包括本人账号）不能在用户管理中修改，请由运维人员使用命令行工具办理；修改本人密码请到“修改密码”',
    en: "Administrator accounts (your own included) cannot be changed here; operators use the command-line tool. Change your own password under 'Change password'",
  },
  ADMIN_DUTY_GRANT: {
    status: 403,
    zh: '管理员职责不能在界面授予；管理员账号由运维人员使用命令行工具创建',
    en: 'Administrator duties cannot be granted here; operators create administrator accounts with the command-line tool',
  },
  CASE_INVALID_STATE: {
    status: 409,
    zh: '事件当前状态不允许此操作',
    en: 'The case is not in a state that allows this',
  },
  CASE_NOT_YOURS: {
    status: 403,
    zh: '该事件不在您的办理环节',
    en: 'The case is not at your step',
  },
  CATEGORY_UNKNOWN: { status: 400, zh: '事件分类不存在', en: 'Unknown category' },
  FILE_TYPE: {
    status: 415,
    zh: '只支持 JPEG、PNG、WebP 格式的图片',
    en: 'Only JPEG, PNG and WebP images are accepted',
  },
  FILE_TOO_LARGE: { status: 413, zh: '单张图片不能超过 10 MB', en: 'An image may not exceed 10 MB' },
  IMAGE_TOO_LARGE: {
    status: 413,
    zh: '图片像素过大（不能超过 5000 万像素），请缩小后再上传',
    en: 'The image has too many pixels (at most 50 megapixels)',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  // Domain refusals, one file per module (core/src/errorCodes/): a stable code per rule a
  // request broke, so the web can say it in the user's language.
  ...casesErrors,
  ...placesErrors,
  ...residentsErrors,
  ...residentErrors,
  ...careErrors,
  ...fieldworkErrors,
  ...orgErrors,
  ...accountsErrors,
  ...assessmentErrors,
  ...reportsErrors,
  ...platformErrors,
  ...servicesErrors,
  ...onlineErrors,
  ...grievancesErrors,
  ...incidentsErrors,
  ...briefingsErrors,
  ...camerasErrors,
  ...proxyErrors,
  ...participationErrors,
  ...partyOrgErrors,
  ...socialOrgsErrors,
  ...deliberationPublicErrors,
  ...propertyErrors,
  ...integrationsErrors,
  ...disputesErrors,
  ...noticesErrors,
  ...eldercareErrors,
  ...eldercareOrdersErrors,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof errorCodes;

/** Values filled into a message's `{name}` placeholders. */
export type ErrorParams = Record<string, string | number>;

/**
 * One field problem in a 400 reply: where, which rule (a short camelCase name such as
 * `unique` or `checkDigit`), the stable code of the refusal when it is a domain rule, its
 * parameters, and the message in Chinese (the web says it again in the user's language).
 */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
  code?: ErrorCode;
  params?: ErrorParams;
}

/** A code's message in one language, its `{name}` placeholders filled from `params`. */
export function errorText(code: ErrorCode, lang: 'zh' | 'en', params?: ErrorParams): string {
  const text: string = errorCodes[code][lang];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  );
}

/** RFC 9457 problem details as this API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  errors?: FieldError[];
  /** The parameters of the code's message, when it has any. */
  params?: ErrorParams;
}
