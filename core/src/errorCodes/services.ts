import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the service centre (catalogue and applications): a stable code, its HTTP
 * status and the message in both languages. `{name}` marks a parameter sent in `params`.
 */
export const servicesErrors = {
  SERVICE_UNKNOWN: { status: 400, zh: '服务事项不存在或已停用', en: 'No such service item' },
  SERVICE_CODE_TAKEN: { status: 409, zh: '事项编码已被使用', en: 'The item code is already in use' },
  SERVICE_DEPARTMENT_UNKNOWN: { status: 400, zh: '办理部门不存在', en: 'No such department' },
  SERVICE_MATERIAL_DUPLICATE: {
    status: 400,
    zh: '材料“{name}”重复',
    en: 'The material "{name}" is listed twice',
  },
  APPLICATION_MATERIAL_UNKNOWN: {
    status: 400,
    zh: '“{name}”不是该事项（第 {version} 版）要求的材料',
    en: '"{name}" is not a material of this item (version {version})',
  },
  APPLICATION_MATERIAL_MISSING: {
    status: 400,
    zh: '请勾选该事项的全部材料，缺少“{name}”',
    en: 'Every material of the item must be listed; "{name}" is missing',
  },
  APPLICATION_FILE_UNKNOWN: {
    status: 400,
    zh: '材料扫描件不存在或不是您上传的，请重新上传',
    en: 'A material scan does not exist or was not uploaded by you; upload it again',
  },
  APPLICATION_PROMISED_DATE_PAST: {
    status: 400,
    zh: '容缺材料的承诺补交日期须在今天之后',
    en: 'The promised date of a pending material must lie ahead',
  },
  APPLICATION_FORM_REQUIRED: { status: 400, zh: '请填写“{label}”', en: '"{label}" is required' },
  APPLICATION_FORM_INVALID: {
    status: 400,
    zh: '“{label}”的填写不符合要求',
    en: '"{label}" is not valid',
  },
  APPLICATION_NO_WINDOW: {
    status: 400,
    zh: '您的账号不属于任何受理单位，不能受理办件',
    en: 'Your account belongs to no unit that takes applications in',
  },
  APPLICATION_INVALID_STATE: {
    status: 409,
    zh: '办件当前状态不允许此操作',
    en: 'The application is not in a state that allows this',
  },
  APPLICATION_NOT_YOURS: {
    status: 403,
    zh: '该办件不在您单位的办理环节',
    en: 'The application is not at your unit',
  },
  APPLICATION_NOT_IMMEDIATE: {
    status: 409,
    zh: '该事项须经后台审批后才能出件',
    en: 'This item is issued only after the back office approves it',
  },
  APPLICATION_TRANSFER_TARGET: {
    status: 400,
    zh: '转办的单位或部门不存在',
    en: 'The unit or department to transfer to does not exist',
  },
  APPLICATION_TRANSFER_SAME: {
    status: 400,
    zh: '办件已在该单位或部门办理',
    en: 'The application is already handled there',
  },
  CERTIFICATE_NONE: {
    status: 404,
    zh: '该办件没有出具证明',
    en: 'No certificate was issued for this application',
  },
  CERTIFICATE_REVOKED_ALREADY: {
    status: 409,
    zh: '该证明已于 {revokedAt} 作废',
    en: 'The certificate was revoked on {revokedAt}',
  },
  RATING_NOT_ENDED: {
    status: 409,
    zh: '办件办结或不予办理后才能评价',
    en: 'An application is rated only after it ends',
  },
  RATING_EXISTS: {
    status: 409,
    zh: '该办件已评价过，每件只能评价一次',
    en: 'The application has already been rated; it is rated once',
  },
  SERVICE_TIME_LIMIT_OVER_STATUTORY: {
    status: 400,
    zh: '承诺时限（{timeLimitDays} 个工作日）不能超过法定时限（{statutoryDays} 个工作日）',
    en: 'The promised time limit ({timeLimitDays} working days) may not exceed the statutory one ({statutoryDays})',
  },
  SERVICE_FORM_KEY_DUPLICATE: {
    status: 400,
    zh: '表单字段标识“{key}”重复',
    en: 'The form field key "{key}" is used twice',
  },
  SERVICE_CHOICE_OPTIONS: {
    status: 400,
    zh: '选择题“{label}”至少要有两个选项',
    en: 'The choice "{label}" needs at least two options',
  },
  MATERIAL_FILE_TYPE: {
    status: 415,
    zh: '材料只能上传 PDF 或图片（JPG、PNG、WebP）',
    en: 'A material may be a PDF or an image (JPG, PNG, WebP) only',
  },
  MATERIAL_FILE_TOO_LARGE: {
    status: 413,
    zh: '材料文件不能超过 {maxMb} MB',
    en: 'A material file may not exceed {maxMb} MB',
  },
  RECTIFICATION_CLOSED: {
    status: 409,
    zh: '该整改已办结',
    en: 'The rectification is already closed',
  },
} as const satisfies Record<string, ErrorEntry>;
