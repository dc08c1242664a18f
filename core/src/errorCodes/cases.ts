import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the cases module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const casesErrors = {
  CASE_CATEGORY_NOT_LEAF: {
    status: 400,
    zh: '请选择具体的小类',
    en: 'Choose a minor category, not a major class',
  },
  CASE_CATEGORY_SAME: {
    status: 400,
    zh: '事件已经是该分类',
    en: 'The case is already in this category',
  },
  CASE_LOCATION_REQUIRED: {
    status: 400,
    zh: '请在地图上选点或填写地址',
    en: 'Pick a point on the map or give an address',
  },
  CASE_NOT_SELF_RESOLVABLE: {
    status: 400,
    zh: '该类事件不允许网格员自处置',
    en: 'Grid workers may not resolve this category on the spot',
  },
  CASE_NO_DISTRICT: {
    status: 400,
    zh: '平台尚未配置辖区',
    en: 'No district is configured yet',
  },
  CASE_PHOTO_UNAVAILABLE: {
    status: 400,
    zh: '照片不存在或已被使用，请重新上传',
    en: 'The photo does not exist or is already used; upload it again',
  },
  PHOTO_NOT_OWNED: {
    status: 400,
    zh: '照片不存在或不是您上传的',
    en: 'The photo does not exist or was not uploaded by you',
  },
  CASE_DEPARTMENT_UNKNOWN: { status: 400, zh: '职能部门不存在', en: 'No such department' },
  CASE_ASSIGNEE_UNIT_OUTSIDE: {
    status: 400,
    zh: '只能派遣给本级或下级单位',
    en: 'A case goes only to the handling unit or a unit below it',
  },
  CASE_ASSIGNEE_OUTSIDE: {
    status: 400,
    zh: '处置人不存在或不在本辖区',
    en: 'The handler does not exist or is outside this jurisdiction',
  },
  CASE_ASSIGNEE_CANNOT_HANDLE: {
    status: 400,
    zh: '该人员没有办理事件的权限，不能派遣给他',
    en: 'This person may not handle cases and cannot be dispatched to',
  },
  CASE_DEADLINE_PAST: {
    status: 400,
    zh: '时限须晚于当前时间',
    en: 'The deadline must be in the future',
  },
  CASE_EXTENSION_NOT_LATER: {
    status: 400,
    zh: '延期时限须晚于现有时限',
    en: 'An extension must end after the current deadline',
  },
  CASE_MERGE_SELF: { status: 400, zh: '不能合并到自身', en: 'A case cannot be merged into itself' },
  CASE_MERGE_TARGET_UNKNOWN: { status: 400, zh: '目标事件不存在', en: 'The target case does not exist' },
  CASE_MERGE_TARGET_CLOSED: {
    status: 400,
    zh: '目标事件已结束，不能合并',
    en: 'The target case has ended and cannot take a merge',
  },
  CASE_CATEGORY_PARENT_SELF: {
    status: 400,
    zh: '上级分类不能是自身',
    en: 'A category cannot be its own parent',
  },
  CASE_CATEGORY_PARENT_UNKNOWN: {
    status: 400,
    zh: '上级分类不存在',
    en: 'The parent category does not exist',
  },
  CASE_CATEGORY_CODE_REQUIRED: {
    status: 400,
    zh: '顶级分类须填写编码',
    en: 'A top-level category needs a code',
  },
  CASE_CATEGORY_CODE_TAKEN: { status: 400, zh: '分类编码已存在', en: 'The category code is taken' },
  CALENDAR_DAY_OUTSIDE_YEAR: {
    status: 400,
    zh: '日期须在 {year} 年内',
    en: 'The date must lie in {year}',
  },
  CALENDAR_DAY_REPEATED: { status: 400, zh: '日期重复', en: 'A date is given twice' },
} as const satisfies Record<string, ErrorEntry>;
