/**
 * The console's one access map: each page, its menu group, the permissions it needs to
 * open and the one its add / edit / delete buttons need. The side menu, the router, the
 * pages' buttons and the roles e2e test all read it (the server enforces the same).
 */
export interface PageAccess {
  path: string;
  labelKey: string;
  /** Every one of these opens the page (none: anyone logged in). */
  read: string[];
  /** What the page's add / edit / delete actions need; null when it has none. */
  write: string | null;
  group: 'main' | 'governance' | 'assessment' | 'system';
}

export const consolePages: PageAccess[] = [
  { path: '/', labelKey: 'menu.home', read: [], write: null, group: 'main' },
  { path: '/cases', labelKey: 'menu.cases', read: ['case:read'], write: 'case:report', group: 'main' },
  // The figures count the cases the user may read: without case:read (the system admin)
  // they would be only his own reports — a page of zeros, so it is not offered.
  {
    path: '/metrics',
    labelKey: 'menu.metrics',
    read: ['metrics:read', 'case:read'],
    write: null,
    group: 'main',
  },
  {
    path: '/residents',
    labelKey: 'menu.residents',
    read: ['resident:read'],
    write: 'resident:write',
    group: 'main',
  },
  { path: '/places', labelKey: 'menu.places', read: ['place:read'], write: 'place:write', group: 'main' },
  {
    path: '/intake',
    labelKey: 'menu.intake',
    read: ['application:intake'],
    write: 'application:intake',
    group: 'main',
  },
  {
    path: '/applications',
    labelKey: 'menu.applications',
    read: ['application:read'],
    write: 'application:handle',
    group: 'main',
  },
  {
    path: '/my-proxy',
    labelKey: 'menu.myProxy',
    read: ['application:proxy'],
    write: null,
    group: 'main',
  },
  {
    path: '/proxy-points',
    labelKey: 'menu.proxyPoints',
    read: ['place:read'],
    write: 'proxyPoint:write',
    group: 'main',
  },
  // 通知公告: what the community and the street put out to residents (read at /r).
  {
    path: '/notices',
    labelKey: 'menu.notices',
    read: ['notice:manage'],
    write: 'notice:manage',
    group: 'main',
  },
  // 微心愿 (网格派单): GET /api/wishes needs only a session, but the page is the reviewers' (wish:read).
  {
    path: '/participation/wishes',
    labelKey: 'menu.wishes',
    read: ['wish:read'],
    write: 'wish:publish',
    group: 'main',
  },
  // 街道吹哨、部门报到: the street raises, the summoned departments report.
  {
    path: '/participation/whistles',
    labelKey: 'menu.whistles',
    read: ['whistle:read'],
    write: 'whistle:raise',
    group: 'main',
  },
  // 心愿墙: the volunteers' (wish:claim) view of their community's published wishes; claim and fulfil.
  {
    path: '/participation/wish-wall',
    labelKey: 'menu.wishWall',
    read: ['wish:claim'],
    write: 'wish:claim',
    group: 'main',
  },
  // 议事协商: the community and the street record each step; the department reviews.
  {
    path: '/participation/deliberations',
    labelKey: 'menu.deliberations',
    read: ['deliberation:read'],
    write: 'deliberation:manage',
    group: 'main',
  },
  // 街道议事会: the street's council and its members by category; a street-level meeting takes attendance from it.
  {
    path: '/participation/councils',
    labelKey: 'menu.councils',
    read: ['deliberation:read'],
    write: 'deliberation:manage',
    group: 'main',
  },
  // 志愿服务: the registry, activities and check-in at the place.
  {
    path: '/participation/volunteers',
    labelKey: 'menu.volunteers',
    read: ['volunteer:read'],
    write: 'volunteer:manage',
    group: 'main',
  },
  // 党组织架构: the five levels on the grid; the street and the community keep them.
  {
    path: '/participation/party',
    labelKey: 'menu.partyOrgs',
    read: ['partyOrg:read'],
    write: 'partyOrg:manage',
    group: 'main',
  },
  // 双报到: units and in-service party members registered with the community; its joint meetings.
  {
    path: '/participation/dual-registrations',
    labelKey: 'menu.dualRegistrations',
    read: ['volunteer:read'],
    write: 'volunteer:manage',
    group: 'main',
  }, // 社会组织: the registry, incubation and the 公益创投 projects bought from them.
  {
    path: '/participation/social-orgs',
    labelKey: 'menu.socialOrgs',
    read: ['socialOrg:read'],
    write: 'socialOrg:manage',
    group: 'main',
  },

  // 红管家: property companies, their estates on the map and their performance on the 15/30/24 clock.
  {
    path: '/participation/property',
    labelKey: 'menu.property',
    read: ['property:read'],
    write: 'property:manage',
    group: 'main',
  },
  {
    path: '/service-stats',
    labelKey: 'menu.serviceStats',
    read: ['application:read'],
    write: null,
    group: 'main',
  },
  {
    path: '/rectifications',
    labelKey: 'menu.rectifications',
    read: ['application:read'],
    write: 'application:handle',
    group: 'main',
  },
  { path: '/care', labelKey: 'menu.care', read: ['care:read'], write: 'care:write', group: 'main' },
  { path: '/patrols', labelKey: 'menu.patrols', read: ['fieldwork:read'], write: null, group: 'main' },
  { path: '/worklogs', labelKey: 'menu.worklogs', read: ['fieldwork:read'], write: null, group: 'main' },
  { path: '/org', labelKey: 'menu.org', read: ['org:read'], write: 'org:write', group: 'main' },
  {
    path: '/departments',
    labelKey: 'menu.departments',
    read: ['department:read'],
    write: 'department:write',
    group: 'main',
  },
  {
    path: '/eldercare',
    labelKey: 'menu.eldercare',
    read: ['eldercare:read'],
    write: 'eldercare:alert',
    group: 'main',
  },
  // 老年人档案: the elders of the area, their care flags and 高龄津贴.
  {
    path: '/eldercare/elders',
    labelKey: 'menu.elders',
    read: ['eldercare:read'],
    write: null,
    group: 'main',
  },
  {
    path: '/eldercare/orders',
    labelKey: 'menu.elderOrders',
    read: ['eldercareOrder:read'],
    write: 'eldercareOrder:dispatch',
    group: 'main',
  },
  {
    path: '/eldercare/providers',
    labelKey: 'menu.providers',
    read: ['eldercareOrder:dispatch'],
    write: 'provider:manage',
    group: 'main',
  },
  // 综治中心 (issue 16): the menu group of the governance centre's pages.
  {
    path: '/governance/disputes',
    labelKey: 'menu.disputes',
    read: ['dispute:read'],
    write: 'dispute:register',
    group: 'governance',
  },
  {
    path: '/governance/reception',
    labelKey: 'menu.reception',
    read: ['reception:record'],
    write: 'reception:record',
    group: 'governance',
  },
  {
    path: '/governance/screening',
    labelKey: 'menu.screening',
    read: ['dispute:read'],
    write: 'dispute:register',
    group: 'governance',
  },
  {
    path: '/governance/grievances',
    labelKey: 'menu.grievances',
    read: ['grievance:read'],
    write: 'grievance:intake',
    group: 'governance',
  },
  {
    path: '/governance/incidents',
    labelKey: 'menu.incidents',
    read: ['incident:read'],
    write: 'incident:report',
    group: 'governance',
  },
  {
    path: '/governance/hotspots',
    labelKey: 'menu.hotspots',
    read: ['briefing:read'],
    write: 'briefing:manage',
    group: 'governance',
  },
  {
    path: '/governance/cameras',
    labelKey: 'menu.cameras',
    read: ['camera:read'],
    write: 'camera:write',
    group: 'governance',
  },
  // 调解组织: the registry of mediation bodies (GET and POST /api/mediation-committees).
  {
    path: '/governance/committees',
    labelKey: 'menu.committees',
    read: ['dispute:read'],
    write: 'dispute:configure',
    group: 'governance',
  },
  // 综治统计: GET /api/governance/stats and its export (governance:stats; figures only).
  {
    path: '/governance/stats',
    labelKey: 'menu.governanceStats',
    read: ['governance:stats'],
    write: null,
    group: 'governance',
  },
  // 值班表: GET /api/rosters needs incident:read; PUT and the candidates roster:write.
  {
    path: '/governance/rosters',
    labelKey: 'menu.rosters',
    read: ['incident:read'],
    write: 'roster:write',
    group: 'governance',
  },
  {
    path: '/assessment/scorecards',
    labelKey: 'menu.scorecards',
    read: ['assessment:read'],
    write: null,
    group: 'assessment',
  },
  {
    path: '/assessment/reports',
    labelKey: 'menu.reports',
    read: ['assessment:read'],
    write: null,
    group: 'assessment',
  },
  {
    path: '/assessment/evaluations',
    labelKey: 'menu.evaluations',
    read: ['assessment:configure'],
    write: 'assessment:configure',
    group: 'assessment',
  },
  {
    path: '/assessment/rules',
    labelKey: 'menu.assessmentRules',
    read: ['assessment:configure'],
    write: 'assessment:configure',
    group: 'assessment',
  },
  { path: '/users', labelKey: 'menu.users', read: ['user:read'], write: 'user:write', group: 'system' },
  { path: '/roles', labelKey: 'menu.roles', read: ['role:read'], write: 'role:write', group: 'system' },
  { path: '/audit', labelKey: 'menu.audit', read: ['audit:read'], write: null, group: 'system' },
  {
    path: '/config/categories',
    labelKey: 'menu.categories',
    read: ['case:configure'],
    write: 'case:configure',
    group: 'system',
  },
  {
    path: '/config/calendar',
    labelKey: 'menu.calendar',
    read: ['case:configure'],
    write: 'case:configure',
    group: 'system',
  },
  {
    path: '/config/services',
    labelKey: 'menu.serviceCatalogue',
    read: ['service:manage'],
    write: 'service:manage',
    group: 'system',
  },
  {
    path: '/config/resident-tags',
    labelKey: 'menu.residentTags',
    read: ['resident:configure'],
    write: 'resident:configure',
    group: 'system',
  },
  {
    path: '/config/care-categories',
    labelKey: 'menu.careCategories',
    read: ['care:configure'],
    write: 'care:configure',
    group: 'system',
  },
  { path: '/config/jobs', labelKey: 'menu.jobs', read: ['system:configure'], write: null, group: 'system' },
  {
    path: '/config/open311-keys',
    labelKey: 'menu.open311Keys',
    read: ['system:configure'],
    write: 'system:configure',
    group: 'system',
  },
  {
    path: '/config/hotline',
    labelKey: 'menu.hotline',
    read: ['system:configure'],
    write: 'system:configure',
    group: 'system',
  },
];

export function allowedPages(can: (p: string) => boolean): PageAccess[] {
  return consolePages.filter((p) => p.read.every(can));
}

/** The page a path belongs to: the longest page path it starts with. */
export function pageOf(pathname: string): PageAccess | undefined {
  return consolePages
    .filter((p) =>
      p.path === '/' ? pathname === '/' : pathname === p.path || pathname.startsWith(`${p.path}/`),
    )
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether the user may use the page's add / edit / delete actions. */
export function canWrite(path: string, can: (p: string) => boolean): boolean {
  const write = consolePages.find((p) => p.path === path)?.write;
  return write != null && can(write);
}
