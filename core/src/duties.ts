import type { Permission } from './permissions.js';

/**
 * 等保 2.0 三员分立 (GB/T 22239-2019: 访问控制 — 管理用户的权限分离; 安全管理中心 — 系统
 * 管理、审计管理、安全管理): the system, security and audit administrators are three
 * people, and none can do another's work. The rule is over the
 * permissions a user ends up with (the union of all their roles), not over role codes: a
 * custom role carrying `audit:read` makes its holder an auditor whatever it is called.
 */
export type Duty = 'system' | 'security' | 'audit';

export const duties: Record<Duty, { name: string; nameEn: string; permissions: readonly Permission[] }> = {
  /**
   * Runs the platform: what every account's jurisdiction is made of (the org tree,
   * departments) and the configuration everyone works under (categories and the calendar,
   * care categories and retention periods, the resident tag library, system settings).
   * `assessment:configure` is left out on purpose: scoring rules and department evaluation
   * scores are the command centre's business work, they touch no account, audit row or
   * jurisdiction, and counting them here would make every command-centre user an
   * administrator whose account nobody could maintain.
   */
  system: {
    name: '系统管理',
    nameEn: 'system administration',
    permissions: [
      'system:configure',
      'org:write',
      'department:write',
      'case:configure',
      'care:configure',
      'resident:configure',
    ],
  },
  /**
   * Decides who may do what: accounts, their passwords and roles, and what roles carry.
   * Reading accounts (`user:read`, `role:read`) changes nothing and is not a duty.
   */
  security: {
    name: '安全管理',
    nameEn: 'security administration',
    permissions: ['user:write', 'role:write'],
  },
  /** Reviews what everyone, the other two administrators included, has done. */
  audit: {
    name: '安全审计',
    nameEn: 'security audit',
    permissions: ['audit:read'],
  },
};

export const dutyNames = Object.keys(duties) as Duty[];

/** Every permission that makes its holder one of the three administrators. */
export const adminDutyPermissions: ReadonlySet<Permission> = new Set(
  dutyNames.flatMap((d) => duties[d].permissions),
);

/**
 * Permissions no administrator may hold beside a duty. `pii:reveal` shows full ID and
 * phone numbers: the security admin could grant it to himself or to an account whose
 * password he set, the audit admin is the one who reviews reveals, and a system admin
 * who reshapes the org tree could widen his own reach and then reveal — administrators
 * administer; they do not read personal data.
 */
export const forbiddenBesideDuties: readonly Permission[] = ['pii:reveal'];

export function dutiesOf(permissions: Iterable<string>): Duty[] {
  const held = new Set(permissions);
  return dutyNames.filter((d) => duties[d].permissions.some((p) => held.has(p)));
}

export function holdsAdminDuty(permissions: Iterable<string>): boolean {
  for (const p of permissions) if (adminDutyPermissions.has(p as Permission)) return true;
  return false;
}

export interface DutyConflict {
  /** The duties joined (one when a forbidden permission sits beside a single duty). */
  duties: Duty[];
  /** The permissions that clash, in the order of `duties` then the forbidden ones. */
  permissions: string[];
  /** What a user reads (zh-CN). */
  message: string;
}

/**
 * Why a set of permissions may not be held by one role or one user, or null when it may:
 * two duties together, or a duty with a permission forbidden beside every duty.
 */
export function dutyConflict(permissions: Iterable<string>): DutyConflict | null {
  const held = new Set(permissions);
  const joined = dutiesOf(held);
  const forbidden = forbiddenBesideDuties.filter((p) => held.has(p));
  if (joined.length < 2 && (joined.length === 0 || forbidden.length === 0)) return null;
  const clashing = [...joined.flatMap((d) => duties[d].permissions.filter((p) => held.has(p))), ...forbidden];
  const names = joined.map((d) => duties[d].name).join('、');
  const message =
    joined.length >= 2
      ? `${names}职责须由不同人员担任，不能同时拥有：${clashing.join('、')}`
      : `管理员（${names}）不能同时拥有查看完整个人信息的权限：${clashing.join('、')}`;
  return { duties: joined, permissions: clashing, message };
}
