import { isValidCreditCode, maskPhone } from '@civicgrid/core';
import type { buildingListQuery, facilityListQuery, organizationListQuery } from '@civicgrid/core/api/places';
import {
  type Building,
  type BuildingInput,
  type Facility,
  type FacilityInput,
  facilityTypes,
  type HousingUnitInput,
  type Organization,
  type OrganizationInput,
} from '@civicgrid/core/api/places';
import { and, asc, count, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type AuditAction, appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { assertInScope, inScope } from '../../platform/scope.js';
import { type NameBook, nameBook } from '../cases/names.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import {
  ageOf,
  gridInScope,
  moveResident,
  otherJurisdiction,
  registeredElsewhere,
} from '../residents/service.js';
import { residents } from '../residents/tables.js';
import { buildings, facilities, households, housingUnits, organizations } from './tables.js';

export interface PlaceDeps {
  db: Db;
  crypto: FieldCrypto;
}

// When a grid moves in the tree, the places in it follow.
for (const table of [buildings, housingUnits, households, organizations, facilities]) {
  registerPathFollower(async (tx, from, to) => {
    await tx
      .update(table)
      .set({ orgPath: sql`${to} || substr(${table.orgPath}, ${from.length + 1})` })
      .where(like(table.orgPath, `${from}%`));
  });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

async function subtreeOf(db: Db, orgUnitId: number | undefined, column: Parameters<typeof like>[0]) {
  if (orgUnitId === undefined) return undefined;
  const [u] = await db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!u) throw fieldError('orgUnitId', 'exists', '区域不存在');
  return like(column, `${u.path}%`);
}

function gridNames(book: NameBook, gridId: number) {
  const g = book.units.get(gridId);
  return {
    gridName: g?.name ?? '',
    communityName: g?.parentId ? (book.units.get(g.parentId)?.name ?? null) : null,
  };
}

async function audit(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  action: AuditAction,
  targetType: string,
  targetId: string | number,
  payload?: Record<string, unknown>,
) {
  await appendAudit(tx, auditActorOf(actor, meta), {
    action,
    targetType,
    targetId: String(targetId),
    ...(payload ? { payload } : {}),
  });
}

// ---------------------------------------------------------------- buildings

/** The next free 3-digit building number in a grid: code = grid code + number. */
export async function nextBuildingCode(tx: Db, gridCode: string): Promise<string> {
  const [r] = await tx
    .select({ max: sql<string | null>`max(${buildings.code})` })
    .from(buildings)
    .where(like(buildings.code, `${gridCode}___`));
  const n = r?.max ? Number(r.max.slice(-3)) + 1 : 1;
  if (n > 999) throw fieldError('gridId', 'capacity', '该网格的楼栋编号已用完（999）');
  return `${gridCode}${String(n).padStart(3, '0')}`;
}

export function housingUnitCode(buildingCode: string, unitNo: number, floor: number, room: string): string {
  const fl = floor < 0 ? `B${-floor}` : String(floor).padStart(2, '0');
  return `${buildingCode}${String(unitNo).padStart(2, '0')}${fl}${room.padStart(2, '0')}`;
}

export function housingUnitAddress(buildingAddress: string, unitNo: number, floor: number, room: string) {
  const fl = floor < 0 ? `地下${-floor}层` : `${floor}层`;
  return `${buildingAddress}${unitNo}单元${fl}${floor < 0 ? '' : floor}${room.padStart(2, '0')}室`;
}

type BuildingRow = typeof buildings.$inferSelect;

async function buildingCounts(db: Db, actor: Actor, ids: number[]) {
  if (!ids.length) return new Map<number, { units: number; people: number }>();
  const [u, p] = await Promise.all([
    db
      .select({ id: housingUnits.buildingId, n: count() })
      .from(housingUnits)
      .where(inArray(housingUnits.buildingId, ids))
      .groupBy(housingUnits.buildingId),
    db
      .select({ id: housingUnits.buildingId, n: count() })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
      .where(and(inArray(housingUnits.buildingId, ids), inScope(actor, residents.orgPath)))
      .groupBy(housingUnits.buildingId),
  ]);
  const out = new Map<number, { units: number; people: number }>();
  for (const id of ids) out.set(id, { units: 0, people: 0 });
  for (const r of u) (out.get(r.id) as { units: number }).units = Number(r.n);
  for (const r of p) (out.get(r.id) as { people: number }).people = Number(r.n);
  return out;
}

function presentBuilding(b: BuildingRow, book: NameBook, c?: { units: number; people: number }): Building {
  return {
    id: b.id,
    code: b.code,
    name: b.name,
    address: b.address,
    type: b.type as Building['type'],
    floors: b.floors,
    gridId: b.gridId,
    ...gridNames(book, b.gridId),
    lng: b.lng,
    lat: b.lat,
    housingUnits: c?.units ?? 0,
    residents: c?.people ?? 0,
  };
}

export async function createBuilding(deps: PlaceDeps, actor: Actor, input: BuildingInput, meta: RequestMeta) {
  const { db } = deps;
  const grid = await gridInScope(db, actor, input.gridId);
  const row = await db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: buildings.id })
      .from(buildings)
      .where(and(eq(buildings.gridId, grid.id), eq(buildings.name, input.name)));
    if (dup) throw fieldError('name', 'unique', '该网格内已有同名楼栋');
    const code = await nextBuildingCode(tx, grid.code);
    const [b] = await tx
      .insert(buildings)
      .values({ ...input, code, gridId: grid.id, orgPath: grid.path })
      .returning();
    const created = b as BuildingRow;
    await audit(tx, actor, meta, 'building.created', 'building', created.id);
    return created;
  });
  return presentBuilding(row, await nameBook(db));
}

export async function loadBuilding(db: Db, actor: Actor, id: number): Promise<BuildingRow> {
  const [b] = await db.select().from(buildings).where(eq(buildings.id, id));
  if (!b) throw new AppError('NOT_FOUND');
  assertInScope(actor, b.orgPath);
  return b;
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
    const b = await loadBuilding(tx, actor, id);
    if (patch.name && patch.name !== b.name) {
      const [dup] = await tx
        .select({ id: buildings.id })
        .from(buildings)
        .where(and(eq(buildings.gridId, b.gridId), eq(buildings.name, patch.name)));
      if (dup) throw fieldError('name', 'unique', '该网格内已有同名楼栋');
    }
    const [u] = await tx
      .update(buildings)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(buildings.id, id))
      .returning();
    await audit(tx, actor, meta, 'building.updated', 'building', id, { fields: Object.keys(patch) });
    return u as BuildingRow;
  });
  const counts = await buildingCounts(db, actor, [row.id]);
  return presentBuilding(row, await nameBook(db), counts.get(row.id));
}

export async function listBuildings(deps: PlaceDeps, actor: Actor, q: z.infer<typeof buildingListQuery>) {
  const { db } = deps;
  const cond: (SQL | undefined)[] = [inScope(actor, buildings.orgPath)];
  if (q.q) {
    const t = `%${escapeLike(q.q)}%`;
    cond.push(
      sql`(${buildings.name} like ${t} or ${buildings.address} like ${t} or ${buildings.code} = ${q.q})`,
    );
  }
  cond.push(await subtreeOf(db, q.orgUnitId, buildings.orgPath));
  if (q.type) cond.push(eq(buildings.type, q.type));
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(buildings)
      .where(where)
      .orderBy(asc(buildings.code))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(buildings).where(where),
  ]);
  const [book, counts] = await Promise.all([
    nameBook(db),
    buildingCounts(
      db,
      actor,
      rows.map((r) => r.id),
    ),
  ]);
  return {
    items: rows.map((r) => presentBuilding(r, book, counts.get(r.id))),
    total: Number(total?.n ?? 0),
  };
}

/**
 * A household's members as a building or a profile lists them: the head first, then the
 * oldest. Only the age leaves (the birth date is the masked part of the ID number), and
 * people are ordered by age and name rather than by birth date, so the order does not
 * tell who of two of the same age was born first.
 */
function occupantsInOrder(
  people: { id: string; name: string; relationToHead: string | null; birthDate: string }[],
) {
  return people
    .map((p) => ({ id: p.id, name: p.name, relationToHead: p.relationToHead, age: ageOf(p.birthDate) }))
    .sort(
      (a, b) =>
        Number(b.relationToHead === '户主') - Number(a.relationToHead === '户主') ||
        b.age - a.age ||
        a.name.localeCompare(b.name, 'zh-CN'),
    );
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
  const hhIds = hh.map((h) => h.id);
  const people = hhIds.length
    ? await db
        .select({
          id: residents.id,
          name: residents.name,
          relationToHead: residents.relationToHead,
          birthDate: residents.birthDate,
          householdId: residents.householdId,
        })
        .from(residents)
        .where(and(inArray(residents.householdId, hhIds), inScope(actor, residents.orgPath)))
    : [];
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
    if (input.floor > b.floors) throw fieldError('floor', 'max', `楼层不能高于该楼的 ${b.floors} 层`);
    const code = housingUnitCode(b.code, input.unitNo, input.floor, input.room);
    const [u] = await tx
      .insert(housingUnits)
      .values({ ...input, area: input.area ?? null, code, buildingId, orgPath: b.orgPath })
      .onConflictDoNothing()
      .returning();
    if (!u) throw fieldError('room', 'unique', '该房屋已登记');
    await audit(tx, actor, meta, 'housingUnit.created', 'housingUnit', u.id);
    return u;
  });
}

export async function updateHousingUnit(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: { use?: string; area?: number },
  meta: RequestMeta,
) {
  const { db } = deps;
  return db.transaction(async (tx) => {
    const [u] = await tx.select().from(housingUnits).where(eq(housingUnits.id, id));
    if (!u) throw new AppError('NOT_FOUND');
    assertInScope(actor, u.orgPath);
    const [row] = await tx
      .update(housingUnits)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(housingUnits.id, id))
      .returning();
    await audit(tx, actor, meta, 'housingUnit.updated', 'housingUnit', id, { fields: Object.keys(patch) });
    return row;
  });
}

// ---------------------------------------------------------------- households

/** A household lives in a housing unit (or only in a grid, for those without one on record). */
export async function createHousehold(
  deps: PlaceDeps,
  actor: Actor,
  input: { housingUnitId?: number | undefined; gridId: number; kind: string },
  meta: RequestMeta,
) {
  const { db } = deps;
  const grid = await gridInScope(db, actor, input.gridId);
  return db.transaction(async (tx) => {
    let unitCode: string | null = null;
    if (input.housingUnitId !== undefined) {
      const [u] = await tx.select().from(housingUnits).where(eq(housingUnits.id, input.housingUnitId));
      if (!u?.orgPath.startsWith(grid.path))
        throw fieldError('housingUnitId', 'inGrid', '房屋不存在或不在该网格');
      unitCode = u.code;
    }
    const prefix = unitCode ?? `${grid.code}000000000`;
    const [r] = await tx
      .select({ n: count() })
      .from(households)
      .where(like(households.code, `${prefix}-%`));
    const code = `${prefix}-${Number(r?.n ?? 0) + 1}`;
    const [h] = await tx
      .insert(households)
      .values({
        code,
        housingUnitId: input.housingUnitId ?? null,
        gridId: grid.id,
        orgPath: grid.path,
        kind: input.kind,
      })
      .returning();
    await audit(tx, actor, meta, 'household.created', 'household', (h as { id: number }).id);
    return h as typeof households.$inferSelect;
  });
}

export async function setHouseholdMember(
  deps: PlaceDeps,
  actor: Actor,
  householdId: number,
  residentId: string,
  relationToHead: string | null,
  meta: RequestMeta,
) {
  const { db } = deps;
  return db.transaction(async (tx) => {
    const [h] = await tx.select().from(households).where(eq(households.id, householdId));
    if (!h) throw new AppError('NOT_FOUND');
    assertInScope(actor, h.orgPath);
    const [r] = await tx.select().from(residents).where(eq(residents.id, residentId));
    if (!r?.orgPath.startsWith(h.orgPath.split('/').slice(0, -2).join('/')))
      throw fieldError('residentId', 'exists', '居民不存在或不在您的辖区');
    assertInScope(actor, r.orgPath);
    if (relationToHead === '户主') {
      const [head] = await tx
        .select({ id: residents.id })
        .from(residents)
        .where(and(eq(residents.householdId, householdId), eq(residents.relationToHead, '户主')));
      if (head && head.id !== residentId) throw fieldError('relationToHead', 'oneHead', '该户已有户主');
    }
    await tx
      .update(residents)
      .set(
        relationToHead === null
          ? { householdId: null, relationToHead: null, updatedAt: new Date() }
          : { householdId, relationToHead, updatedAt: new Date() },
      )
      .where(eq(residents.id, residentId));
    await audit(
      tx,
      actor,
      meta,
      relationToHead === null ? 'household.memberRemoved' : 'household.memberSet',
      'household',
      householdId,
      { residentId },
    );
  });
}

/** For the resident profile: the household, its members in scope, and the dwelling. */
export async function householdOf(db: Db, actor: Actor, householdId: number | null) {
  if (householdId === null) return null;
  const [h] = await db.select().from(households).where(eq(households.id, householdId));
  if (!h) return null;
  const members = await db
    .select({
      id: residents.id,
      name: residents.name,
      relationToHead: residents.relationToHead,
      birthDate: residents.birthDate,
    })
    .from(residents)
    .where(and(eq(residents.householdId, h.id), inScope(actor, residents.orgPath)));
  let housing: {
    id: number;
    code: string;
    address: string;
    use: string;
    buildingId: number;
    buildingName: string;
  } | null = null;
  if (h.housingUnitId) {
    const [u] = await db
      .select({ unit: housingUnits, b: buildings })
      .from(housingUnits)
      .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
      .where(eq(housingUnits.id, h.housingUnitId));
    if (u)
      housing = {
        id: u.unit.id,
        code: u.unit.code,
        address: housingUnitAddress(u.b.address, u.unit.unitNo, u.unit.floor, u.unit.room),
        use: u.unit.use,
        buildingId: u.b.id,
        buildingName: u.b.name,
      };
  }
  return {
    id: h.id,
    code: h.code,
    kind: h.kind,
    members: occupantsInOrder(members),
    housing,
  };
}

// ---------------------------------------------------------------- organizations

type OrgRow = typeof organizations.$inferSelect;

export function checkCreditCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!isValidCreditCode(code))
    throw fieldError('creditCode', 'checkDigit', '统一社会信用代码不正确（GB 32100 校验位不符）');
  return code;
}

function presentOrganization(o: OrgRow, crypto: FieldCrypto, book: NameBook): Organization {
  return {
    id: o.id,
    name: o.name,
    creditCode: o.creditCode,
    kind: o.kind as Organization['kind'],
    address: o.address,
    gridId: o.gridId,
    gridName: gridNames(book, o.gridId).gridName,
    buildingId: o.buildingId,
    lng: o.lng,
    lat: o.lat,
    contactName: o.contactName,
    contactPhone: o.contactPhoneEnc ? maskPhone(crypto.decrypt(o.contactPhoneEnc)) : null,
    employees: o.employees,
    notes: o.notes,
  };
}

export async function createOrganization(
  deps: PlaceDeps,
  actor: Actor,
  input: OrganizationInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const creditCode = checkCreditCode(input.creditCode);
  const grid = await gridInScope(db, actor, input.gridId);
  if (input.buildingId !== undefined) {
    const b = await loadBuilding(db, actor, input.buildingId).catch(() => null);
    if (!b || b.gridId !== grid.id) throw fieldError('buildingId', 'inGrid', '楼栋不存在或不在该网格');
  }
  const row = await db.transaction(async (tx) => {
    const { contactPhone, ...rest } = input;
    const [o] = await tx
      .insert(organizations)
      .values({
        ...rest,
        creditCode,
        gridId: grid.id,
        orgPath: grid.path,
        contactPhoneEnc: contactPhone ? crypto.encrypt(contactPhone) : null,
        contactPhoneIdx: contactPhone ? crypto.blindIndex(contactPhone) : null,
      })
      .onConflictDoNothing({ target: organizations.creditCode })
      .returning();
    if (!o) {
      const [taken] = await tx
        .select({ orgPath: organizations.orgPath })
        .from(organizations)
        .where(eq(organizations.creditCode, creditCode));
      throw registeredElsewhere(actor, taken?.orgPath ?? null)
        ? otherJurisdiction('creditCode')
        : fieldError('creditCode', 'unique', '该统一社会信用代码已登记');
    }
    await audit(tx, actor, meta, 'organization.created', 'organization', o.id);
    return o;
  });
  return presentOrganization(row, crypto, await nameBook(db));
}

export async function loadOrganization(db: Db, actor: Actor, id: number) {
  const [o] = await db.select().from(organizations).where(eq(organizations.id, id));
  if (!o) throw new AppError('NOT_FOUND');
  assertInScope(actor, o.orgPath);
  return o;
}

export async function getOrganization(deps: PlaceDeps, actor: Actor, id: number) {
  return presentOrganization(
    await loadOrganization(deps.db, actor, id),
    deps.crypto,
    await nameBook(deps.db),
  );
}

export async function updateOrganization(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: Partial<Omit<OrganizationInput, 'creditCode' | 'gridId'>>,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const row = await db.transaction(async (tx) => {
    await loadOrganization(tx, actor, id);
    const { contactPhone, ...rest } = patch;
    const [o] = await tx
      .update(organizations)
      .set({
        ...rest,
        ...(contactPhone === undefined
          ? {}
          : {
              contactPhoneEnc: crypto.encrypt(contactPhone),
              contactPhoneIdx: crypto.blindIndex(contactPhone),
            }),
        updatedAt: new Date(),
      })
      .where(eq(organizations.id, id))
      .returning();
    await audit(tx, actor, meta, 'organization.updated', 'organization', id, { fields: Object.keys(patch) });
    return o as OrgRow;
  });
  return presentOrganization(row, crypto, await nameBook(db));
}

export async function listOrganizations(
  deps: PlaceDeps,
  actor: Actor,
  q: z.infer<typeof organizationListQuery>,
) {
  const { db, crypto } = deps;
  const cond: (SQL | undefined)[] = [inScope(actor, organizations.orgPath)];
  if (q.q)
    cond.push(sql`(${organizations.name} like ${`%${escapeLike(q.q)}%`} or ${organizations.name} % ${q.q})`);
  if (q.creditCode) cond.push(eq(organizations.creditCode, q.creditCode.toUpperCase()));
  if (q.kind) cond.push(eq(organizations.kind, q.kind));
  cond.push(await subtreeOf(db, q.orgUnitId, organizations.orgPath));
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(organizations)
      .where(where)
      .orderBy(asc(organizations.name))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(organizations).where(where),
  ]);
  const book = await nameBook(db);
  return { items: rows.map((r) => presentOrganization(r, crypto, book)), total: Number(total?.n ?? 0) };
}

// ---------------------------------------------------------------- facilities

type FacilityRow = typeof facilities.$inferSelect;

function presentFacility(f: FacilityRow, book: NameBook): Facility {
  return {
    id: f.id,
    code: f.code,
    typeCode: f.typeCode,
    typeName: facilityTypes[f.typeCode] ?? f.typeCode,
    name: f.name,
    state: f.state as Facility['state'],
    gridId: f.gridId,
    gridName: gridNames(book, f.gridId).gridName,
    lng: f.lng,
    lat: f.lat,
    owner: f.owner,
  };
}

/** GB/T 30428.2 identification code: county (6) + type (4) + serial (6). */
export async function nextFacilityCode(tx: Db, countyCode: string, typeCode: string) {
  const prefix = `${countyCode}${typeCode}`;
  const [r] = await tx
    .select({ max: sql<string | null>`max(${facilities.code})` })
    .from(facilities)
    .where(like(facilities.code, `${prefix}%`));
  const n = r?.max ? Number(r.max.slice(-6)) + 1 : 1;
  return `${prefix}${String(n).padStart(6, '0')}`;
}

export async function createFacility(deps: PlaceDeps, actor: Actor, input: FacilityInput, meta: RequestMeta) {
  const { db } = deps;
  const grid = await gridInScope(db, actor, input.gridId);
  const row = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('facility-code'))`);
    const code = await nextFacilityCode(tx, grid.code.slice(0, 6), input.typeCode);
    const [f] = await tx
      .insert(facilities)
      .values({ ...input, owner: input.owner ?? null, code, gridId: grid.id, orgPath: grid.path })
      .returning();
    await audit(tx, actor, meta, 'facility.created', 'facility', (f as FacilityRow).id);
    return f as FacilityRow;
  });
  return presentFacility(row, await nameBook(db));
}

export async function updateFacility(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: Partial<Pick<FacilityInput, 'name' | 'state' | 'owner' | 'lng' | 'lat'>>,
  meta: RequestMeta,
) {
  const { db } = deps;
  const row = await db.transaction(async (tx) => {
    const [f] = await tx.select().from(facilities).where(eq(facilities.id, id));
    if (!f) throw new AppError('NOT_FOUND');
    assertInScope(actor, f.orgPath);
    const [u] = await tx
      .update(facilities)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(facilities.id, id))
      .returning();
    await audit(tx, actor, meta, 'facility.updated', 'facility', id, { fields: Object.keys(patch) });
    return u as FacilityRow;
  });
  return presentFacility(row, await nameBook(db));
}

export async function listFacilities(deps: PlaceDeps, actor: Actor, q: z.infer<typeof facilityListQuery>) {
  const { db } = deps;
  const cond: (SQL | undefined)[] = [inScope(actor, facilities.orgPath)];
  if (q.q) cond.push(sql`(${facilities.name} like ${`%${escapeLike(q.q)}%`} or ${facilities.code} = ${q.q})`);
  if (q.typeCode) cond.push(like(facilities.typeCode, `${escapeLike(q.typeCode)}%`));
  if (q.state) cond.push(eq(facilities.state, q.state));
  cond.push(await subtreeOf(db, q.orgUnitId, facilities.orgPath));
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(facilities)
      .where(where)
      .orderBy(asc(facilities.code))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(facilities).where(where),
  ]);
  const book = await nameBook(db);
  return { items: rows.map((r) => presentFacility(r, book)), total: Number(total?.n ?? 0) };
}

// ---------------------------------------------------------------- map

/** Buildings and facilities in scope (and in the box) as GeoJSON points, at most 5,000 each. */
export async function placesMap(db: Db, actor: Actor, bbox: number[] | null, layers: string[]) {
  const box = (t: typeof buildings | typeof facilities) =>
    bbox
      ? sql`${t.lng} between ${bbox[0]} and ${bbox[2]} and ${t.lat} between ${bbox[1]} and ${bbox[3]}`
      : undefined;
  const features: unknown[] = [];
  if (layers.includes('buildings')) {
    const rows = await db
      .select({
        id: buildings.id,
        name: buildings.name,
        type: buildings.type,
        lng: buildings.lng,
        lat: buildings.lat,
      })
      .from(buildings)
      .where(and(inScope(actor, buildings.orgPath), box(buildings)))
      .limit(5000);
    for (const b of rows)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [b.lng, b.lat] },
        properties: { layer: 'building', id: b.id, name: b.name, type: b.type },
      });
  }
  if (layers.includes('facilities')) {
    const rows = await db
      .select({
        id: facilities.id,
        name: facilities.name,
        typeCode: facilities.typeCode,
        state: facilities.state,
        lng: facilities.lng,
        lat: facilities.lat,
      })
      .from(facilities)
      .where(and(inScope(actor, facilities.orgPath), box(facilities)))
      .limit(5000);
    for (const f of rows)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [f.lng, f.lat] },
        properties: {
          layer: 'facility',
          id: f.id,
          name: f.name,
          typeCode: f.typeCode,
          typeName: facilityTypes[f.typeCode] ?? f.typeCode,
          state: f.state,
        },
      });
  }
  return { type: 'FeatureCollection' as const, features };
}

/** The organizations list as a spreadsheet: same scope and filters, contact phones masked. */
export async function exportOrganizations(
  deps: PlaceDeps,
  actor: Actor,
  q: z.infer<typeof organizationListQuery>,
  meta: RequestMeta,
) {
  const { default: ExcelJS } = await import('exceljs');
  const { organizationKindNames } = await import('@civicgrid/core/api/places');
  const all = await listOrganizations(deps, actor, { ...q, page: 1, pageSize: 50_000 });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实有单位');
  ws.columns = [
    { header: '单位名称', key: 'name', width: 28 },
    { header: '统一社会信用代码', key: 'creditCode', width: 22 },
    { header: '单位类型', key: 'kind', width: 12 },
    { header: '地址', key: 'address', width: 32 },
    { header: '网格', key: 'gridName', width: 22 },
    { header: '联系人', key: 'contactName', width: 10 },
    { header: '联系电话（已脱敏）', key: 'contactPhone', width: 16 },
    { header: '从业人数', key: 'employees', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const o of all.items) ws.addRow({ ...o, kind: organizationKindNames[o.kind] });
  await deps.db.transaction((tx) =>
    audit(tx, actor, meta, 'organization.exported', 'organization', 'list', { rows: all.items.length }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Registers where a person lives: into the household of a housing unit (made when the unit
 * has none), with the relation to its head. The resident's grid becomes the unit's grid.
 */
export async function settleResident(
  deps: PlaceDeps,
  actor: Actor,
  residentId: string,
  input: { housingUnitId: number; relationToHead: string },
  meta: RequestMeta,
) {
  const { db } = deps;
  const [u] = await db.select().from(housingUnits).where(eq(housingUnits.id, input.housingUnitId));
  if (!u?.orgPath.startsWith(scopeOf(actor)))
    throw fieldError('housingUnitId', 'inJurisdiction', '房屋不存在或不在您的辖区');
  const [b] = await db.select().from(buildings).where(eq(buildings.id, u.buildingId));
  let [h] = await db.select().from(households).where(eq(households.housingUnitId, u.id)).limit(1);
  if (!h) {
    const made = await createHousehold(
      deps,
      actor,
      { housingUnitId: u.id, gridId: (b as BuildingRow).gridId, kind: 'family' },
      meta,
    );
    h = made;
  }
  const [person] = await db.select().from(residents).where(eq(residents.id, residentId));
  if (!person?.orgPath.startsWith(scopeOf(actor))) throw new AppError('NOT_FOUND');
  // Living there puts the person in that grid; the move keeps its history.
  if (person.gridId !== h.gridId) await moveResident(deps, actor, residentId, h.gridId, '登记住址', meta);
  await setHouseholdMember(deps, actor, h.id, residentId, input.relationToHead, meta);
  return h;
}

function scopeOf(actor: Actor): string {
  return actor.global ? '/' : (actor.orgPath ?? '\u0000');
}

/** Buildings and units in the import template's columns: export, edit, import again. */
export async function exportBuildings(
  deps: PlaceDeps,
  actor: Actor,
  q: z.infer<typeof buildingListQuery>,
  meta: RequestMeta,
) {
  const { db } = deps;
  const { default: ExcelJS } = await import('exceljs');
  const { buildingTypeNames, housingUseNames } = await import('@civicgrid/core/api/places');
  const { buildingColumns } = await import('./imports.js');
  const cond: (SQL | undefined)[] = [inScope(actor, buildings.orgPath)];
  if (q.q) {
    const t = `%${escapeLike(q.q)}%`;
    cond.push(
      sql`(${buildings.name} like ${t} or ${buildings.address} like ${t} or ${buildings.code} = ${q.q})`,
    );
  }
  cond.push(await subtreeOf(db, q.orgUnitId, buildings.orgPath));
  if (q.type) cond.push(eq(buildings.type, q.type));
  const rows = await db
    .select({ b: buildings, u: housingUnits, gridCode: orgUnits.code })
    .from(buildings)
    .innerJoin(orgUnits, eq(orgUnits.id, buildings.gridId))
    .leftJoin(housingUnits, eq(housingUnits.buildingId, buildings.id))
    .where(and(...cond))
    .orderBy(asc(buildings.code), asc(housingUnits.code))
    .limit(200_000);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实有房屋');
  ws.columns = buildingColumns.map(([key, header]) => ({ header, key, width: key === 'address' ? 40 : 12 }));
  ws.getRow(1).font = { bold: true };
  for (const { b, u, gridCode } of rows)
    ws.addRow({
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
    });
  await db.transaction((tx) =>
    audit(tx, actor, meta, 'building.exported', 'building', 'list', { rows: rows.length }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
