import type { Row } from './model.js';

/**
 * 综治统计: figures of an area; an area outside the jurisdiction is a field error (400). The
 * district, street and community staff and the read-only wall display hold governance:stats;
 * a grid worker, a mediator, a department's handler do not (403).
 */
export const governanceStatsRows: Row[] = [
  {
    route: 'GET /api/governance/stats',
    access: 'governance:stats',
    ok: 200,
    scope: 'input',
    build: (c) => ({ url: `/api/governance/stats?orgUnitId=${c.loc.grid.id}&from=2026-01-01` }),
  },
  {
    route: 'GET /api/governance/stats/export.xlsx',
    access: 'governance:stats',
    ok: 200,
    scope: 'input',
    build: (c) => ({ url: `/api/governance/stats/export.xlsx?orgUnitId=${c.loc.grid.id}` }),
  },
];
