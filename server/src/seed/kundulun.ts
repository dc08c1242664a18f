import type { AreaGeometry } from '@civicgrid/core/api/org';
import { eq, sql } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { departments, gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import { hashPassword } from '../platform/auth/password.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { countyDivisions, displayName } from './divisions.js';
import { demoAreas } from './geography/demoAreas.js';
import { seeded } from './geometry.js';
import { mobile, personName } from './people.js';

/**
 * The demo: 包头市昆都仑区 (150203) within its real outline, with its real streets and
 * communities, generated areas for them and generated grids that partition each community
 * (geography/demoAreas.ts), a team for every grid, the departments of the default case
 * taxonomy and one account per built-in role.
 */
export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  unit: string;
}

export const demoDistrict = { code: '150203', name: '昆都仑区' };

/** The 15 handling departments named in shared/data/case-categories.md. */
export const demoDepartments = [
  ['chengguan', '城管'],
  ['zhujian', '住建'],
  ['gongan', '公安'],
  ['yingji', '应急管理'],
  ['minzheng', '民政'],
  ['renshe', '人社'],
  ['weijian', '卫健'],
  ['sifa', '司法'],
  ['shichang', '市场监管'],
  ['yuanlin', '园林'],
  ['shengtai', '生态环境'],
  ['ziran', '自然资源'],
  ['jiaotong', '交通运输'],
  ['jiaoyu', '教育'],
  ['tiyu', '体育'],
] as const;

type UnitRow = typeof orgUnits.$inferSelect;
type NewUser = typeof users.$inferInsert & { roleCode: string };

async function insertChunks<T>(
  rows: T[],
  size: number,
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Inserts units of one level, then sets their paths from their ids in one statement. */
async function insertUnits(
  tx: Db,
  values: {
    code: string;
    name: string;
    level: UnitRow['level'];
    parent: UnitRow | null;
    geometry: AreaGeometry;
    householdsTarget?: number;
  }[],
): Promise<UnitRow[]> {
  const out: UnitRow[] = [];
  await insertChunks(values, 500, async (chunk) => {
    const rows = await tx
      .insert(orgUnits)
      .values(
        chunk.map((v) => ({
          code: v.code,
          name: v.name,
          level: v.level,
          parentId: v.parent?.id ?? null,
          path: `${v.parent?.path ?? '/'}`,
          geometry: v.geometry,
          householdsTarget: v.householdsTarget ?? null,
        })),
      )
      .returning();
    out.push(...rows);
  });
  await tx.execute(sql`update org_units set path = path || id || '/' where path not like '%/' || id || '/'`);
  const ids = new Set(out.map((u) => u.id));
  const fresh = await tx
    .select()
    .from(orgUnits)
    .where(eq(orgUnits.level, values[0]?.level ?? 'grid'));
  return fresh.filter((u) => ids.has(u.id)).sort((a, b) => a.code.localeCompare(b.code));
}

export async function seedDemo(
  db: Db,
  opts: { crypto: FieldCrypto; demoPassword: string },
): Promise<DemoAccount[]> {
  const { streets, communities } = countyDivisions(demoDistrict.code);
  const areas = demoAreas(streets, communities);
  const passwordHash = await hashPassword(opts.demoPassword);
  return db.transaction(async (tx) => {
    const [district] = await insertUnits(tx, [
      {
        code: demoDistrict.code,
        name: demoDistrict.name,
        level: 'district',
        parent: null,
        geometry: areas.district,
      },
    ]);
    if (!district) throw new Error('district not inserted');

    const streetRows = await insertUnits(
      tx,
      streets.map((s) => ({
        code: s.code,
        name: s.name,
        level: 'street' as const,
        parent: district,
        geometry: areas.streets.get(s.code) as AreaGeometry,
      })),
    );
    const streetByCode = new Map(streetRows.map((s) => [s.code, s]));
    const communityRows = await insertUnits(
      tx,
      communities.map((c) => ({
        code: c.code,
        name: displayName(c.name),
        level: 'community' as const,
        parent: streetByCode.get(c.parentCode) as UnitRow,
        geometry: areas.communities.get(c.code) as AreaGeometry,
      })),
    );

    const gridValues = communityRows.flatMap((c) =>
      (areas.grids.get(c.code) ?? []).map((g, i) => ({
        code: `${c.code}${String(i + 1).padStart(3, '0')}`,
        name: `${c.name}第${i + 1}网格`,
        level: 'grid' as const,
        parent: c,
        geometry: g.geometry,
        householdsTarget: g.householdsTarget,
      })),
    );
    const gridRows = await insertUnits(tx, gridValues);

    const deptRows = await tx
      .insert(departments)
      .values(demoDepartments.map(([code, name]) => ({ code, name })))
      .returning();

    const roleRows = await tx.select({ id: roles.id, code: roles.code, name: roles.name }).from(roles);
    const roleId = new Map(roleRows.map((r) => [r.code, r.id]));
    const roleName = new Map(roleRows.map((r) => [r.code, r.name]));
    const byName = (name: string, rows: UnitRow[]) => {
      const u = rows.find((r) => r.name === name);
      if (!u) throw new Error(`demo unit ${name} not found`);
      return u;
    };
    const huanghe = byName('黄河西路街道', streetRows);
    const baoli = byName('保利新华社区', communityRows);
    const baoliGrid1 = gridRows.find((g) => g.code === `${baoli.code}001`) as UnitRow;
    const chengguan = deptRows.find((d) => d.code === 'chengguan');

    const rand = seeded('kundulun-staff');
    const staff = (
      username: string,
      roleCode: string,
      unit: UnitRow | null,
      displayName = personName(rand),
      departmentId: number | null = null,
    ): NewUser => ({
      username,
      displayName,
      phoneEnc: opts.crypto.encrypt(mobile(rand)),
      passwordHash,
      mustChangePassword: false,
      orgUnitId: unit?.id ?? null,
      orgPath: unit?.path ?? null,
      departmentId,
      roleCode,
    });

    const named: (NewUser & { unitName: string })[] = [
      { ...staff('admin', 'systemAdmin', district, '系统管理员'), unitName: district.name },
      { ...staff('security', 'securityAdmin', district, '安全管理员'), unitName: district.name },
      { ...staff('auditor', 'auditAdmin', district, '审计管理员'), unitName: district.name },
      { ...staff('district', 'districtCommand', district), unitName: `${district.name}指挥中心` },
      { ...staff('screen', 'screenDisplay', district, '指挥中心大屏'), unitName: `${district.name}指挥中心` },
      { ...staff('street', 'streetCentre', huanghe), unitName: huanghe.name },
      { ...staff('community', 'communityWorkstation', baoli), unitName: baoli.name },
      { ...staff('gridworker', 'gridWorker', baoliGrid1), unitName: baoliGrid1.name },
      { ...staff('dept', 'departmentHandler', null, undefined, chengguan?.id ?? null), unitName: '城管' },
      { ...staff('clerk', 'serviceClerk', baoli), unitName: baoli.name },
      { ...staff('mediator', 'mediator', huanghe), unitName: huanghe.name },
      {
        ...staff('operator', 'eldercareOperator', district),
        unitName: `${district.name} 12349 为老服务热线`,
      },
      // A provider's staff hangs under the community the provider is based in; what it sees is
      // its provider's orders (provider_staff, bound by the eldercare-orders seed), not the unit.
      { ...staff('provider', 'serviceProvider', baoli), unitName: '保利新华居家养老服务站' },
      { ...staff('resident', 'resident', baoliGrid1), unitName: baoliGrid1.name },
      // 双报到: an in-service party member who reported to 保利新华社区; he claims and fulfils its wishes.
      { ...staff('volunteer', 'volunteer', baoli), unitName: `${baoli.name}（双报到党员）` },
    ];
    const generated: NewUser[] = [
      ...streetRows.map((s) => staff(`s${s.code}`, 'streetCentre', s)),
      ...communityRows.map((c) => staff(`c${c.code}`, 'communityWorkstation', c)),
      ...deptRows
        .filter((d) => d.code !== 'chengguan')
        .map((d) => staff(`d${d.code}`, 'departmentHandler', null, undefined, d.id)),
    ];
    const team: {
      username: string;
      gridCode: string;
      role: 'gridManager' | 'gridAssistant' | 'gridInformant';
    }[] = [];
    for (const g of gridRows) {
      const members = [
        ['m', 'gridManager'],
        ['a1', 'gridAssistant'],
        ['a2', 'gridAssistant'],
        ['i1', 'gridInformant'],
      ] as const;
      for (const [suffix, role] of members) {
        // The demo grid worker is the manager of 保利新华社区第1网格.
        const username =
          g.id === baoliGrid1.id && role === 'gridManager' ? 'gridworker' : `g${g.code}${suffix}`;
        if (username !== 'gridworker') generated.push(staff(username, 'gridWorker', g));
        team.push({ username, gridCode: g.code, role });
      }
    }

    const all = [...named, ...generated];
    const idOf = new Map<string, string>();
    await insertChunks(all, 500, async (chunk) => {
      const rows = await tx
        .insert(users)
        .values(
          chunk.map(({ roleCode: _r, ...u }) => {
            const { unitName: _n, ...rest } = u as NewUser & { unitName?: string };
            return rest;
          }),
        )
        .returning({ id: users.id, username: users.username });
      for (const r of rows) idOf.set(r.username, r.id);
    });
    await insertChunks(all, 1000, (chunk) =>
      tx.insert(userRoles).values(
        chunk.map((u) => ({
          userId: idOf.get(u.username) as string,
          roleId: roleId.get(u.roleCode) as number,
        })),
      ),
    );
    const gridId = new Map(gridRows.map((g) => [g.code, g.id]));
    await insertChunks(team, 1000, (chunk) =>
      tx.insert(gridTeamMembers).values(
        chunk.map((m) => ({
          gridId: gridId.get(m.gridCode) as number,
          userId: idOf.get(m.username) as string,
          role: m.role,
        })),
      ),
    );

    return named.map((u) => ({
      username: u.username,
      displayName: u.displayName,
      role: roleName.get(u.roleCode) ?? u.roleCode,
      unit: u.unitName,
    }));
  });
}
