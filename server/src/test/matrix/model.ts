import type { Permission } from '@civicgrid/core';
import type { LightMyRequestResponse } from 'fastify';
import type { Access } from '../../platform/http.js';
import type { Loc, World } from './world.js';

/**
 * The authorization matrix (DESIGN.md §8): a row per route of the OpenAPI document, run as
 * every built-in role against a resource inside and outside the role's jurisdiction. A
 * cell's expected answer is computed from the row's access, the role's permissions and the
 * scope — the row only states what is particular to its route.
 */

export type Where = 'in' | 'out';

/** One test user of a built-in role, logged in once. */
export interface RoleUser {
  code: string;
  permissions: ReadonlySet<Permission>;
  /** Bound to no unit and no department: the whole installation. */
  global: boolean;
  /** The materialised path of the user's unit; null for department and global users. */
  path: string | null;
  level: 'district' | 'street' | 'community' | 'grid' | null;
  departmentId: number | null;
  /** Its role requires TOTP (the test user is enrolled). */
  totpRequired: boolean;
  userId: string;
  /** Resources in its jurisdiction live here… */
  home: Loc;
  /** …and the nearest place outside it is here. */
  away: Loc;
  client: Client;
}

export interface Req {
  /** By default the row's path as it is. */
  url?: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Sent by this client instead of the role's own (a fresh login, for one's own credentials). */
  as?: Client;
}

export interface Client {
  inject(req: {
    method?: string;
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse>;
}

export interface Cell {
  w: World;
  role: RoleUser;
  where: Where;
  /** The place of the cell's resource: the role's home (in) or away (out). */
  loc: Loc;
  /**
   * The cell is expected to succeed: a row whose request changes its resource (closes,
   * retires, moves it) asks its builder for a new one. A cell expected to be refused works
   * on a shared resource, which a correct platform leaves as it is.
   */
  fresh: boolean;
}

/** An answer: any 2xx, or one exact status. */
export type Outcome = 'ok' | number;

export interface Row {
  /** `METHOD /path` exactly as in the OpenAPI document. */
  route: string;
  /** Several rows of one route (the case actions) say which variant each is. */
  variant?: string;
  /** The access the route must declare (`config.access`); a change fails until reviewed here. */
  access: Access;
  /**
   * Who passes a check the service makes beyond the route's access (an action's own
   * permission, "either of two permissions"); by default the route's access alone.
   */
  allow?: (r: RoleUser) => boolean;
  /**
   * The route names a resource: `path` — one outside the jurisdiction is not found (404);
   * `input` — a reference in the body or query to something outside is a field error (400).
   * Without it the route runs once per role (where = in).
   */
  scope?: 'path' | 'input';
  /** Whether the role sees the cell's resource; by default: its place is in the jurisdiction. */
  visible?: (c: Cell) => boolean;
  /** The service looks the resource up before it checks `allow` (404 before 403). */
  scopeFirst?: boolean;
  /** The request; by default the route's path as it is (no parameters, no body). */
  build?: (c: Cell) => Req | Promise<Req>;
  /** The exact status of success when it matters (201, 202, 204); otherwise any 2xx. */
  ok?: number;
  /** The route's own exceptions to the computed answer, each with its reason in a comment. */
  expect?: (c: Cell, computed: Outcome) => Outcome;
  /** The status the reply stands for, when the HTTP status hides it (a batch's per-item result). */
  observe?: (res: LightMyRequestResponse) => number;
  /**
   * A list: a record the role may not see (at its away place, or someone else's) is made
   * before the request of the cell inside, and must not be in the reply. Null: none exists.
   */
  hides?: (c: Cell) => Promise<string | number | null>;
  /** A check after the reply (state that must not have changed); returns what went wrong. */
  after?: (c: Cell, res: LightMyRequestResponse, req: Req) => Promise<string | null>;
  /** Cells that cannot run in-process, with the reason. */
  skip?: (c: Cell) => string | undefined;
  /**
   * A hole already reported, with a short reason: its failing cells are printed as warnings
   * instead of failing the suite (all the row's cells, or those the function names). A
   * marked cell — or, for a plain reason, the whole row — that passes fails: unmark it.
   */
  knownHole?: string | ((c: Cell) => string | undefined);
}

export const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function methodOf(row: Row): string {
  return row.route.split(' ')[0] as string;
}

export function pathOf(row: Row): string {
  return row.route.split(' ')[1] as string;
}

/** The cell as if it were outside: the role's away place. */
export const outside = (c: Cell): Cell => ({ ...c, where: 'out', loc: c.role.away });

/** A record at the role's away place, made by `make`, unless the role may see it there. */
export const hiddenAt =
  (make: (o: Cell) => Promise<string | number>, sees: (o: Cell) => boolean = (o) => inScope(o.role, o.loc)) =>
  async (c: Cell) => {
    const o = outside(c);
    return sees(o) ? null : make(o);
  };

/** Whether a reply holds an object whose `id` is this one, at any depth. */
export function holdsId(value: unknown, id: string | number): boolean {
  if (Array.isArray(value)) return value.some((v) => holdsId(v, id));
  if (value && typeof value === 'object') {
    if ((value as { id?: unknown }).id === id) return true;
    return Object.values(value).some((v) => holdsId(v, id));
  }
  return false;
}

export function inScope(r: RoleUser, loc: Loc): boolean {
  return r.global || (r.path !== null && loc.grid.path.startsWith(r.path));
}

/** A role that holds one of the permissions. */
export const holds =
  (...perms: Permission[]) =>
  (r: RoleUser) =>
    perms.some((p) => r.permissions.has(p));

/** A role that holds every one of the permissions. */
export const both =
  (...perms: Permission[]) =>
  (r: RoleUser) =>
    perms.every((p) => r.permissions.has(p));

/** Whether a role passes the route's own gate (before any handler). */
/** The column of requests without a session. */
export const anonymous = 'anonymous';

export function passesGate(row: Row, r: RoleUser, allowRestricted: boolean): boolean {
  if (row.access === 'public') return true;
  if (r.code === anonymous) return false;
  if (isReadOnly(r) && !safeMethods.has(methodOf(row)) && !allowRestricted) return false;
  return row.access === 'authenticated' || r.permissions.has(row.access);
}

/** A wall display's account (screen:display) reads only, whatever its session. */
export const isReadOnly = (r: RoleUser) => r.permissions.has('screen:display');

/**
 * The expected answer of a cell, in the order the platform checks: authentication, the
 * read-only display rule (its own credentials excepted), the route's permission, then in
 * the service the resource's scope and any further permission (`scopeFirst` swaps these).
 */
export function expected(row: Row, c: Cell, allowRestricted: boolean): Outcome {
  if (row.access === 'public') return row.ok ?? 'ok';
  const r = c.role;
  if (r.code === anonymous) return 401;
  if (!passesGate(row, r, allowRestricted)) return 403;
  const allowed = row.allow ? row.allow(r) : true;
  const visible = row.scope ? (row.visible ? row.visible(c) : inScope(r, c.loc)) : true;
  const notFound = row.scope === 'input' ? 400 : 404;
  let out: Outcome = row.ok ?? 'ok';
  if (row.scopeFirst) {
    if (!visible) out = notFound;
    else if (!allowed) out = 403;
  } else if (!allowed) out = 403;
  else if (!visible) out = notFound;
  return row.expect ? row.expect(c, out) : out;
}

export function matches(outcome: Outcome, status: number): boolean {
  return outcome === 'ok' ? status >= 200 && status < 300 : outcome === status;
}

export const succeeds = (o: Outcome) => o === 'ok' || (o >= 200 && o < 300);

export function show(outcome: Outcome): string {
  return outcome === 'ok' ? '2xx' : String(outcome);
}
