/**
 * Every permission name of the platform, in one list. Routes declare one of these;
 * roles are sets of them. Keep the comment of each: the admin UI shows it.
 */
export const permissions = {
  'org:read': '查看组织机构与网格',
  'org:write': '维护组织机构与网格',
  'department:read': '查看职能部门',
  'department:write': '维护职能部门',
  'user:read': '查看用户',
  'user:write': '维护用户账号（安全管理员）',
  'role:read': '查看角色',
  'role:write': '维护角色与权限（安全管理员）',
  'audit:read': '查阅审计日志（审计管理员）',
  'pii:reveal': '查看完整身份证号与手机号（逐次审计）',
  'resident:read': '查看实有人口',
  'resident:write': '维护实有人口',
  'resident:configure': '维护人口标签库',
  'case:read': '查看事件',
  'case:report': '上报事件',
  'case:accept': '受理 / 不予受理事件',
  'case:dispatch': '派遣事件',
  'case:handle': '签收、处置、办结事件',
  'case:verify': '核查事件',
  'case:followUp': '回访并结案',
  'case:escalate': '上报上级',
  'case:selfResolve': '网格员自处置',
  'case:supervise': '督办',
  'case:extend': '审批延期',
  'case:merge': '合并重复事件',
  'case:cancel': '撤销事件',
  'case:configure': '维护事件分类与工作日历',
  'metrics:read': '查看统计指标',
  'place:read': '查看实有房屋、单位与部件',
  'place:write': '维护实有房屋、单位与部件',
  'care:read': '查看本人负责的关爱帮扶对象（逐次审计）',
  'care:write': '登记关爱帮扶对象、记录走访',
  'care:supervise': '督导辖区内全部关爱帮扶对象、指派工作人员',
  'care:configure': '维护关爱帮扶类别、走访频次与保存期限',
  'fieldwork:record': '记录巡查轨迹、填报工作日志（网格员）',
  'fieldwork:read': '查看辖区巡查轨迹、覆盖与工作日志',
  'assessment:read': '查看辖区考核计分、排名与讲评通报',
  'assessment:configure': '维护考核计分规则，录入部门评议分',
  'service:manage': '维护服务事项清单（新版本不影响已受理的办件）',
  'application:read': '查看辖区办件与服务统计',
  'application:intake': '窗口受理办件、收取补正材料、出件与领取登记',
  'application:handle': '后台办理办件：审批、不予办理、转办、要求补正',
  'screen:display': '指挥大屏终端：账号只读、不能使用令牌；从大屏登录的会话最长 30 天',
  'system:configure': '系统配置',
} as const;

export type Permission = keyof typeof permissions;
export const permissionNames = Object.keys(permissions) as Permission[];

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissions, name);
}
