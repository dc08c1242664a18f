import { departments } from '../../modules/org/tables.js';
import { propertyCompanies, propertyEstates } from '../../modules/participation/propertyTables.js';
import type { Loc } from './fixtures.js';
import { reportsOwnCases } from './fixtures.js';
import { type Cell, hiddenAt, inScope, type Row } from './model.js';
import { at, today } from './requests.js';
import type { World } from './world.js';

/** A square outline [lng, lat] of `d` degrees around a point. */
const around = (p: { lat: number; lng: number }, d = 0.002) => [
  [p.lng - d, p.lat - d],
  [p.lng + d, p.lat - d],
  [p.lng + d, p.lat + d],
  [p.lng - d, p.lat + d],
];

/** A property company of `loc`'s community, with an estate around the grid's centre, always afresh. */
async function company(w: World, loc: Loc): Promise<number> {
  const n = w.next();
  const [dept] = await w.db
    .insert(departments)
    .values({ code: `mx-property-${n}`, name: `矩阵物业${n}` })
    .returning({ id: departments.id });
  const [c] = await w.db
    .insert(propertyCompanies)
    .values({
      departmentId: (dept as { id: number }).id,
      name: `矩阵物业${n}`,
      creditCode: `91150203MX${String(n).padStart(8, '0')}`,
      contactName: '矩阵联系人',
      phoneEnc: w.deps.crypto.encrypt('13900000000'),
      phoneTail: '0000',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
    })
    .returning({ id: propertyCompanies.id });
  const id = (c as { id: number }).id;
  const ring = around(loc.centre);
  await w.db.insert(propertyEstates).values({
    companyId: id,
    name: `矩阵小区${n}`,
    geometry: { type: 'Polygon', coordinates: [[...ring, ring[0] as number[]]] },
  });
  return id;
}

/** As in rowsCases: who sees the cases World.caseFor makes. */
const seesCase = (c: Cell) =>
  c.role.departmentId !== null || reportsOwnCases(c.role)
    ? c.where === 'in'
    : c.role.permissions.has('case:read') && inScope(c.role, c.loc);

/** 红管家: the register (property:read / property:manage), the performance and the case's company. */
export const propertyRows: Row[] = [
  {
    route: 'POST /api/property-companies',
    access: 'property:manage',
    scope: 'input',
    ok: 201,
    build: (c) => {
      const n = c.w.next();
      return {
        payload: {
          name: `矩阵登记物业${n}`,
          creditCode: `91150203MY${String(n).padStart(8, '0')}`,
          contactName: '矩阵联系人',
          phone: '13900000001',
          orgUnitId: c.loc.community.id,
          estates: [{ name: '矩阵小区', outline: around(c.loc.centre) }],
        },
      };
    },
  },
  {
    route: 'GET /api/property-companies',
    access: 'property:read',
    ok: 200,
    hides: hiddenAt((o) => company(o.w, o.loc)),
  },
  {
    route: 'GET /api/property-companies/{id}',
    access: 'property:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/property-companies/{id}', { id: await company(c.w, c.loc) }) }),
  },
  {
    route: 'POST /api/property-companies/{id}/estates',
    access: 'property:manage',
    scope: 'path',
    ok: 201,
    build: async (c) => ({
      url: at('/api/property-companies/{id}/estates', { id: await company(c.w, c.loc) }),
      payload: { name: `矩阵新小区${c.w.next()}`, outline: around(c.loc.centre, 0.001) },
    }),
  },
  {
    route: 'GET /api/property-performance',
    access: 'property:read',
    ok: 200,
    build: () => ({ url: `/api/property-performance?from=${today().slice(0, 7)}&to=${today().slice(0, 7)}` }),
  },
  {
    // The dispatcher is offered the company of the case's estate (null when there is none: still 200).
    route: 'GET /api/cases/{id}/property-company',
    access: 'case:dispatch',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cases/{id}/property-company', { id: await c.w.caseFor(c, 'accepted') }),
    }),
  },
  {
    // The 红管家 clock of a case, for whoever sees it (empty when it never went to a company).
    route: 'GET /api/cases/{id}/property-clock',
    access: 'case:read',
    scope: 'path',
    visible: seesCase,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cases/{id}/property-clock', { id: await c.w.caseFor(c, 'dispatched') }),
    }),
  },
];
