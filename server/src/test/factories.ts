import { builtInRoles } from '@civicgrid/core';
import { hash } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { departments, orgUnits } from '../modules/org/tables.js';
import { totpAt } from '../platform/auth/totp.js';
import type { Db } from '../platform/db.js';
import type { AppDeps } from '../platform/deps.js';

export const testPassword = 'Test@2026pw';

/**
 * The password hash of a made account: argon2id as the server stores it, at the lowest cost
 * (1 MiB, one pass) instead of the server's 64 MiB and three passes. The server reads the
 * cost from the hash itself, so logging such an account in is as cheap: hundreds of made
 * accounts and logins no longer spend ~0.1 s of a core each (seconds on a busy machine).
 * Only accounts made here are cheap: a password the server itself sets (create, change,
 * reset, the seed) is hashed by password.ts as in production.
 */
function testPasswordHash(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* Argon2id */, memoryCost: 1024, timeCost: 1, parallelism: 1 });
}

type Unit = typeof orgUnits.$inferSelect;

function square(lng: number, lat: number, size: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ] as [number, number][],
    ],
  };
}

async function unit(
  db: Db,
  parent: Unit | null,
  code: string,
  name: string,
  level: Unit['level'],
  geometry?: ReturnType<typeof square>,
) {
  const [row] = await db
    .insert(orgUnits)
    .values({ code, name, level, parentId: parent?.id ?? null, path: 'pending', geometry: geometry ?? null })
    .returning();
  const r = row as Unit;
  const [done] = await db
    .update(orgUnits)
    .set({ path: `${parent?.path ?? '/'}${r.id}/` })
    .where(eq(orgUnits.id, r.id))
    .returning();
  return done as Unit;
}

/**
 * A small territory: one district, two streets, two communities each, two grids per
 * community (unit squares of 0.01° side near Baotou), and two departments.
 */
export async function makeTerritory(db: Db) {
  const district = await unit(db, null, '150203', '昆都仑区', 'district');
  const streets: Unit[] = [];
  const communities: Unit[] = [];
  const grids: Unit[] = [];
  for (let s = 1; s <= 2; s++) {
    const street = await unit(db, district, `150203${String(s).padStart(3, '0')}`, `测试${s}街道`, 'street');
    streets.push(street);
    for (let c = 1; c <= 2; c++) {
      const community = await unit(
        db,
        street,
        `${street.code}${String(c).padStart(3, '0')}`,
        `测试${s}-${c}社区`,
        'community',
      );
      communities.push(community);
      for (let g = 1; g <= 2; g++) {
        const lng = 109.8 + s * 0.04 + c * 0.02 + g * 0.01;
        grids.push(
          await unit(
            db,
            community,
            `${community.code}${String(g).padStart(3, '0')}`,
            `${community.name}第${g}网格`,
            'grid',
            square(lng, 40.6, 0.01),
          ),
        );
      }
    }
  }
  const depts = await db
    .insert(departments)
    .values([
      { code: 'chengguan', name: '城管' },
      { code: 'zhujian', name: '住建' },
    ])
    .returning();
  return { district, streets, communities, grids, departments: depts };
}

export interface MakeUser {
  username: string;
  roles: string[];
  orgUnit?: Unit;
  departmentId?: number;
  password?: string;
  mustChangePassword?: boolean;
  /**
   * Enrol an authenticator (secret `testTotpSecret`) so `login` passes the second factor.
   * Default: when one of the roles is an administrator's, whose role demands it.
   */
  totp?: boolean;
}

/** The authenticator secret of every account `makeUser` enrols (RFC 4648 base32). */
export const testTotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const totpMandatory = new Set(builtInRoles.filter((r) => r.totpRequired).map((r) => r.code));
/** Accounts of this test file that makeUser enrolled. */
const enrolled = new Set<string>();

export async function makeUser(deps: AppDeps, u: MakeUser) {
  const totp = u.totp ?? u.roles.some((r) => totpMandatory.has(r));
  const [row] = await deps.db
    .insert(users)
    .values({
      username: u.username,
      displayName: `测试${u.username}`,
      passwordHash: await testPasswordHash(u.password ?? testPassword),
      mustChangePassword: u.mustChangePassword ?? false,
      orgUnitId: u.orgUnit?.id ?? null,
      orgPath: u.orgUnit?.path ?? null,
      departmentId: u.departmentId ?? null,
      ...(totp ? { totpSecretEnc: deps.crypto.encrypt(testTotpSecret), totpEnabledAt: new Date() } : {}),
    })
    .returning();
  const user = row as typeof users.$inferSelect;
  if (totp) enrolled.add(u.username);
  for (const code of u.roles) {
    const [role] = await deps.db.select().from(roles).where(eq(roles.code, code));
    if (!role) throw new Error(`no role ${code}`);
    await deps.db.insert(userRoles).values({ userId: user.id, roleId: role.id });
  }
  return user;
}

/**
 * What an authenticator would show, for an account makeUser enrolled. The server takes
 * each 30-second step once and accepts the next one early (clock drift), so a test that
 * logs the same account in twice within a step uses the next step's code.
 */
const lastStep = new Map<string, number>();
function secondFactor(username: string): { totp?: string } {
  if (!enrolled.has(username)) return {};
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (lastStep.get(username) ?? -1) + 1);
  lastStep.set(username, step);
  return { totp: totpAt(testTotpSecret, step * 30_000) };
}

/** A logged-in browser: keeps the cookie and sends the CSRF header on writes. */
export interface Session {
  cookie: string;
  csrf: string;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export async function login(
  app: FastifyInstance,
  username: string,
  password = testPassword,
  extra: Record<string, unknown> = {},
): Promise<Session> {
  const attempt = () =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password, ...secondFactor(username), ...extra },
    });
  let res = await attempt();
  // A server may refuse a code already used (replay): the next 30-second step brings a new one.
  if (res.statusCode === 401 && enrolled.has(username) && res.json().code === 'TOTP_INVALID') {
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
    res = await attempt();
  }
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'cg_session');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `cg_session=${setCookie.value}`;
  const csrf = res.json().csrfToken as string;
  const inject = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  return {
    cookie,
    csrf,
    inject,
    get: (url) => inject({ method: 'GET', url }),
    post: (url, payload) =>
      inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) }),
    patch: (url, payload) => inject({ method: 'PATCH', url, payload: payload as object }),
    put: (url, payload) => inject({ method: 'PUT', url, payload: payload as object }),
    del: (url) => inject({ method: 'DELETE', url }),
  };
}
