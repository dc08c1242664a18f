import type { Permission } from '@civicgrid/core';
import { asc, eq, sql } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTerritory } from '../test/factories.js';
import { createTestDatabase } from '../test/harness.js';
import type { Actor } from './auth/actor.js';
import type { Database, Db } from './db.js';
import { AppError } from './errors.js';
import { areaCondition, defineScope, listScoped, loadScoped, resolveArea } from './scope.js';

/**
 * The scope service on its own, over a table made for the test (no module's rules mixed in):
 * rows of two streets, a scope by org path, and one with a need-to-know rule on top.
 */
const probes = pgTable('scope_probes', {
  id: serial('id').primaryKey(),
  orgPath: text('org_path').notNull(),
  ownerId: text('owner_id'),
});

const byPath = defineScope(probes, { id: probes.id, path: probes.orgPath });

/** Like care cases: the owner sees his rows; a supervisor sees, besides, his jurisdiction's. */
const needToKnow = defineScope(probes, {
  id: probes.id,
  path: probes.orgPath,
  rule: (actor, inJurisdiction) =>
    actor.permissions.has('care:supervise')
      ? sql`(${inJurisdiction} or ${probes.ownerId} = ${actor.userId})`
      : sql`${probes.ownerId} = ${actor.userId}`,
  visibleRow: (actor, row, inJurisdiction) =>
    row.ownerId === actor.userId || (actor.permissions.has('care:supervise') && inJurisdiction),
});

type Territory = Awaited<ReturnType<typeof makeTerritory>>;
type Unit = Territory['district'];

function actorAt(unit: Unit | null, opts: { userId?: string; permissions?: Permission[] } = {}): Actor {
  return {
    userId: opts.userId ?? 'someone',
    username: opts.userId ?? 'someone',
    displayName: '测试',
    roles: [],
    permissions: new Set(opts.permissions ?? []),
    orgUnitId: unit?.id ?? null,
    orgUnitName: unit?.name ?? null,
    orgLevel: unit?.level ?? null,
    orgPath: unit?.path ?? null,
    departmentId: null,
    departmentName: null,
    global: false,
    via: 'session',
    sessionId: null,
    csrfToken: null,
    display: false,
    readOnly: false,
    restricted: null,
    totpEnabled: false,
    totpRequired: false,
  };
}

let database: Database;
let db: Db;
let t: Territory;
/** Row ids: one per grid, in the territory's grid order; the first two grids' rows are owned by 'w1'. */
let rows: { id: number; orgPath: string; ownerId: string | null }[];

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  t = await makeTerritory(db);
  await db.execute(
    sql`create table scope_probes (id serial primary key, org_path text not null, owner_id text)`,
  );
  rows = await db
    .insert(probes)
    .values(t.grids.map((g, i) => ({ orgPath: g.path, ownerId: i < 2 ? 'w1' : null })))
    .returning();
});
afterAll(() => database.close());

const street1 = () => t.streets[0] as Unit;
const street2 = () => t.streets[1] as Unit;
const rowsUnder = (u: Unit) => rows.filter((r) => r.orgPath.startsWith(u.path));
const rowsOutside = (u: Unit) => rows.filter((r) => !r.orgPath.startsWith(u.path));

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('loadScoped', () => {
  it("gives a row of the actor's street and answers 404 for another street's, as for a missing id", async () => {
    const actor = actorAt(street1());
    const inside = rowsUnder(street1())[0];
    const outside = rowsOutside(street1())[0];
    expect(inside && outside).toBeTruthy();
    expect((await loadScoped(db, actor, byPath, inside?.id ?? 0)).id).toBe(inside?.id);
    expect((await refusal(loadScoped(db, actor, byPath, outside?.id ?? 0))).code).toBe('NOT_FOUND');
    expect((await refusal(loadScoped(db, actor, byPath, 999_999))).code).toBe('NOT_FOUND');
  });

  it('gives nothing to an actor without a jurisdiction, and everything to a global one', async () => {
    const department = actorAt(null);
    const global = { ...actorAt(null), global: true };
    const any = rows[0]?.id ?? 0;
    expect((await refusal(loadScoped(db, department, byPath, any))).code).toBe('NOT_FOUND');
    expect((await listScoped(db, department, byPath)).total).toBe(0);
    expect((await listScoped(db, global, byPath, { pageSize: 200 })).total).toBe(rows.length);
  });
});

describe('listScoped', () => {
  it('lists only the rows in the jurisdiction, with their total, a page at a time', async () => {
    const actor = actorAt(street2());
    const expected = rowsUnder(street2()).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(2);
    const first = await listScoped(db, actor, byPath, { orderBy: [asc(probes.id)], page: 1, pageSize: 2 });
    const rest = await listScoped(db, actor, byPath, { orderBy: [asc(probes.id)], page: 2, pageSize: 2 });
    expect(first.total).toBe(expected.length);
    expect(first.items).toHaveLength(2);
    expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(expected);
  });

  it('narrows with `where` but never widens past the scope', async () => {
    const actor = actorAt(street1());
    const outside = rowsOutside(street1())[0];
    const { items, total } = await listScoped(db, actor, byPath, { where: eq(probes.id, outside?.id ?? 0) });
    expect(total).toBe(0);
    expect(items).toEqual([]);
  });
});

describe('a scope with a need-to-know rule', () => {
  it('shows a worker only his own rows, even in his jurisdiction, and a supervisor his jurisdiction too', async () => {
    const district = t.district;
    const worker = actorAt(district, { userId: 'w1' });
    const supervisor = actorAt(street2(), { userId: 's1', permissions: ['care:supervise'] });
    const own = rows.filter((r) => r.ownerId === 'w1').map((r) => r.id);
    expect(own.length).toBe(2);
    expect(
      (await listScoped(db, worker, needToKnow, { pageSize: 200 })).items.map((r) => r.id).sort(),
    ).toEqual(own.sort());
    const notOwn = rows.find((r) => r.ownerId === null);
    expect((await refusal(loadScoped(db, worker, needToKnow, notOwn?.id ?? 0))).code).toBe('NOT_FOUND');
    expect((await listScoped(db, supervisor, needToKnow, { pageSize: 200 })).total).toBe(
      rowsUnder(street2()).length,
    );
  });

  it('answers the same for a loaded row (visible/check) as the query does', async () => {
    const actors = [
      actorAt(t.district, { userId: 'w1' }),
      actorAt(street1(), { userId: 'x' }),
      actorAt(street2(), { userId: 's1', permissions: ['care:supervise'] }),
      actorAt(null, { userId: 'w1', permissions: ['care:supervise'] }),
    ];
    for (const actor of actors) {
      const listed = new Set(
        (await listScoped(db, actor, needToKnow, { pageSize: 200 })).items.map((r) => r.id),
      );
      for (const r of rows) {
        expect(needToKnow.visible(actor, r), `${actor.userId} row ${r.id}`).toBe(listed.has(r.id));
        if (listed.has(r.id)) expect(() => needToKnow.check(actor, r)).not.toThrow();
        else expect(() => needToKnow.check(actor, r)).toThrow(AppError);
      }
    }
  });

  it('refuses a rule declared without its row twin', () => {
    expect(() =>
      defineScope(probes, { id: probes.id, rule: (_a, inJurisdiction) => inJurisdiction }),
    ).toThrow(/visibleRow/);
  });
});

describe('resolveArea and areaCondition', () => {
  it('narrows to an area inside the jurisdiction', async () => {
    const actor = actorAt(t.district);
    const community = t.communities[2] as Unit;
    const area = await resolveArea(db, actor, community.id);
    expect(area).toMatchObject({ id: community.id, name: community.name, path: community.path });
    const { items } = await listScoped(db, actor, byPath, { where: areaCondition(area, probes.orgPath) });
    expect(items.map((r) => r.id).sort()).toEqual(
      rowsUnder(community)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('refuses an area outside the jurisdiction, or none at all, as a 400 on orgUnitId', async () => {
    const actor = actorAt(street1());
    for (const id of [street2().id, (t.grids[7] as Unit).id, 999_999]) {
      const e = await refusal(resolveArea(db, actor, id));
      expect(e.status).toBe(400);
      expect(e.errors?.[0]).toMatchObject({ field: 'orgUnitId', rule: 'inJurisdiction' });
    }
  });

  it("is the actor's own jurisdiction when no area is asked for; one without a jurisdiction must ask", async () => {
    const area = await resolveArea(db, actorAt(street1()), undefined);
    expect(area).toMatchObject({ id: street1().id, path: street1().path });
    expect((await resolveArea(db, { ...actorAt(null), global: true }, undefined)).path).toBe('/');
    const e = await refusal(resolveArea(db, actorAt(null), undefined));
    expect(e.status).toBe(400);
    expect(e.errors?.[0]).toMatchObject({ field: 'orgUnitId', rule: 'required' });
  });
});
