import { creditCodeCheckChar } from '@civicgrid/core';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import { facilityTypes } from '@civicgrid/core/api/places';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';

const sqlRaw = (s: string) => sql.raw(s);

import { users } from '../modules/accounts/tables.js';
import { defaultCareCategories, ensureCareDefaults } from '../modules/care/service.js';
import { careCases, careCaseWorkers, careVisits } from '../modules/care/tables.js';
import { gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import { housingUnitCode } from '../modules/places/service.js';
import { buildings, facilities, households, housingUnits, organizations } from '../modules/places/tables.js';
import { residents } from '../modules/residents/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInAreaFrom, seeded } from './geometry.js';
import { formHouseholds, type Household, type Person } from './households.js';
import { mobile, personName } from './people.js';

/** Real road names of 昆都仑区, for standard addresses. */
const roads = [
  '阿尔丁大街',
  '钢铁大街',
  '林荫路',
  '团结大街',
  '友谊大街',
  '青年路',
  '白云路',
  '少先路',
  '市府东路',
  '乌兰道',
  '黄河大街',
  '劳动路',
  '文化路',
  '昆河路',
  '纬三路',
  '民族东路',
];

function bboxOf(g: AreaGeometry | null): [number, number, number, number] | null {
  if (!g) return null;
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  const pts = rings.flat();
  if (!pts.length) return null;
  const xs = pts.map((p) => p[0] as number);
  const ys = pts.map((p) => p[1] as number);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const orgNames = [
  ['shop', '便利店'],
  ['shop', '五金店'],
  ['shop', '理发店'],
  ['enterprise', '物业服务有限公司'],
  ['enterprise', '商贸有限公司'],
  ['school', '幼儿园'],
  ['medical', '社区卫生服务站'],
  ['socialOrg', '志愿者协会'],
] as const;

/**
 * Demo places for every grid (DESIGN.md §7): two residential buildings at standard
 * addresses with 24 housing units each; the grid's residents grouped into households in
 * those units; a few organizations with valid credit codes and GB/T 30428.2 facilities;
 * and a small number of care cases assigned to the grid's manager, with visits.
 */
export async function seedDemoPlaces(db: Db, opts: { crypto: FieldCrypto }) {
  await ensureCareDefaults(db);
  const rand = seeded('civicgrid-demo-places');
  const grids = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      path: orgUnits.path,
      geometry: orgUnits.geometry,
      parentId: orgUnits.parentId,
    })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.code));
  const communities = new Map(
    (
      await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(eq(orgUnits.level, 'community'))
    ).map((c) => [c.id, c.name]),
  );
  const people = await db
    .select({
      id: residents.id,
      gridId: residents.gridId,
      birthDate: residents.birthDate,
      sex: residents.sex,
    })
    .from(residents)
    .orderBy(asc(residents.gridId), asc(residents.birthDate));
  const byGrid = new Map<number, typeof people>();
  for (const p of people) byGrid.set(p.gridId, [...(byGrid.get(p.gridId) ?? []), p]);
  const managers = new Map(
    (
      await db
        .select({ gridId: gridTeamMembers.gridId, userId: gridTeamMembers.userId })
        .from(gridTeamMembers)
        .where(eq(gridTeamMembers.role, 'gridManager'))
    ).map((m) => [m.gridId, m.userId]),
  );
  const managerNames = new Map(
    (await db.select({ id: users.id, name: users.displayName }).from(users)).map((u) => [u.id, u.name]),
  );
  const facilityCodes = Object.keys(facilityTypes);
  const serialOf = new Map<string, number>();
  let orgSerial = 0;

  await db.transaction(async (tx) => {
    const bRows: (typeof buildings.$inferInsert)[] = [];
    const fRows: (typeof facilities.$inferInsert)[] = [];
    const oRows: (typeof organizations.$inferInsert)[] = [];
    for (const [gi, g] of grids.entries()) {
      const box = bboxOf(g.geometry) ?? [109.8, 40.6, 109.81, 40.61];
      // Inside the grid's own polygon (grids are not rectangles), so every building and
      // facility is found in the grid it belongs to.
      const at = () => {
        const u = rand();
        const v = rand();
        return g.geometry
          ? pointInAreaFrom(g.geometry, u, v)
          : { lng: (box[0] + box[2]) / 2, lat: (box[1] + box[3]) / 2 };
      };
      const road = roads[gi % roads.length] as string;
      const community = communities.get(g.parentId ?? 0) ?? '';
      const no = 10 + ((gi * 7) % 190);
      for (let b = 1; b <= 2; b++)
        bRows.push({
          code: `${g.code}${String(b).padStart(3, '0')}`,
          name: `${b}号楼`,
          address: `包头市昆都仑区${road}${no}号${community}${b}号楼`,
          type: 'residential',
          floors: 6,
          gridId: g.id,
          orgPath: g.path,
          ...at(),
        });
      for (let f = 0; f < 3; f++) {
        const type = facilityCodes[Math.floor(rand() * facilityCodes.length)] as string;
        const prefix = `150203${type}`;
        const n = (serialOf.get(prefix) ?? 0) + 1;
        serialOf.set(prefix, n);
        const r = rand();
        fRows.push({
          code: `${prefix}${String(n).padStart(6, '0')}`,
          typeCode: type,
          name: `${road}${facilityTypes[type]}${n}`,
          state: r < 0.85 ? 'normal' : r < 0.95 ? 'damaged' : 'missing',
          gridId: g.id,
          orgPath: g.path,
          owner: type.startsWith('04') ? '园林' : type.startsWith('02') ? '公安（交管）' : '城管',
          ...at(),
        });
      }
      if (gi % 2 === 0) {
        const [kind, suffix] = orgNames[Math.floor(rand() * orgNames.length)] as (typeof orgNames)[number];
        orgSerial++;
        const body = `${kind === 'shop' ? '92' : kind === 'socialOrg' ? '52' : kind === 'school' || kind === 'medical' ? '12' : '91'}150203MA${String(orgSerial).padStart(7, '0')}`;
        const code = `${body}${creditCodeCheckChar(body)}`;
        const phone = mobile(rand);
        oRows.push({
          name: `${community.replace(/社区$/, '')}${suffix}`,
          creditCode: code,
          kind,
          address: `包头市昆都仑区${road}${no + 2}号`,
          gridId: g.id,
          orgPath: g.path,
          contactName: personName(rand),
          contactPhoneEnc: opts.crypto.encrypt(phone),
          contactPhoneIdx: opts.crypto.blindIndex(phone),
          employees: 2 + Math.floor(rand() * 40),
          ...at(),
        });
      }
    }
    const bIds = new Map<string, number>();
    for (let i = 0; i < bRows.length; i += 1000) {
      const r = await tx
        .insert(buildings)
        .values(bRows.slice(i, i + 1000))
        .returning({ id: buildings.id, code: buildings.code });
      for (const x of r) bIds.set(x.code, x.id);
    }
    for (let i = 0; i < fRows.length; i += 1000) await tx.insert(facilities).values(fRows.slice(i, i + 1000));
    for (let i = 0; i < oRows.length; i += 1000)
      await tx.insert(organizations).values(oRows.slice(i, i + 1000));

    // Housing units: 2 units × 6 floors × 2 rooms per building.
    const uRows: (typeof housingUnits.$inferInsert)[] = [];
    for (const b of bRows)
      for (let unit = 1; unit <= 2; unit++)
        for (let floor = 1; floor <= 6; floor++)
          for (const room of ['01', '02'])
            uRows.push({
              code: housingUnitCode(b.code, unit, floor, room),
              buildingId: bIds.get(b.code) as number,
              unitNo: unit,
              floor,
              room,
              use: 'vacant',
              area: Math.round(55 + rand() * 70),
              orgPath: b.orgPath,
            });
    const unitIdsByGrid = new Map<string, { id: number; code: string }[]>();
    for (let i = 0; i < uRows.length; i += 1000) {
      const r = await tx
        .insert(housingUnits)
        .values(uRows.slice(i, i + 1000))
        .returning({ id: housingUnits.id, code: housingUnits.code });
      for (const u of r) {
        const gridCode = u.code.slice(0, 15);
        unitIdsByGrid.set(gridCode, [...(unitIdsByGrid.get(gridCode) ?? []), u]);
      }
    }

    // Households: a grid's residents as families (formHouseholds), each in its own unit.
    const today = localDay(Date.now());
    const hhRows: (typeof households.$inferInsert & { members: Household['members'] })[] = [];
    const occupied: { id: number; use: string }[] = [];
    for (const g of grids) {
      // Alternate the grid's buildings, so both have people.
      const all = unitIdsByGrid.get(g.code) ?? [];
      const half = Math.ceil(all.length / 2);
      const units = all
        .slice(0, half)
        .flatMap((u, i) => (all[half + i] ? [u, all[half + i] as typeof u] : [u]));
      const families = formHouseholds(
        (byGrid.get(g.id) ?? []).map((p) => ({
          id: p.id,
          birthDate: p.birthDate,
          sex: p.sex as Person['sex'],
        })),
        today,
        rand,
      );
      let u = 0;
      for (const family of families) {
        if (u >= units.length) break;
        const unit = units[u] as { id: number; code: string };
        u += 1 + Math.floor(rand() * 2);
        hhRows.push({
          code: `${unit.code}-1`,
          housingUnitId: unit.id,
          gridId: g.id,
          orgPath: g.path,
          members: family.members,
        });
        occupied.push({ id: unit.id, use: rand() < 0.8 ? 'ownerOccupied' : 'rented' });
      }
    }
    for (let i = 0; i < hhRows.length; i += 1000) {
      const chunk = hhRows.slice(i, i + 1000);
      const ids = await tx
        .insert(households)
        .values(chunk.map(({ members: _m, ...h }) => h))
        .returning({ id: households.id });
      const pairs: string[] = [];
      for (const [j, h] of chunk.entries())
        for (const m of h.members) pairs.push(`('${m.id}'::uuid, ${ids[j]?.id}, '${m.relation}')`);
      if (pairs.length)
        await tx.execute(
          // Values are generated uuids, integers and fixed words: nothing from outside.
          sqlRaw(
            `update residents r set household_id = v.h, relation_to_head = v.rel from (values ${pairs.join(',')}) as v(id, h, rel) where r.id = v.id`,
          ),
        );
    }
    for (const use of ['ownerOccupied', 'rented']) {
      const ids = occupied.filter((o) => o.use === use).map((o) => o.id);
      for (let i = 0; i < ids.length; i += 5000)
        await tx.execute(
          sqlRaw(`update housing_units set use = '${use}' where id in (${ids.slice(i, i + 5000).join(',')})`),
        );
    }

    // Care cases: about one grid in eight has someone in care, assigned to the grid manager.
    const categories = [
      'communityCorrection',
      'releasedPrisoner',
      'severeMentalDisorder',
      'drugRehabilitation',
      'atRiskYouth',
      'childrenInDifficulty',
    ];
    const days = 86_400_000;
    const now = Date.now();
    const [demoWorker] = await tx
      .select({ gridId: gridTeamMembers.gridId })
      .from(gridTeamMembers)
      .innerJoin(users, eq(users.id, gridTeamMembers.userId))
      .where(eq(users.username, 'gridworker'));
    const plan: { gi: number; g: (typeof grids)[number]; k: number }[] = [];
    for (const [gi, g] of grids.entries()) {
      // The demo grid worker's grid gets three: two overdue, one due within the week.
      if (g.id === demoWorker?.gridId)
        plan.push({ gi, g, k: 0 }, { gi: gi + 1, g, k: 1 }, { gi: gi + 2, g, k: 2 });
      else if (gi % 8 === 0) plan.push({ gi, g, k: -1 });
    }
    for (const { gi, g, k } of plan) {
      const worker = managers.get(g.id);
      const candidates = byGrid.get(g.id) ?? [];
      if (!worker || candidates.length < 3) continue;
      const person = candidates[
        k >= 0 ? k * 2 : Math.floor(rand() * candidates.length)
      ] as (typeof candidates)[number];
      const category = categories[gi % categories.length] as string;
      const risk =
        k === 0
          ? 'high'
          : k === 1
            ? 'low'
            : ((['high', 'medium', 'low'] as const)[Math.floor(rand() * 3)] ?? 'low');
      const interval = defaultCareCategories.find((c) => c.code === category)?.visitDays[risk] ?? 30;
      const opened = new Date(now - (40 + Math.floor(rand() * 200)) * days);
      // Some are visited on time, some are late: the to-do list has something to show.
      const lastVisit = new Date(
        now - (k === 0 ? 10 : k === 1 ? 25 : k === 2 ? 12 : Math.floor(rand() * interval * 1.6)) * days,
      );
      const [c] = await tx
        .insert(careCases)
        .values({
          residentId: person.id,
          categoryCode: category,
          riskLevel: risk,
          gridId: g.id,
          orgPath: g.path,
          plan: '了解生活与就业困难，联系相关部门落实帮扶措施，定期走访',
          openedAt: opened,
          lastVisitAt: lastVisit,
          nextVisitDue: new Date(lastVisit.getTime() + interval * days),
          createdBy: worker,
        })
        .returning({ id: careCases.id });
      const caseId = (c as { id: string }).id;
      await tx.insert(careCaseWorkers).values({ caseId, userId: worker });
      await tx.insert(careVisits).values(
        [lastVisit, new Date(lastVisit.getTime() - interval * days)].map((at) => ({
          caseId,
          visitedAt: at,
          place: '家中',
          notes: '入户走访，了解近况；生活基本稳定，已告知社区联系方式',
          byUserId: worker,
          byName: managerNames.get(worker) ?? '网格员',
        })),
      );
    }
  });
}
