import { builtInRoles, type Permission } from '@civicgrid/core';
import sharp from 'sharp';
import { roles } from '../../modules/accounts/tables.js';
import { ensureCareDefaults } from '../../modules/care/service.js';
import { ensureCaseDefaults } from '../../modules/cases/defaults.js';
import { hashPassword } from '../../platform/auth/password.js';
import { totpAt } from '../../platform/auth/totp.js';
import { makeTerritory, testPassword } from '../factories.js';
import { Fixtures, insertUnit, type Loc, must, square, type Unit } from './fixtures.js';
import type { Client, RoleUser } from './model.js';

export type { Loc } from './fixtures.js';

/**
 * Where each built-in role's test user sits (the brief of issue 12): district roles at the
 * district, the street centre at a street, community-level roles at a community, the grid
 * worker at a grid, the department handler in a department, the three administrators
 * bound to nothing (the whole installation). A new built-in role fails the matrix until it
 * is placed here.
 */
const placement: Record<string, 'global' | 'district' | 'street' | 'community' | 'grid' | 'department'> = {
  systemAdmin: 'global',
  securityAdmin: 'global',
  auditAdmin: 'global',
  districtCommand: 'district',
  screenDisplay: 'district',
  streetCentre: 'street',
  communityWorkstation: 'community',
  serviceClerk: 'community',
  mediator: 'community',
  resident: 'community',
  eldercareOperator: 'district',
  serviceProvider: 'community',
  volunteer: 'community',
  gridWorker: 'grid',
  departmentHandler: 'department',
  propertyStaff: 'department',
};

/** Every role but the three administrators' and the read-only display's, for the setup user. */
const setupPermissions: Permission[] = [
  ...new Set(builtInRoles.flatMap((r) => r.permissions as Permission[])),
].filter(
  (p) =>
    !p.startsWith('user:') &&
    !p.startsWith('role:') &&
    !['audit:read', 'pii:reveal', 'screen:display'].includes(p),
);

/** The matrix's world: two districts, one logged-in test user per built-in role, the fixtures. */
export class World extends Fixtures {
  readonly roles: RoleUser[] = [];
  private addresses = 0;

  async build(): Promise<void> {
    const { db } = this;
    let t0 = performance.now();
    const lap = (what: string) => {
      if (process.env.MATRIX_DEBUG) console.log(`setup: ${what} ${Math.round(performance.now() - t0)} ms`);
      t0 = performance.now();
    };
    this.passwordHash = await hashPassword(testPassword);
    const t = await makeTerritory(db);
    // A second district, so that district roles have an outside too.
    const d2 = await insertUnit(db, null, '150204', '测试二区', 'district');
    const s2 = await insertUnit(db, d2, '150204001', '测试二区一街道', 'street');
    const c2 = await insertUnit(db, s2, '150204001001', '测试二区一社区', 'community');
    const g2 = await insertUnit(
      db,
      c2,
      '150204001001001',
      '测试二区一社区第1网格',
      'grid',
      square(110.2, 40.6, 0.01),
    );
    await ensureCaseDefaults(db);
    await ensureCareDefaults(db);
    const units = new Map<number, Unit>(
      [...t.streets, ...t.communities, t.district, d2, s2, c2].map((u) => [u.id, u]),
    );
    const loc = (key: Loc['key'], grid: Unit): Loc => {
      const community = units.get(grid.parentId as number) as Unit;
      const street = units.get(community.parentId as number) as Unit;
      const district = units.get(street.parentId as number) as Unit;
      const ring = (grid.geometry as { coordinates: [number, number][][] }).coordinates[0] as [
        number,
        number,
      ][];
      const [lng, lat] = ring[0] as [number, number];
      return { key, grid, community, street, district, centre: { lat: lat + 0.005, lng: lng + 0.005 } };
    };
    const [gA, gB, gC, , gD] = t.grids as Unit[];
    // A: inside every unit-bound user; B: the grid worker's sibling grid; C: another community
    // of the same street; D: the other street; E: the other district.
    Object.assign(this.locs, {
      A: loc('A', gA as Unit),
      B: loc('B', gB as Unit),
      C: loc('C', gC as Unit),
      D: loc('D', gD as Unit),
      E: loc('E', g2),
    });
    const [own, other] = t.departments;
    this.ownDept = (own as { id: number }).id;
    this.otherDept = (other as { id: number }).id;

    lap('territory');
    const [setupRole] = await db
      .insert(roles)
      .values({ code: 'matrixSetup', name: '矩阵测试数据', permissions: setupPermissions })
      .returning();
    const setupUser = await this.insertUser('matrix.setup', [(setupRole as { id: number }).id], {});
    this.setup = (await this.login(setupUser.username)).client;
    this.setupUserId = setupUser.id;

    for (const role of builtInRoles) {
      const at = placement[role.code];
      if (!at) throw new Error(`built-in role ${role.code} has no place in the matrix (matrix/world.ts)`);
      const bind = this.bindingOf(role.code);
      const u = await this.insertUser(`m.${role.code}`, [await this.roleId(role.code)], bind);
      const { client, me } = await this.login(u.username);
      const home = this.locs.A;
      const away =
        this.locs[
          ({ global: 'E', district: 'E', street: 'D', community: 'C', grid: 'B', department: 'E' } as const)[
            at
          ]
        ];
      const unit = bind.orgUnit;
      this.roles.push({
        code: role.code,
        permissions: new Set(role.permissions),
        global: at === 'global',
        path: unit?.path ?? null,
        level: unit?.level ?? null,
        departmentId: bind.departmentId ?? null,
        totpRequired: me.totpRequired,
        userId: u.id,
        home,
        away,
        client,
      });
      if (role.code === 'gridWorker') this.workers.set('A', u.id);
    }
    lap('role users');
    // Care workers of the other grids (whoever a care case there is assigned to).
    for (const key of ['B', 'C', 'D', 'E'] as const) {
      const u = await this.insertUser(`m.worker.${key}`, [await this.roleId('gridWorker')], {
        orgUnit: this.locs[key].grid,
      });
      this.workers.set(key, u.id);
    }
    this.png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const template = async (kind: string) =>
      (await must(this.setup.inject({ url: `/api/imports/templates/${kind}.xlsx` }), `${kind} template`))
        .rawPayload;
    this.residentTemplate = await template('residents');
    this.buildingTemplate = await template('buildings');
    this.organizationTemplate = await template('organizations');
    const category = await this.create('/api/case-categories', {
      code: 'MXBASE',
      name: '矩阵分类',
      handlerKind: 'community',
    });
    this.caseCategory = category.code as string;
    lap('templates and categories');
    const cats = await must(this.setup.inject({ url: '/api/care/categories' }), 'care categories');
    this.careCategory = (cats.json() as { items: { code: string }[] }).items[0]?.code as string;
  }

  role(code: string): RoleUser {
    const r = this.roles.find((x) => x.code === code);
    if (!r) throw new Error(`no role ${code}`);
    return r;
  }

  private bindingOf(code: string): { orgUnit?: Unit; departmentId?: number } {
    const A = this.locs.A;
    switch (placement[code]) {
      case 'district':
        return { orgUnit: A.district };
      case 'street':
        return { orgUnit: A.street };
      case 'community':
        return { orgUnit: A.community };
      case 'grid':
        return { orgUnit: A.grid };
      case 'department':
        return { departmentId: this.ownDept };
      default:
        return {};
    }
  }

  /** Each login comes from its own address, so the per-address login limit never binds. */
  private nextAddress(): string {
    this.addresses += 1;
    return `10.${(this.addresses >> 16) & 255}.${(this.addresses >> 8) & 255}.${this.addresses & 255}`;
  }

  /**
   * Logs a user in once and returns a browser-like client (cookie, CSRF header, address).
   * An account whose role requires TOTP is enrolled first (setup + confirm), unless asked not to.
   */
  async login(username: string, opts: { enrol?: boolean } = {}) {
    const address = this.nextAddress();
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: testPassword },
      remoteAddress: address,
    });
    if (res.statusCode !== 200)
      throw new Error(`login ${username}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    const cookie = `cg_session=${res.cookies.find((c) => c.name === 'cg_session')?.value}`;
    const me = res.json() as { csrfToken: string; totpRequired: boolean; totpEnabled: boolean };
    const client: Client = {
      inject: (req) =>
        this.app.inject({
          method: (req.method ?? 'GET') as 'GET',
          url: req.url,
          ...(req.payload === undefined ? {} : { payload: req.payload as string }),
          headers: { cookie, 'x-csrf-token': me.csrfToken, ...(req.headers ?? {}) },
          remoteAddress: address,
        }),
    };
    if (opts.enrol !== false && me.totpRequired && !me.totpEnabled) await this.enrolTotp(client);
    return { client, me };
  }

  async enrolTotp(client: Client): Promise<string> {
    const setup = await must(client.inject({ method: 'POST', url: '/api/auth/totp/setup' }), 'totp setup');
    const { secret } = setup.json() as { secret: string };
    await must(
      client.inject({
        method: 'POST',
        url: '/api/auth/totp/confirm',
        payload: { code: totpAt(secret, Date.now()) },
      }),
      'totp confirm',
    );
    return secret;
  }

  /** A new account of a role, bound where the role's test user is (for the login row). */
  async freshUser(code: string) {
    return this.insertUser(`m.${code}.${this.next()}`, [await this.roleId(code)], this.bindingOf(code));
  }

  /**
   * A second account of a role, logged in once and not enrolled in TOTP: the rows that
   * change one's own credentials use it in turn (TOTP setup, confirm, disable, password,
   * logout last), so the role's own session lives on.
   */
  self(code: string): Promise<{ client: Client; secret: string | null }> {
    return this.once(`self:${code}`, false, async () => {
      const u = await this.freshUser(code);
      const { client } = await this.login(u.username, { enrol: false });
      return { client, secret: null };
    });
  }
}
