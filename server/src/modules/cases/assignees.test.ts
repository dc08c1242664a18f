import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';
import { ensureCaseDefaults } from './defaults.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let street: Session;
let caseId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  const mk = (username: string, roles: string[], extra: object) =>
    makeUser(ctx.deps, { username, roles, ...extra });
  await mk('community', ['communityWorkstation'], { orgUnit: t.communities[0] });
  await mk('street', ['streetCentre'], { orgUnit: t.streets[0] });
  await mk('mediator', ['mediator'], { orgUnit: t.streets[0] });
  await mk('mediator2', ['mediator'], { orgUnit: t.streets[1] });
  await mk('gridworker', ['gridWorker'], { orgUnit: t.grids[0] });
  await mk('clerk', ['serviceClerk'], { orgUnit: t.communities[0] });
  await mk('resident', ['resident'], { orgUnit: t.grids[0] });
  await mk('dept', ['departmentHandler'], { departmentId: t.departments[0]?.id });
  community = await login(ctx.app, 'community');
  street = await login(ctx.app, 'street');
  const reported = await community.post('/api/cases', {
    description: '两户邻里因漏水纠纷多次争吵',
    categoryCode: 'C0103',
    channel: 'walk_in',
    location: { lat: 40.605, lng: 109.875 },
    idempotencyKey: randomUUID(),
  });
  caseId = reported.json().id;
  // Up to the street, where the mediator works.
  const up = await community.post(`/api/cases/${caseId}/actions/escalate`, { reason: '需街道调解' });
  expect(up.json().handlingUnitId).toBe(t.streets[0]?.id);
}, 180_000);
afterAll(() => ctx?.close());

describe('dispatch to a person', () => {
  it('offers only people who can handle cases under the handling unit, nearest first', async () => {
    const res = await street.get(`/api/cases/${caseId}/assignees`);
    expect(res.statusCode).toBe(200);
    const names = res.json().users.map((u: { name: string }) => u.name);
    // makeUser names everyone 测试<username>.
    expect(names).toEqual(['测试mediator', '测试gridworker', '测试dept']);
    expect(res.json().users[2].unitName).toBe(t.departments[0]?.name);
  });

  it('finds a person by name', async () => {
    const res = await street.get(`/api/cases/${caseId}/assignees?q=${encodeURIComponent('mediator')}`);
    expect(res.json().users.map((u: { name: string }) => u.name)).toEqual(['测试mediator']);
  });

  it('the dispatch itself refuses a person who cannot handle cases, whatever the picker showed', async () => {
    const ids = await ctx.deps.db.select({ id: users.id, username: users.username }).from(users);
    const idOf = (name: string) => ids.find((u) => u.username === name)?.id;
    const now = (await street.get(`/api/cases/${caseId}`)).json();
    if (now.status === 'reported')
      expect((await street.post(`/api/cases/${caseId}/actions/accept`, {})).statusCode).toBe(200);
    for (const who of ['resident', 'clerk']) {
      const res = await street.post(`/api/cases/${caseId}/actions/dispatch`, {
        assignee: { kind: 'user', id: idOf(who) },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'assignee.id', rule: 'canHandle' });
    }
    const ok = await street.post(`/api/cases/${caseId}/actions/dispatch`, {
      assignee: { kind: 'user', id: idOf('mediator') },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('dispatched');
  });
});
