import { buildingTypeNames, buildingTypes, housingUseNames, housingUses } from '@civicgrid/core/api/places';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { registerImport, templateOf } from '../../platform/importer.js';
import { pathInScope } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { housingUnitCode, nextBuildingCode } from './service.js';
import { buildings, housingUnits } from './tables.js';

/** The active grids by their 15-digit code: what an import row names its grid by. */
export async function gridsByCode(db: Db) {
  const grids = await db
    .select({ id: orgUnits.id, code: orgUnits.code, path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)));
  return new Map(grids.map((g) => [g.code, g]));
}

export const byName = <T extends string>(values: readonly T[], names: Record<T, string>) =>
  new Map<string, T>([
    ...values.map((v) => [v, v] as [string, T]),
    ...values.map((v) => [names[v], v] as [string, T]),
  ]);
const buildingTypeBy = byName(buildingTypes, buildingTypeNames);
const useBy = byName(housingUses, housingUseNames);

export const int = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : Number.NaN);

export const buildingColumns = [
  ['gridCode', '网格编码'],
  ['buildingName', '楼栋名称'],
  ['address', '标准地址'],
  ['buildingType', '楼栋类型'],
  ['floors', '总层数'],
  ['lng', '经度'],
  ['lat', '纬度'],
  ['unitNo', '单元'],
  ['floor', '楼层'],
  ['room', '房号'],
  ['use', '房屋用途'],
  ['area', '建筑面积'],
] as const;

interface BuildingRow {
  gridId: number;
  gridCode: string;
  orgPath: string;
  building: { name: string; address: string; type: string; floors: number; lng: number; lat: number };
  unit: { unitNo: number; floor: number; room: string; use: string; area: number | null } | null;
}

/**
 * Buildings and their housing units, one row per unit (or per building without units).
 * A building is the pair grid + name; a unit is its address code — both upserted, so a
 * second import of the same file changes nothing.
 */
export const buildingImport = registerImport<BuildingRow, Awaited<ReturnType<typeof gridsByCode>>>({
  kind: 'buildings',
  sheetName: '实有房屋',
  columns: buildingColumns,
  required: ['gridCode', 'buildingName', 'address', 'floors', 'lng', 'lat'],
  auditAction: 'building.imported',
  prepare: (db) => gridsByCode(db),
  check(raw, grids, actor) {
    const grid = grids.get(raw.gridCode ?? '');
    if (!grid) return { error: raw.gridCode ? `网格编码 ${raw.gridCode} 不存在` : '网格编码为空' };
    if (!pathInScope(actor, grid.path)) return { error: `网格 ${raw.gridCode} 不在您的辖区` };
    const name = raw.buildingName ?? '';
    if (!name || name.length > 40) return { error: name ? '楼栋名称超过40个字' : '楼栋名称为空' };
    const address = raw.address ?? '';
    if (!address || address.length > 200) return { error: address ? '标准地址超过200个字' : '标准地址为空' };
    const type = raw.buildingType ? buildingTypeBy.get(raw.buildingType) : 'residential';
    if (!type) return { error: `楼栋类型“${raw.buildingType}”无法识别` };
    const floors = int(raw.floors ?? '');
    if (!(floors >= 1 && floors <= 200)) return { error: '总层数应为1–200的整数' };
    const lng = Number(raw.lng);
    const lat = Number(raw.lat);
    if (!raw.lng || !raw.lat || !(lng >= 73 && lng <= 136 && lat >= 3 && lat <= 54))
      return { error: '经纬度为空或不在中国境内' };
    let unit: BuildingRow['unit'] = null;
    if (raw.unitNo || raw.floor || raw.room) {
      const unitNo = int(raw.unitNo ?? '');
      const floor = int(raw.floor ?? '');
      const room = raw.room ?? '';
      if (!(unitNo >= 1 && unitNo <= 99)) return { error: '单元应为1–99的整数' };
      if (!(floor >= -9 && floor <= floors && floor !== 0)) return { error: `楼层应为-9–${floors}且不为0` };
      if (!/^\d{1,2}$/.test(room)) return { error: '房号应为1–2位数字' };
      const use = raw.use ? useBy.get(raw.use) : 'ownerOccupied';
      if (!use) return { error: `房屋用途“${raw.use}”无法识别` };
      const area = raw.area ? Number(raw.area) : null;
      if (area !== null && !(area > 0 && area < 100_000)) return { error: '建筑面积应为正数' };
      unit = { unitNo, floor, room: room.padStart(2, '0'), use, area };
    }
    return {
      key: `${grid.code}|${name}|${unit ? `${unit.unitNo}-${unit.floor}-${unit.room}` : ''}`,
      value: {
        gridId: grid.id,
        gridCode: grid.code,
        orgPath: grid.path,
        building: { name, address, type, floors, lng, lat },
        unit,
      },
    };
  },
  /**
   * Every key here is inside the importer's jurisdiction by construction: a building is
   * found by its grid (checked in scope) and name, a new one numbered after the highest
   * code under its grid's code, and a unit's code extends its building's. The conflict
   * clauses still require the same grid (buildings) and building (units), so no row of
   * another jurisdiction is updated even if codes were ever reused.
   */
  async write(tx, batch) {
    // Buildings first: one row per grid + name (the last row of the batch describes it).
    const wanted = new Map<string, BuildingRow>();
    for (const r of batch) wanted.set(`${r.gridId}|${r.building.name}`, r);
    const existing = await tx
      .select({ id: buildings.id, code: buildings.code, gridId: buildings.gridId, name: buildings.name })
      .from(buildings)
      .where(inArray(sql`(${buildings.gridId}::text || '|' || ${buildings.name})`, [...wanted.keys()]));
    const codeOf = new Map(existing.map((b) => [`${b.gridId}|${b.name}`, b.code]));
    const changed = new Set<string>();
    for (const [key, r] of wanted) {
      let code = codeOf.get(key);
      if (!code) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`building-code:${r.gridCode}`}))`);
        code = await nextBuildingCode(tx, r.gridCode);
        codeOf.set(key, code);
      }
      const written = await tx
        .insert(buildings)
        .values({ code, gridId: r.gridId, orgPath: r.orgPath, ...r.building })
        .onConflictDoUpdate({
          target: buildings.code,
          set: {
            address: sql`excluded.address`,
            type: sql`excluded.type`,
            floors: sql`excluded.floors`,
            lng: sql`excluded.lng`,
            lat: sql`excluded.lat`,
            updatedAt: sql`now()`,
          },
          setWhere: sql`buildings.grid_id = excluded.grid_id
            and (buildings.address, buildings.type, buildings.floors, buildings.lng, buildings.lat)
            is distinct from (excluded.address, excluded.type, excluded.floors, excluded.lng, excluded.lat)`,
        })
        .returning({ id: buildings.id });
      if (written.length) changed.add(key);
    }
    const ids = await tx
      .select({ id: buildings.id, code: buildings.code, gridId: buildings.gridId, name: buildings.name })
      .from(buildings)
      .where(inArray(buildings.code, [...codeOf.values()]));
    const idOf = new Map(
      ids.filter((b) => codeOf.get(`${b.gridId}|${b.name}`) === b.code).map((b) => [b.code, b.id]),
    );
    const units = batch
      .filter((r) => r.unit && idOf.has(codeOf.get(`${r.gridId}|${r.building.name}`) as string))
      .map((r) => {
        const bcode = codeOf.get(`${r.gridId}|${r.building.name}`) as string;
        const u = r.unit as NonNullable<BuildingRow['unit']>;
        return {
          code: housingUnitCode(bcode, u.unitNo, u.floor, u.room),
          buildingId: idOf.get(bcode) as number,
          orgPath: r.orgPath,
          ...u,
        };
      });
    const changedUnits = new Set<string>();
    if (units.length) {
      const w = await tx
        .insert(housingUnits)
        .values(units)
        .onConflictDoUpdate({
          target: housingUnits.code,
          set: { use: sql`excluded.use`, area: sql`excluded.area`, updatedAt: sql`now()` },
          setWhere: sql`housing_units.building_id = excluded.building_id
            and (housing_units.use, housing_units.area) is distinct from (excluded.use, excluded.area)`,
        })
        .returning({ code: housingUnits.code });
      for (const u of w) changedUnits.add(u.code);
    }
    return {
      written: batch.filter((r) => {
        const bkey = `${r.gridId}|${r.building.name}`;
        if (changed.has(bkey)) return true;
        if (!r.unit) return false;
        return changedUnits.has(
          housingUnitCode(codeOf.get(bkey) as string, r.unit.unitNo, r.unit.floor, r.unit.room),
        );
      }).length,
    };
  },
  mask: (raw) => raw,
});

export const buildingTemplate = () =>
  templateOf(
    buildingImport as never,
    {
      gridCode: '150203001001001',
      buildingName: '3号楼',
      address: '包头市昆都仑区阿尔丁大街12号3号楼',
      buildingType: '住宅楼',
      floors: 6,
      lng: 109.8312,
      lat: 40.6571,
      unitNo: 2,
      floor: 5,
      room: '02',
      use: '自住',
      area: 86.5,
    },
    [
      ['网格编码', '必填，15位网格编码，须在您的辖区内'],
      ['楼栋名称', '必填；同一网格内的楼栋按名称识别'],
      ['标准地址', '必填，到楼栋，如“包头市昆都仑区阿尔丁大街12号3号楼”'],
      ['楼栋类型', `选填：${buildingTypes.map((t) => buildingTypeNames[t]).join('、')}`],
      ['总层数 / 经度 / 纬度', '必填'],
      ['单元 / 楼层 / 房号', '一行一套房屋；只登记楼栋时留空。地下层写负数'],
      ['房屋用途', `选填：${housingUses.map((t) => housingUseNames[t]).join('、')}，默认自住`],
      ['重复导入', '楼栋按“网格+名称”、房屋按地址编码更新，同一文件导入两次不会产生重复'],
    ],
  );
