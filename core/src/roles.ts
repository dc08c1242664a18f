import type { Permission } from './permissions.js';

/**
 * The built-in roles of DESIGN.md §3. 等保 2.0 level 3 separates three administrators:
 * the system admin runs the platform, the security admin manages accounts and roles,
 * the audit admin alone reads the audit log. None of them holds another's powers — the
 * rule itself is over permissions, in duties.ts, and every role below satisfies it.
 */
export interface BuiltInRole {
  code: string;
  name: string;
  nameEn: string;
  permissions: Permission[];
  /**
   * A second factor is part of the role, not a setting: set at every start and refused
   * when an admin tries to turn it off. 等保 2.0 (GB/T 22239-2019, 身份鉴别) asks for two
   * kinds of authentication for administrators; and nobody maintains these accounts from
   * the console, so a stolen password alone must not open them.
   */
  totpRequired?: true;
}

const caseWork: Permission[] = ['case:read', 'case:report', 'metrics:read'];
const dispatcher: Permission[] = [
  ...caseWork,
  'case:accept',
  'case:dispatch',
  'case:verify',
  'case:followUp',
  'case:escalate',
  'case:supervise',
  'case:extend',
  'case:merge',
  'case:cancel',
  'org:read',
  'department:read',
  'resident:read',
];

/**
 * The service centre's back office (前台分流、后台办理): the community, street and district
 * handle the applications of their area, departments those transferred to them. The window
 * (application:intake) takes matters in, collects 补正 and hands out results.
 */
const backOffice: Permission[] = ['application:read', 'application:handle'];

/** The governance centre's mediation work (综治中心: 矛盾纠纷排查调处 and 群众接待). */
const mediation: Permission[] = ['dispute:read', 'dispute:register', 'dispute:mediate', 'reception:record'];

/**
 * The governance centre (综治中心, issue 16): grievances handled where they arrive, emergencies
 * commanded, briefings held and cameras looked after by the street and the district; the
 * community handles grievances and reports emergencies; grid workers report and look.
 */
const governanceCommand: Permission[] = [
  'grievance:read',
  'grievance:intake',
  'grievance:handle',
  'incident:read',
  'incident:report',
  'incident:command',
  'roster:write',
  'briefing:read',
  'briefing:manage',
  'camera:read',
  'camera:write',
];

export const builtInRoles: BuiltInRole[] = [
  {
    code: 'systemAdmin',
    name: '系统管理员',
    nameEn: 'System administrator',
    totpRequired: true,
    permissions: [
      'org:read',
      'org:write',
      'department:read',
      'department:write',
      'case:configure',
      'care:configure',
      'resident:configure',
      'system:configure',
      'metrics:read',
      'assessment:read',
      'assessment:configure',
      'service:manage',
    ],
  },
  {
    code: 'securityAdmin',
    name: '安全管理员',
    nameEn: 'Security administrator',
    totpRequired: true,
    permissions: ['user:read', 'user:write', 'role:read', 'role:write', 'org:read', 'department:read'],
  },
  {
    code: 'auditAdmin',
    name: '审计管理员',
    nameEn: 'Audit administrator',
    totpRequired: true,
    permissions: ['audit:read', 'org:read'],
  },
  {
    code: 'districtCommand',
    name: '区指挥中心',
    nameEn: 'District command centre',
    permissions: [
      ...governanceCommand,
      ...dispatcher,
      'place:read',
      'fieldwork:read',
      'pii:reveal',
      'assessment:read',
      'assessment:configure',
      ...backOffice,
      ...mediation,
      'dispute:configure',
    ],
  },
  {
    code: 'streetCentre',
    name: '街道中心',
    nameEn: 'Street centre',
    permissions: [
      ...governanceCommand,
      ...dispatcher,
      'place:read',
      'care:read',
      'care:supervise',
      'fieldwork:read',
      'assessment:read',
      ...backOffice,
      'proxyPoint:write',
      ...mediation,
      'dispute:configure',
    ],
  },
  {
    code: 'communityWorkstation',
    name: '社区工作站',
    nameEn: 'Community workstation',
    permissions: [
      'grievance:read',
      'grievance:intake',
      'grievance:handle',
      'incident:read',
      'incident:report',
      'roster:write',
      'briefing:read',
      'camera:read',
      ...dispatcher,
      'resident:write',
      'place:read',
      'place:write',
      'care:read',
      'care:write',
      'care:supervise',
      'fieldwork:read',
      'assessment:read',
      ...backOffice,
      'application:intake',
      'application:proxy',
      'proxyPoint:write',
      ...mediation,
    ],
  },
  {
    code: 'gridWorker',
    name: '网格员',
    nameEn: 'Grid worker',
    permissions: [
      'incident:report',
      'camera:read',
      ...caseWork,
      'case:handle',
      'case:verify',
      'case:followUp',
      'case:escalate',
      'case:selfResolve',
      'org:read',
      'resident:read',
      'resident:write',
      'place:read',
      'place:write',
      'care:read',
      'care:write',
      'fieldwork:record',
      'dispute:read',
      'dispute:register',
      // 帮办代办员 (seed 004: every grid worker carries matters for the residents of his grid).
      'application:proxy',
    ],
  },
  {
    code: 'departmentHandler',
    name: '职能部门处置人员',
    nameEn: 'Department handler',
    permissions: [
      'grievance:read',
      'grievance:handle',
      'case:read',
      'case:handle',
      'metrics:read',
      'department:read',
      ...backOffice,
    ],
  },
  {
    code: 'serviceClerk',
    name: '便民服务窗口',
    nameEn: 'Service-window clerk',
    permissions: [
      'case:read',
      'case:report',
      'resident:read',
      'org:read',
      'application:read',
      'application:intake',
    ],
  },
  {
    code: 'mediator',
    name: '调解员',
    nameEn: 'Mediator',
    permissions: ['case:read', 'case:handle', 'org:read', 'department:read', ...mediation],
  },
  {
    // A wall display runs for days: its sessions (opened from /screen) last up to 30 days
    // and may only read. Nothing here reveals personal data unmasked.
    code: 'screenDisplay',
    name: '指挥大屏',
    nameEn: 'Command wall display',
    permissions: ['metrics:read', 'case:read', 'org:read', 'screen:display'],
  },
  { code: 'resident', name: '居民', nameEn: 'Resident', permissions: ['case:report', 'case:rate'] },
];
