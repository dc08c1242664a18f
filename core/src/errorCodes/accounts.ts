import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the accounts module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const accountsErrors = {
  USER_UNIT_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '所属单位不存在或不在辖区内',
    en: 'The unit does not exist or is outside your jurisdiction',
  },
  USER_DEPARTMENT_DISTRICT_ONLY: {
    status: 400,
    zh: '只有区级管理员可以管理职能部门账号',
    en: 'Only district administrators manage department accounts',
  },
  USER_DEPARTMENT_NOT_FOUND: {
    status: 400,
    zh: '职能部门不存在',
    en: 'The department does not exist',
  },
  USER_BINDING_REQUIRED: {
    status: 400,
    zh: '请选择所属单位或职能部门',
    en: 'Choose a unit or a department',
  },
  ROLE_UNKNOWN: {
    status: 400,
    zh: '未知角色：{roles}',
    en: 'Unknown roles: {roles}',
  },
  PERMISSION_UNKNOWN: {
    status: 400,
    zh: '未知权限：{permissions}',
    en: 'Unknown permissions: {permissions}',
  },
  ROLE_CODE_TAKEN: {
    status: 409,
    zh: '角色编码已存在',
    en: 'The role code is already in use',
  },
} as const satisfies Record<string, ErrorEntry>;
