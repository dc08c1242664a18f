import type { AreaGeometry } from '@civicgrid/core/api/org';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import { proxyPointAgents, proxyPoints } from '../modules/proxy/tables.js';
import type { Db } from '../platform/db.js';
import { pointInAreaFrom, seeded } from './geometry.js';

/** Seed 004: 65 proxy points (代办点) across the district. */
const pointCount = 65;
const hours = ['周一至周五 8:30-17:30', '周一至周六 9:00-17:00', '工作日 8:30-12:00、14:30-17:30'];

/**
 * Demo proxy points: 65 grids spread evenly over the district (the demo grid worker's grid
 * among them), a point inside each grid's polygon, its agent the grid's manager — 网格员
 * as 帮办代办员 (seed 004: 1 resident : 1 grid worker : N departments).
 */
export async function seedDemoProxyPoints(db: Db) {
  const rand = seeded('civicgrid-demo-proxy-points');
  const grids = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      path: orgUnits.path,
      geometry: orgUnits.geometry,
    })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.code));
  if (!grids.length) return;
  const managers = await db
    .select({
      gridId: gridTeamMembers.gridId,
      userId: gridTeamMembers.userId,
      username: users.username,
      name: users.displayName,
    })
    .from(gridTeamMembers)
    .innerJoin(users, eq(users.id, gridTeamMembers.userId))
    .where(eq(gridTeamMembers.role, 'gridManager'));
  const managerOf = new Map(managers.map((m) => [m.gridId, m]));
  const demoGrid = managers.find((m) => m.username === 'gridworker')?.gridId;
  const step = Math.max(1, grids.length / pointCount);
  const chosen = new Set<number>();
  for (let i = 0; i < Math.min(pointCount, grids.length); i++) chosen.add(Math.floor(i * step));
  const picked = grids.filter((g, i) => chosen.has(i) || g.id === demoGrid).slice(0, pointCount + 1);
  await db.transaction(async (tx) => {
    for (const [i, g] of picked.entries()) {
      const at = g.geometry
        ? pointInAreaFrom(g.geometry as AreaGeometry, rand(), rand())
        : { lng: 109.82, lat: 40.65 };
      const manager = managerOf.get(g.id);
      const [row] = await tx
        .insert(proxyPoints)
        .values({
          name: `${g.name}帮办代办点`,
          address: `包头市昆都仑区${g.name}服务站`,
          lng: at.lng,
          lat: at.lat,
          orgUnitId: g.id,
          orgPath: g.path,
          contactName: manager?.name ?? '',
          contactPhone: `0472-${String(2100000 + ((i * 7919) % 899999)).padStart(7, '0')}`,
          openingHours: hours[i % hours.length] as string,
        })
        .returning({ id: proxyPoints.id });
      if (row && manager)
        await tx.insert(proxyPointAgents).values({ pointId: row.id, userId: manager.userId });
    }
  });
}
