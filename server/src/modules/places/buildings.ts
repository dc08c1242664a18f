import {
  type BuildingInput,
  type buildingListQuery,
  buildingTypeNames,
  type HousingUnitInput,
  type HousingUnitPatch,
  housingUseNames,
} from '@civicgrid/core/api/places';
import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { areaCondition, gridInScope, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { exportXlsx } from '../../platform/spreadsheet.js';
import { nameBook } from '../cases/names.js';
import { orgUnits } from '../org/tables.js';
import { occupantsInOrder } from '../residents/presenter.js';
import { memberCounts, membersOf } from '../residents/service.js';
import { buildingColumns } from './imports.js';
import { buildingScope, housingUnitScope } from './policy.js';
import { type BuildingRow, presentBuilding } from './presenter.js';
import {
  escapeLike,
  housingUnitAddress,
  housingUnitCode,
  nextBuildingCode,
  type PlaceDeps,
} from './service.js';
import { buildings, households, housingUnits } from './tables.js';

type BuildingQuery = z.infer<typeof buildingListQuery>;

/** Housing units and people (in the actor's scope) per building. */
async function buildingCounts(db: Db, actor: Actor, ids: number[]) {
  const out = new Map<number, { units: number; people: number }>();
  if (!ids.length) return out;
  const [units, homes] = await Promise.all([
    db
      .select({ id: housingUnits.buildingId, n: count() })
      .from(housingUnits)
      .where(inArray(housingUnits.buildingId, ids))
      .groupBy(housingUnits.buildingId),
    db
      .select({ id: households.id, buildingId: housingUnits.buildingId })
      .from(households)
      .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
      .where(inArray(housingUnits.buildingId, ids)),
  ]);
  const people = await memberCounts(
    db,
    actor,
    homes.map((h) => h.id),
  );
  for (const id of ids) out.set(id, { units: 0, people: 0 });
  for (const u of units) (out.get(u.id) as { units: number }).units = Number(u.n);
  for (const h of homes) (out.get(h.buildingId) as { people: number }).people += people.get(h.id) ?? 0;
  return out;
}

/** The list's filters (the scope apart): shared by the list and the export. */
async function buildingFilter(db: Db, actor: Actor, q: Omit<BuildingQuery, 'page' | 'pageSize'>) {
  const cond: (SQL | undefined)[] = [];
  if (q.q) {
    const t = `%${escapeLike(q.q)}%`;
    cond.push(
      sql`(${buildings.name} like ${t} or ${buildings.address} like ${t} or ${buildings.code} = ${q.q})`,
    );
  }
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), buildings.orgPath));
  if (q.type) cond.push(eq(buildings.type, q.type));
  return and(...cond);
}

async function assertNameFree(tx: Db, gridId: number, name: string) {
  const [dup] = await tx
    .select({ id: buildings.id })
    .from(buildings)
    .where(and(eq(buildings.gridId, gridId), eq(buildings.name, name)));
  if (dup) throw fieldError('name', 'unique', 'BUILDING_NAME_TAKEN');
}

export async function createBuilding(deps: PlaceDeps, actor: Actor, input: BuildingInput, meta: RequestMeta) {
  const { db } = deps;
  const grid = await gridInScope(db, actor, input.gridId);
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, grid.id, input.name);
    const code = await nextBuildingCode(tx, grid.code);
    const [b] = await tx
      .insert(buildings)
      .values({ ...input, code, gridId: grid.id, orgPath: grid.path })
      .returning();
    const created = b as BuildingRow;
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'building.created',
      targetType: 'building',
      targetId: String(created.id),
    });
    return created;
  });
  return presentBuilding(row, await nameBook(db));
}

export function loadBuilding(db: Db, actor: Actor, id: number, options: { forUpdate?: boolean } = {}) {
  return loadScoped(db, actor, buildingScope, id, options);
}

export async function updateBuilding(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: Partial<Omit<BuildingInput, 'gridId'>>,
  meta: RequestMeta,
) {
  const { db } = deps;
  const row = await db.transaction(async (tx) => {
    const b = await loadBuilding(tx, actor, id, { forUpdate: true });
    if (patch.name && patch.name !== b.name) await assertNameFree(tx, b.gridId, patch.name);
    const [u] = await tx
      .update(buildings)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(buildings.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'building.updated',
      targetType: 'building',
      targetId: String(id),
      payload: { fields: Object.keys(patch) },
    });
    return u as BuildingRow;
  });
  const counts = await buildingCounts(db, actor, [row.id]);
  return presentBuilding(row, await nameBook(db), counts.get(row.id));
}

export async function listBuildings(deps: PlaceDeps, actor: Actor, q: BuildingQuery) {
  const { db } = deps;
  const { items, total } = await listScoped(db, actor, buildingScope, {
    where: await buildingFilter(db, actor, q),
    orderBy: [asc(buildings.code)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const [book, counts] = await Promise.all([
    nameBook(db),
    buildingCounts(
      db,
      actor,
      items.map((r) => r.id),
    ),
  ]);
  return { items: items.map((r) => presentBuilding(r, book, counts.get(r.id))), total };
}

/** A building's units, each with its households and their members — residents in scope only. */
export async function buildingDetail(deps: PlaceDeps, actor: Actor, id: number) {
  const { db } = deps;
  const b = await loadBuilding(db, actor, id);
  const units = await db
    .select()
    .from(housingUnits)
    .where(eq(housingUnits.buildingId, id))
    .orderBy(asc(housingUnits.unitNo), desc(housingUnits.floor), asc(housingUnits.room));
  const unitIds = units.map((u) => u.id);
  const hh = unitIds.length
    ? await db.select().from(households).where(inArray(households.housingUnitId, unitIds))
    : [];
  const people = await membersOf(
    db,
    actor,
    hh.map((h) => h.id),
  );
  const book = await nameBook(db);
  const counts = await buildingCounts(db, actor, [b.id]);
  return {
    building: presentBuilding(b, book, counts.get(b.id)),
    units: units.map((u) => ({
      id: u.id,
      code: u.code,
      buildingId: u.buildingId,
      address: housingUnitAddress(b.address, u.unitNo, u.floor, u.room),
      unitNo: u.unitNo,
      floor: u.floor,
      room: u.room,
      use: u.use as 'ownerOccupied',
      area: u.area,
      households: hh
        .filter((h) => h.housingUnitId === u.id)
        .map((h) => ({
          id: h.id,
          code: h.code,
          members: occupantsInOrder(people.filter((p) => p.householdId === h.id)),
        })),
    })),
  };
}

export async function createHousingUnit(
  deps: PlaceDeps,
  actor: Actor,
  buildingId: number,
  input: HousingUnitInput,
  meta: RequestMeta,
) {
  const { db } = deps;
  return db.transaction(async (tx) => {
    const b = await loadBuilding(tx, actor, buildingId);
    if (input.floor > b.floors)
      throw fieldError('floor', 'max', 'FLOOR_ABOVE_BUILDING', { floors: b.floors });
    const code = housingUnitCode(b.code, input.unitNo, input.floor, input.room);
    const [u] = await tx
      .insert(housingUnits)
      .values({ ...input, area: input.area ?? null, code, buildingId, orgPath: b.orgPath })
      .onConflictDoNothing()
      .returning();
    if (!u) throw fieldError('room', 'unique', 'HOUSING_UNIT_TAKEN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'housingUnit.created',
      targetType: 'housingUnit',
      targetId: String(u.id),
    });
    return u;
  });
}

export async function updateHousingUnit(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: HousingUnitPatch,
  meta: RequestMeta,
) {
  const { db } = deps;
  return db.transaction(async (tx) => {
    await loadScoped(tx, actor, housingUnitScope, id, { forUpdate: true });
    const [row] = await tx
      .update(housingUnits)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(housingUnits.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'housingUnit.updated',
      targetType: 'housingUnit',
      targetId: String(id),
      payload: { fields: Object.keys(patch) },
    });
    return row as typeof housingUnits.$inferSelect;
  });
}

/**
 * The most building-and-unit lines one export holds: a line per housing unit, so a street's
 * file runs past the usual export limit.
 */
const maxBuildingExportRows = 200_000;

/** Buildings and units in the import template's columns: export, edit, import again. */
export async function exportBuildings(
  deps: PlaceDeps,
  actor: Actor,
  q: Omit<BuildingQuery, 'page' | 'pageSize'>,
  meta: RequestMeta,
) {
  const { db } = deps;
  const rows = await db
    .select({ b: buildings, u: housingUnits, gridCode: orgUnits.code })
    .from(buildings)
    .innerJoin(orgUnits, eq(orgUnits.id, buildings.gridId))
    .leftJoin(housingUnits, eq(housingUnits.buildingId, buildings.id))
    .where(and(buildingScope.where(actor), await buildingFilter(db, actor, q)))
    .orderBy(asc(buildings.code), asc(housingUnits.code))
    .limit(maxBuildingExportRows + 1);
  const file = await exportXlsx(
    [
      {
        name: '实有房屋',
        columns: buildingColumns.map(([key, header]) => ({
          header,
          key,
          width: key === 'address' ? 40 : 12,
        })),
        rows: rows.map(({ b, u, gridCode }) => ({
          gridCode,
          buildingName: b.name,
          address: b.address,
          buildingType: buildingTypeNames[b.type as 'residential'] ?? b.type,
          floors: b.floors,
          lng: b.lng,
          lat: b.lat,
          unitNo: u?.unitNo ?? '',
          floor: u?.floor ?? '',
          room: u?.room ?? '',
          use: u ? (housingUseNames[u.use as 'rented'] ?? u.use) : '',
          area: u?.area ?? '',
        })),
      },
    ],
    { maxRows: maxBuildingExportRows },
  );
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'building.exported',
      targetType: 'building',
      targetId: 'list',
      payload: { rows: rows.length },
    }),
  );
  return file;
}
