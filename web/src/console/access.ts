/**
 * The console's one access map: each page, its menu group and the permission it needs.
 * The side menu and the router both read it (the server enforces the same permissions).
 */
export interface PageAccess {
  path: string;
  labelKey: string;
  permission: string | null;
  group: 'main' | 'assessment' | 'system';
}

export const consolePages: PageAccess[] = [
  { path: '/', labelKey: 'menu.home', permission: null, group: 'main' },
  { path: '/cases', labelKey: 'menu.cases', permission: 'case:read', group: 'main' },
  { path: '/metrics', labelKey: 'menu.metrics', permission: 'metrics:read', group: 'main' },
  { path: '/residents', labelKey: 'menu.residents', permission: 'resident:read', group: 'main' },
  { path: '/places', labelKey: 'menu.places', permission: 'place:read', group: 'main' },
  { path: '/care', labelKey: 'menu.care', permission: 'care:read', group: 'main' },
  { path: '/patrols', labelKey: 'menu.patrols', permission: 'fieldwork:read', group: 'main' },
  { path: '/worklogs', labelKey: 'menu.worklogs', permission: 'fieldwork:read', group: 'main' },
  { path: '/org', labelKey: 'menu.org', permission: 'org:read', group: 'main' },
  { path: '/departments', labelKey: 'menu.departments', permission: 'department:read', group: 'main' },
  {
    path: '/assessment/scorecards',
    labelKey: 'menu.scorecards',
    permission: 'assessment:read',
    group: 'assessment',
  },
  {
    path: '/assessment/reports',
    labelKey: 'menu.reports',
    permission: 'assessment:read',
    group: 'assessment',
  },
  {
    path: '/assessment/evaluations',
    labelKey: 'menu.evaluations',
    permission: 'assessment:configure',
    group: 'assessment',
  },
  {
    path: '/assessment/rules',
    labelKey: 'menu.assessmentRules',
    permission: 'assessment:configure',
    group: 'assessment',
  },
  { path: '/users', labelKey: 'menu.users', permission: 'user:read', group: 'system' },
  { path: '/roles', labelKey: 'menu.roles', permission: 'role:read', group: 'system' },
  { path: '/audit', labelKey: 'menu.audit', permission: 'audit:read', group: 'system' },
  { path: '/config/categories', labelKey: 'menu.categories', permission: 'case:configure', group: 'system' },
  { path: '/config/calendar', labelKey: 'menu.calendar', permission: 'case:configure', group: 'system' },
  {
    path: '/config/resident-tags',
    labelKey: 'menu.residentTags',
    permission: 'resident:configure',
    group: 'system',
  },
  {
    path: '/config/care-categories',
    labelKey: 'menu.careCategories',
    permission: 'care:configure',
    group: 'system',
  },
];

export function allowedPages(can: (p: string) => boolean): PageAccess[] {
  return consolePages.filter((p) => p.permission === null || can(p.permission));
}
