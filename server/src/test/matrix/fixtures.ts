import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { creditCodeCheckChar, idNumberCheckChar } from '@civicgrid/core';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { roles, userRoles, users } from '../../modules/accounts/tables.js';
import { files, notifications } from '../../modules/cases/tables.js';
import { patrols } from '../../modules/fieldwork/tables.js';
import { departments, orgUnits } from '../../modules/org/tables.js';
import { loadActor } from '../../platform/auth/load.js';
import { accessTokens } from '../../platform/auth/tables.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { createLocalFileStore } from '../../platform/files.js';
import { startImport } from '../../platform/importer.js';
import type { Cell, Client, RoleUser } from './model.js';

export type Unit = typeof orgUnits.$inferSelect;

/** A grid where resources are made, with the units above it and a point inside it. */
export interface Loc {
  key: 'A' | 'B' | 'C' | 'D' | 'E';
  grid: Unit;
  community: Unit;
  street: Unit;
  district: Unit;
  centre: { lat: number; lng: number };
}

export function square(lng: number, lat: number, size: number) {
  const ring: [number, number][] = [
    [lng, lat],
    [lng + size, lat],
    [lng + size, lat + size],
    [lng, lat + size],
    [lng, lat],
  ];
  return { type: 'Polygon' as const, coordinates: [ring] };
}

export async function insertUnit(
  db: Db,
  parent: Unit | null,
  code: string,
  name: string,
  level: Unit['level'],
  geometry: ReturnType<typeof square> | null = null,
): Promise<Unit> {
  const [row] = await db
    .insert(orgUnits)
    .values({ code, name, level, parentId: parent?.id ?? null, path: 'pending', geometry })
    .returning();
  const [done] = await db
    .update(orgUnits)
    .set({ path: `${parent?.path ?? '/'}${(row as Unit).id}/` })
    .where(eq(orgUnits.id, (row as Unit).id))
    .returning();
  return done as Unit;
}

/** Fails the setup loudly: a fixture that could not be made is not a matrix cell. */
export async function must(res: LightMyRequestResponse | Promise<LightMyRequestResponse>, what: string) {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(`setup: ${what} → ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r;
}

/**
 * The resources the matrix works on, each made through the API as the setup user (or
 * written directly where only its owner could make it), once per place and shared — or
 * afresh for a cell that is expected to change it.
 */
export class Fixtures {
  readonly locs = {} as Record<Loc['key'], Loc>;
  setup!: Client;
  setupUserId!: string;
  /** The department of the department handler, and another one. */
  ownDept!: number;
  otherDept!: number;
  png!: Buffer;
  residentTemplate!: Buffer;
  buildingTemplate!: Buffer;
  organizationTemplate!: Buffer;
  careCategory!: string;
  caseCategory!: string;
  protected passwordHash!: string;
  protected workers = new Map<Loc['key'], string>();
  private memo = new Map<string, Promise<unknown>>();
  private seq = 0;
  private readonly fileStore;

  constructor(
    readonly app: FastifyInstance,
    readonly deps: AppDeps,
  ) {
    this.fileStore = createLocalFileStore(join(deps.config.dataDir, 'files'));
  }

  get db(): Db {
    return this.deps.db;
  }

  next(): number {
    this.seq += 1;
    return this.seq;
  }

  protected async roleId(code: string): Promise<number> {
    const [r] = await this.db.select({ id: roles.id }).from(roles).where(eq(roles.code, code));
    if (!r) throw new Error(`no role ${code}`);
    return r.id;
  }

  /** A user row with the test password (hashed once: argon2 per user would cost seconds). */
  async insertUser(username: string, roleIds: number[], bind: { orgUnit?: Unit; departmentId?: number }) {
    const [row] = await this.db
      .insert(users)
      .values({
        username,
        displayName: `测试${username}`,
        passwordHash: this.passwordHash,
        mustChangePassword: false,
        orgUnitId: bind.orgUnit?.id ?? null,
        orgPath: bind.orgUnit?.path ?? null,
        departmentId: bind.departmentId ?? null,
        phoneEnc: this.deps.crypto.encrypt(`139${String(this.next()).padStart(8, '0')}`),
      })
      .returning();
    const user = row as typeof users.$inferSelect;
    if (roleIds.length)
      await this.db.insert(userRoles).values(roleIds.map((roleId) => ({ userId: user.id, roleId })));
    return user;
  }

  /** Made once per key, or afresh when the cell will run the handler (a write that changes it). */
  protected once<T>(key: string, fresh: boolean, make: () => Promise<T>): Promise<T> {
    if (fresh) return make();
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.memo.set(key, p);
    }
    return p;
  }

  protected async create(
    url: string,
    payload: unknown,
    client = this.setup,
  ): Promise<Record<string, unknown>> {
    return (await must(client.inject({ method: 'POST', url, payload }), `POST ${url}`)).json();
  }

  /** A valid GB 11643 number nobody else has. */
  idNumber(): string {
    const n = this.next();
    const day = new Date(Date.UTC(1950, 0, 1) + n * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    const first17 = `150203${day}${String(100 + (n % 800)).padStart(3, '0')}`;
    return first17 + idNumberCheckChar(first17);
  }

  /** A valid GB 32100 credit code nobody else has. */
  creditCode(): string {
    const first17 = `91150203MA${String(this.next()).padStart(7, '0')}`;
    return first17 + creditCodeCheckChar(first17);
  }

  resident(loc: Loc, fresh = false): Promise<string> {
    return this.once(`resident:${loc.key}`, fresh, async () => {
      const r = await this.create('/api/residents', {
        name: `居民${this.next()}`,
        idNumber: this.idNumber(),
        phone: `138${String(this.next()).padStart(8, '0')}`,
        gridId: loc.grid.id,
      });
      return r.id as string;
    });
  }

  building(loc: Loc, fresh = false): Promise<number> {
    return this.once(`building:${loc.key}`, fresh, async () => {
      const n = this.next();
      const b = await this.create('/api/buildings', {
        name: `${n}号楼`,
        address: `测试路${n}号`,
        floors: 6,
        gridId: loc.grid.id,
        ...loc.centre,
      });
      return b.id as number;
    });
  }

  housingUnit(loc: Loc, fresh = false): Promise<number> {
    return this.once(`housingUnit:${loc.key}`, fresh, async () => {
      const b = await this.building(loc);
      const u = await this.create(`/api/buildings/${b}/units`, {
        unitNo: 1,
        floor: 1,
        room: String(this.next() % 100),
      });
      return u.id as number;
    });
  }

  household(loc: Loc, fresh = false): Promise<number> {
    return this.once(`household:${loc.key}`, fresh, async () => {
      const h = await this.create('/api/households', { gridId: loc.grid.id });
      return h.id as number;
    });
  }

  organization(loc: Loc, fresh = false): Promise<number> {
    return this.once(`organization:${loc.key}`, fresh, async () => {
      const o = await this.create('/api/organizations', {
        name: `测试单位${this.next()}`,
        creditCode: this.creditCode(),
        kind: 'shop',
        address: '测试路1号',
        gridId: loc.grid.id,
      });
      return o.id as number;
    });
  }

  facility(loc: Loc, fresh = false): Promise<number> {
    return this.once(`facility:${loc.key}`, fresh, async () => {
      const f = await this.create('/api/facilities', {
        typeCode: '0103',
        name: `路灯${this.next()}`,
        gridId: loc.grid.id,
        ...loc.centre,
      });
      return f.id as number;
    });
  }

  /** Who a care case at a place is assigned to: at A the grid worker under test. */
  worker(loc: Loc): string {
    return this.workers.get(loc.key) as string;
  }

  careCase(loc: Loc, fresh = false): Promise<string> {
    return this.once(`careCase:${loc.key}`, fresh, async () => {
      const c = await this.create('/api/care/cases', {
        residentId: await this.resident(loc, true),
        categoryCode: this.careCategory,
        riskLevel: 'low',
        workerIds: [this.worker(loc)],
      });
      return c.id as string;
    });
  }

  /** A patrol walked by one user in a place (written directly: only its owner may start one). */
  patrol(userId: string, loc: Loc, fresh = false): Promise<string> {
    return this.once(`patrol:${userId}:${loc.key}`, fresh, async () => {
      const id = randomUUID();
      await this.db.insert(patrols).values({
        id,
        userId,
        userName: '巡查员',
        gridId: loc.grid.id,
        orgPath: loc.grid.path,
        startedAt: new Date(Date.now() - 3_600_000),
      });
      return id;
    });
  }

  /**
   * A case in a state, reported by the setup user (or by `reporter`) at a place, accepted
   * and dispatched to a department by the setup user as the state asks.
   */
  async case(
    loc: Loc,
    state: 'reported' | 'accepted' | 'dispatched',
    opts: { dept?: number; reporter?: Client; fresh?: boolean } = {},
  ): Promise<string> {
    const key = `case:${loc.key}:${state}:${opts.dept ?? ''}:${opts.reporter ? 'own' : ''}`;
    return this.once(key, opts.fresh ?? false, async () => {
      const c = await this.create(
        '/api/cases',
        {
          description: '路灯不亮，夜间出行不便',
          categoryCode: 'C0103',
          channel: opts.reporter ? 'resident_app' : 'hotline_12345',
          location: loc.centre,
          idempotencyKey: randomUUID(),
        },
        opts.reporter ?? this.setup,
      );
      const id = c.id as string;
      if (state !== 'reported') await this.create(`/api/cases/${id}/actions/accept`, {});
      if (state === 'dispatched')
        await this.create(`/api/cases/${id}/actions/dispatch`, {
          assignee: { kind: 'department', id: opts.dept ?? this.ownDept },
        });
      return id;
    });
  }

  /**
   * The case a cell works on. Who sees a case (cases/policy.ts): the jurisdiction holding
   * it (with case:read), the departments it went to, its reporter. So a department
   * handler's case inside is one dispatched to its department (outside: to another); a
   * resident's is one it reported (outside: someone else's); anyone else's lies at the
   * cell's place.
   */
  caseFor(c: Cell, state: 'reported' | 'accepted' | 'dispatched', fresh = false): Promise<string> {
    const r = c.role;
    if (r.departmentId !== null)
      return this.case(this.locs.A, 'dispatched', {
        dept: c.where === 'in' ? r.departmentId : this.otherDept,
        fresh,
      });
    if (reportsOwnCases(r) && c.where === 'in')
      return this.case(this.locs.A, state, { reporter: r.client, fresh });
    return this.case(c.loc, state, { fresh });
  }

  /** A photo owned by a user, not yet attached to anything. */
  file(ownerId: string): Promise<string> {
    return this.once(`file:${ownerId}`, false, async () => {
      const stored = await this.fileStore.saveImage(this.png);
      const [f] = await this.db
        .insert(files)
        .values({ ...stored, sha256: randomBytes(32).toString('hex'), ownerId })
        .returning({ id: files.id });
      return (f as { id: string }).id;
    });
  }

  /** An import started by a user (an empty template: it finishes at once). */
  importJob(userId: string): Promise<string> {
    return this.once(`import:${userId}`, false, async () => {
      const [u] = await this.db.select().from(users).where(eq(users.id, userId));
      const actor = await loadActor(this.db, u as typeof users.$inferSelect, 'session', null);
      return startImport(
        this.db,
        'residents',
        actor,
        { name: 'residents.xlsx', data: this.residentTemplate },
        { ip: null, userAgent: null },
      );
    });
  }

  /** An access token of a user (written directly: the read-only display may not make one). */
  token(userId: string, fresh = false): Promise<string> {
    return this.once(`token:${userId}`, fresh, async () => {
      const [t] = await this.db
        .insert(accessTokens)
        .values({ userId, name: '矩阵', prefix: 'cgp_matr', tokenHash: randomBytes(32).toString('hex') })
        .returning({ id: accessTokens.id });
      return (t as { id: string }).id;
    });
  }

  notification(userId: string, fresh = false): Promise<number> {
    return this.once(`notification:${userId}`, fresh, async () => {
      const [n] = await this.db
        .insert(notifications)
        .values({ userId, kind: 'case.reported', title: '矩阵通知' })
        .returning({ id: notifications.id });
      return (n as { id: number }).id;
    });
  }

  async notificationRead(id: number): Promise<boolean> {
    const [n] = await this.db.select().from(notifications).where(eq(notifications.id, id));
    return !!n?.readAt;
  }

  /** An account bound at a place (a target for the user-administration routes). */
  targetUser(loc: Loc, fresh = false): Promise<string> {
    return this.once(`user:${loc.key}`, fresh, async () => {
      const u = await this.insertUser(`m.target.${this.next()}`, [await this.roleId('gridWorker')], {
        orgUnit: loc.grid,
      });
      return u.id;
    });
  }

  customRole(fresh = false): Promise<number> {
    return this.once('role', fresh, async () => {
      const [r] = await this.db
        .insert(roles)
        .values({ code: `matrix${this.next()}`, name: `矩阵角色${this.next()}`, permissions: ['case:read'] })
        .returning({ id: roles.id });
      return (r as { id: number }).id;
    });
  }

  tag(fresh = false): Promise<number> {
    return this.once('tag', fresh, async () => {
      const t = await this.create('/api/resident-tags', { name: `标签${this.next()}` });
      return t.id as number;
    });
  }

  /** A new, empty grid beside the place's (for the org writes: retire, move, team). */
  grid(loc: Loc, fresh = false): Promise<number> {
    return this.once(`grid:${loc.key}`, fresh, () => this.newGrid(loc));
  }

  private async newGrid(loc: Loc): Promise<number> {
    // The next free code below the community, as the org service numbers them.
    const [row] = await this.db
      .select({ max: sql<string | null>`max(${orgUnits.code})` })
      .from(orgUnits)
      .where(eq(orgUnits.parentId, loc.community.id));
    const n = Number(row?.max?.slice(-3) ?? 0) + 1;
    const code = `${loc.community.code}${String(n).padStart(3, '0')}`;
    const g = await insertUnit(this.db, loc.community, code, `矩阵网格${code}`, 'grid');
    return g.id;
  }

  department(fresh = false): Promise<number> {
    return this.once('department', fresh, async () => {
      const n = this.next();
      const [d] = await this.db
        .insert(departments)
        .values({ code: `matrix${n}`, name: `矩阵部门${n}` })
        .returning({ id: departments.id });
      return (d as { id: number }).id;
    });
  }

  /** Three active accounts: one grid manager and two assistants, a valid team. */
  team() {
    const [a, b, c] = (['B', 'C', 'D'] as const).map((k) => this.workers.get(k) as string);
    return [
      { userId: a, role: 'gridManager' },
      { userId: b, role: 'gridAssistant' },
      { userId: c, role: 'gridAssistant' },
    ];
  }
}

/** A role that reports but does not read cases (a resident) sees only its own reports. */
export function reportsOwnCases(r: RoleUser): boolean {
  return !r.permissions.has('case:read') && r.permissions.has('case:report');
}
