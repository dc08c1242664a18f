import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { applicationTodoActions, applicationTodoKinds } from '@civicgrid/core/api/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';

let ctx: TestContext;
let sessions: Record<string, Session>;

const certificate = {
  code: 'JZZM',
  name: '居住证明',
  category: 'certificate',
  level: 'community',
  timeLimitDays: 0,
  statutoryDays: 1,
  immediate: true,
  materials: [{ name: '居民身份证', required: true }],
};
const subsidy = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'street',
  level: 'street',
  timeLimitDays: 10,
  statutoryDays: 20,
  materials: [
    { name: '居民身份证', required: true },
    { name: '户口簿', required: true },
  ],
};

let seq = 0;
async function intake(s: Session, serviceCode: string, complete = true): Promise<string> {
  seq++;
  const first17 = `15020319700101${String(seq).padStart(3, '0')}`;
  const names = serviceCode === 'GLJT' ? ['居民身份证', '户口簿'] : ['居民身份证'];
  const res = await s.post('/api/applications', {
    serviceCode,
    applicant: { idNumber: first17 + idNumberCheckChar(first17), name: '李建国' },
    materials: names.map((name, i) => ({ name, provided: complete || i === 0 })),
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function act(s: Session, id: string, action: string) {
  const res = await s.post(`/api/applications/${id}/actions/${action}`, {});
  expect(res.statusCode, res.body).toBe(200);
}

/** Applications at every step: waiting for material, with the back office, to issue, to collect, done. */
beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  const [c1] = t.communities;
  const users: [string, string[], Parameters<typeof makeUser>[1]['orgUnit']?, number?][] = [
    ['admin', ['systemAdmin']],
    ['clerk', ['serviceClerk'], c1],
    ['community', ['communityWorkstation'], c1],
    ['street', ['streetCentre'], t.streets[0]],
    ['otherStreet', ['streetCentre'], t.streets[1]],
    ['dept', ['departmentHandler'], undefined, t.departments[0]?.id],
  ];
  for (const [username, roles, orgUnit, departmentId] of users)
    await makeUser(ctx.deps, {
      username,
      roles,
      ...(orgUnit ? { orgUnit } : {}),
      ...(departmentId ? { departmentId } : {}),
    });
  sessions = {};
  for (const [username] of users) sessions[username] = await login(ctx.app, username);
  const { admin, clerk, street } = sessions as Record<string, Session>;
  for (const item of [certificate, subsidy])
    expect((await admin?.post('/api/services', item))?.statusCode).toBe(201);
  const c = clerk as Session;
  const s = street as Session;
  await intake(c, 'GLJT', false);
  await intake(c, 'GLJT');
  await intake(c, 'JZZM');
  await act(s, await intake(c, 'GLJT'), 'approve');
  await act(c, await intake(c, 'JZZM'), 'issue');
  const done = await intake(c, 'JZZM');
  await act(c, done, 'issue');
  await act(c, done, 'collect');
}, 180_000);
afterAll(() => ctx.close());

type Tiles = { total: number; tiles: { kind: string; count: number }[] };

describe('我的待办 of the service centre', () => {
  it('counts for the window what it can do now: material to take, results to issue and to hand over', async () => {
    const res = await sessions.clerk?.get('/api/applications/todos');
    expect(res?.statusCode, res?.body).toBe(200);
    expect(res?.json()).toEqual({
      total: 4,
      tiles: [
        // No online application here waits for the pre-check.
        { kind: 'precheck', count: 0 },
        { kind: 'supplement', count: 1 },
        { kind: 'handle', count: 0 },
        { kind: 'issue', count: 2 },
        { kind: 'collect', count: 1 },
      ],
    });
    const street = (await sessions.street?.get('/api/applications/todos'))?.json() as Tiles;
    // The street's back office decides the subsidy, and may act for its community on the certificate.
    expect(street.tiles.find((x) => x.kind === 'handle')?.count).toBe(2);
  });

  it('agrees with the allowedActions of every application’s detail, per user, and the badge is the sum', async () => {
    for (const [name, s] of Object.entries(sessions)) {
      const todos = await s.get('/api/applications/todos');
      if (todos.statusCode === 403) continue;
      const got = todos.json() as Tiles;
      const list = (await s.get('/api/applications?pageSize=100')).json().items as { id: string }[];
      const expected = new Map<string, string[]>(applicationTodoKinds.map((k) => [k, []]));
      for (const a of list) {
        const allowed: string[] = (await s.get(`/api/applications/${a.id}`)).json().allowedActions;
        const kind = applicationTodoKinds.find((k) => allowed.includes(applicationTodoActions[k]));
        if (kind) expected.get(kind)?.push(a.id);
      }
      for (const tile of got.tiles) {
        const ids = expected.get(tile.kind) ?? [];
        expect(tile.count, `${name} ${tile.kind}`).toBe(ids.length);
        // The tile opens the list of exactly those applications.
        const shown = (await s.get(`/api/applications?todo=${tile.kind}&pageSize=100`)).json();
        expect(shown.items.map((a: { id: string }) => a.id).sort(), `${name} ${tile.kind}`).toEqual(
          [...ids].sort(),
        );
      }
      expect(got.total, name).toBe(got.tiles.reduce((n, x) => n + x.count, 0));
    }
  });
});
