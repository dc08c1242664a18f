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
  'governance:stats',
  'eldercare:read',
  'eldercare:alert',
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
      'notice:manage',
      'wish:read',
      'whistle:read',
      // 议事协商: the district reads every step and reviews as a department would.
      'deliberation:read',
      'deliberation:review',
      'volunteer:read',
      // 社会组织: the district reads the registry and the 公益创投 projects of every street.
      'socialOrg:read',
      // 红管家: the district registers property companies and reads their performance.
      'property:read',
      'property:manage',
      // 党组织: the district reads the tree of every street; the streets and communities keep it.
      'partyOrg:read',
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
      'notice:manage',
      'wish:read',
      // 街道吹哨、部门报到 (seed 004): the street summons the departments.
      'whistle:read',
      'whistle:raise',
      // 街道议事会 and the review of the communities' deliberations (审查指导).
      'deliberation:read',
      'deliberation:manage',
      'deliberation:review',
      'volunteer:read',
      'volunteer:manage',
      // 社会组织 and 公益创投: the street registers, incubates and buys (立项、结项).
      'socialOrg:read',
      'socialOrg:manage',
      'socialOrg:fund',
      'property:read',
      'property:manage',
      // 街道党工委 keeps the street's party tree (seed 004's five levels).
      'partyOrg:read',
      'partyOrg:manage',
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
      'governance:stats',
      'eldercare:read',
      'eldercare:alert',
      'eldercare:write',
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
      'notice:manage',
      'wish:read',
      'wish:post',
      'wish:publish',
      // 五步民主议事: the 居委会 convenes the representatives and carries out what they decide.
      'deliberation:read',
      'deliberation:manage',
      'volunteer:read',
      'volunteer:manage',
      // 社会组织: the community registers its groups and carries out the projects it applied for.
      'socialOrg:read',
      'socialOrg:manage',
      'property:read',
      // 社区党组织: its branches, building groups, members and 党员中心户.
      'partyOrg:read',
      'partyOrg:manage',
    ],
  },
  {
    code: 'gridWorker',
    name: '网格员',
    nameEn: 'Grid worker',
    permissions: [
      'incident:report',
      'camera:read',
      'eldercare:read',
      'eldercare:alert',
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
      // 网格派单: he posts wishes for residents of his grid and publishes theirs.
      'wish:read',
      'wish:post',
      'wish:publish',
      // His grid's party branch and 党员中心户 on the grid page; the community keeps them.
      'partyOrg:read',
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
      'whistle:read',
      'whistle:report',
      // 职能部门审查指导: the deliberations sent to the department for review.
      'deliberation:read',
      'deliberation:review',
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
    // 12349 为老服务热线: takes the calls, dispatches orders to providers, calls back (回访),
    // keeps the providers' register and their monthly bills. Reads the elders' files as the
    // service dispatcher (DESIGN.md §6: need to know, every health read audited).
    code: 'eldercareOperator',
    name: '12349 话务调度员',
    nameEn: '12349 eldercare operator',
    permissions: [
      'eldercareOrder:read',
      'eldercareOrder:dispatch',
      'provider:manage',
      'eldercare:read',
      'resident:read',
      'pii:reveal',
      'org:read',
    ],
  },
  {
    // A provider's staff (服务商人员): the orders dispatched to their own provider, on /m.
    code: 'serviceProvider',
    name: '服务商人员',
    nameEn: 'Service provider staff',
    permissions: ['eldercareOrder:read', 'eldercareOrder:serve'],
  },
  {
    // 物管员 (红管家, seed 004): a property company's staff. Their account belongs to the company's
    // department row and no org unit, so they see only the cases dispatched to their company;
    // they claim (响应), note (回复) and resolve (解决) them on the 15 min / 30 min / 24 h clock.
    code: 'propertyStaff',
    name: '物管员',
    nameEn: 'Property company staff',
    permissions: ['case:read', 'case:handle'],
  },
  {
    // A wall display runs for days: its sessions (opened from /screen) last up to 30 days
    // and may only read. Nothing here reveals personal data unmasked.
    code: 'screenDisplay',
    name: '指挥大屏',
    nameEn: 'Command wall display',
    // 综治统计 and the camera layer are figures and places, no person's data: the wall shows them.
    permissions: [
      'metrics:read',
      'case:read',
      'org:read',
      'screen:display',
      'governance:stats',
      'camera:read',
    ],
  },
  {
    code: 'resident',
    name: '居民',
    nameEn: 'Resident',
    // 居民建议、附议 and comments on the deliberations' public pages (居民群众全程监督).
    permissions: ['case:report', 'case:rate', 'wish:post', 'deliberation:participate'],
  },
  {
    // 双报到 (seed 004): an in-service party member or a volunteer registered with a community
    // claims and fulfils the published wishes of that community (党员接单); bound to the community.
    code: 'volunteer',
    name: '报到党员/志愿者',
    nameEn: 'Volunteer',
    permissions: ['wish:claim', 'volunteer:serve'],
  },
];
