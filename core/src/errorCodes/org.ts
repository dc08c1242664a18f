import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the org module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const orgErrors = {
  DEPARTMENT_CODE_TAKEN: {
    status: 409,
    zh: '部门编码已存在',
    en: 'The department code is already in use',
  },
  ORG_PARENT_NOT_FOUND: {
    status: 400,
    zh: '上级单位不存在或不在辖区内',
    en: 'The parent unit does not exist or is outside your jurisdiction',
  },
  ORG_PARENT_RETIRED: {
    status: 400,
    zh: '上级单位已撤销',
    en: 'The parent unit has been retired',
  },
  ORG_BELOW_GRID: {
    status: 400,
    zh: '网格下不能再建下级',
    en: 'A grid cannot have units below it',
  },
  ORG_CODE_PREFIX: {
    status: 400,
    zh: '编码须以上级编码 {parentCode} 开头，共 {digits} 位',
    en: 'The code must start with the parent code {parentCode} and have {digits} digits',
  },
  ORG_MOVE_LEVEL: {
    status: 409,
    zh: '只能移动到同级的其他上级单位下',
    en: 'A unit can only move below another parent of the same level',
  },
  GRID_TEAM_ONE_MANAGER: {
    status: 400,
    zh: '网格须有且只有 1 名网格管理员',
    en: 'A grid needs exactly one grid manager',
  },
  GRID_TEAM_ASSISTANTS: {
    status: 400,
    zh: '网格协管员须为 {min}–{max} 名',
    en: 'A grid needs {min} to {max} grid assistants',
  },
  GRID_TEAM_DUPLICATE: {
    status: 400,
    zh: '同一人不能重复加入',
    en: 'The same person cannot join twice',
  },
  GRID_TEAM_INACTIVE_USER: {
    status: 400,
    zh: '成员须为有效的在用账号',
    en: 'Members must be active accounts',
  },
} as const satisfies Record<string, ErrorEntry>;
