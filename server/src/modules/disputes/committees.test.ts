import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let otherStreet: Session;
let community: Session;
let ownUserId: string;
let otherUserId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [s1, s2] = t.streets;
  const [c1] = t.communities;
  ownUserId = (
    await makeUser(ctx.deps, {
      username: 'street',
      roles: ['streetCentre'],
      orgUnit: s1 as NonNullable<typeof s1>,
    })
  ).id;
  otherUserId = (
    await makeUser(ctx.deps, {
      username: 'other',
      roles: ['streetCentre'],
      orgUnit: s2 as NonNullable<typeof s2>,
    })
  ).id;
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: c1 as NonNullable<typeof c1>,
  });
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'other');
  community = await login(ctx.app, 'community');
}, 180_000);
afterAll(() => ctx.close());

const names = (r: { json: () => { items: { name: string }[] } }) => r.json().items.map((c) => c.name);

describe('mediation bodies registry', () => {
  it('keeps address and phone, edits the sent fields, and disables a body out of the dispute list', async () => {
    const created = await street.post('/api/mediation-committees', {
      name: '家长里短调解工作室',
      kind: 'studio',
      orgUnitId: t.streets[0]?.id,
      address: '测试路 8 号',
      phone: '0472-5123456',
      mediators: [{ name: '王桂兰', title: '主任' }],
    });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ address: '测试路 8 号', phone: '0472-5123456', disabled: false });

    const badPhone = await street.patch(`/api/mediation-committees/${c.id}`, { phone: '电话' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().errors[0].field).toBe('phone');

    const edited = await street.patch(`/api/mediation-committees/${c.id}`, {
      name: '家长里短调解室',
      address: null,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      name: '家长里短调解室',
      kind: 'studio',
      address: null,
      phone: '0472-5123456',
    });

    // The community sees its street's body while it is active, as a dispute's assignee.
    const listAt = `/api/mediation-committees?orgUnitId=${t.communities[0]?.id}`;
    expect(names(await community.get(listAt))).toContain('家长里短调解室');

    const off = await street.post(`/api/mediation-committees/${c.id}/actions/disable`);
    expect(off.statusCode).toBe(200);
    expect(off.json().disabled).toBe(true);
    expect(names(await community.get(listAt))).not.toContain('家长里短调解室');
    expect(names(await street.get('/api/mediation-committees?status=disabled'))).toEqual(['家长里短调解室']);
    expect(names(await street.get('/api/mediation-committees?status=all'))).toContain('家长里短调解室');
    expect((await street.post(`/api/mediation-committees/${c.id}/actions/disable`)).statusCode).toBe(409);

    const on = await street.post(`/api/mediation-committees/${c.id}/actions/enable`);
    expect(on.json().disabled).toBe(false);
    expect(names(await community.get(listAt))).toContain('家长里短调解室');
  });

  it('refuses another street (404) and a role without dispute:configure (403)', async () => {
    const c = (
      await street.post('/api/mediation-committees', {
        name: '物业纠纷调委会',
        kind: 'trade',
        orgUnitId: t.streets[0]?.id,
      })
    ).json();
    expect((await otherStreet.patch(`/api/mediation-committees/${c.id}`, { name: '改名' })).statusCode).toBe(
      404,
    );
    expect((await otherStreet.post(`/api/mediation-committees/${c.id}/actions/disable`)).statusCode).toBe(
      404,
    );
    expect((await community.post(`/api/mediation-committees/${c.id}/actions/disable`)).statusCode).toBe(403);
  });

  it("attaches only an active account of the actor's own jurisdiction as a mediator", async () => {
    // A mediator account sees the disputes given to it: another street's account must not be
    // attachable, and the refusal must read like an unknown id (no hint it exists elsewhere).
    const foreign = await street.post('/api/mediation-committees', {
      name: '跨街调解室',
      kind: 'people',
      orgUnitId: t.streets[0]?.id,
      mediators: [{ name: '外街账号', userId: otherUserId }],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('mediators.0.userId');
    const unknown = await street.post('/api/mediation-committees', {
      name: '跨街调解室',
      kind: 'people',
      orgUnitId: t.streets[0]?.id,
      mediators: [{ name: '不存在', userId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(unknown.json().errors[0].code).toBe(foreign.json().errors[0].code);
    expect(names(await street.get('/api/mediation-committees?status=all'))).not.toContain('跨街调解室');

    const c = (
      await street.post('/api/mediation-committees', {
        name: '本街调解室',
        kind: 'people',
        orgUnitId: t.streets[0]?.id,
        mediators: [{ name: '本街账号', userId: ownUserId }],
      })
    ).json();
    expect(c.mediators.map((m: { userId: string | null }) => m.userId)).toEqual([ownUserId]);
    const added = await street.post(`/api/mediation-committees/${c.id}/mediators`, {
      name: '外街账号',
      userId: otherUserId,
    });
    expect(added.statusCode).toBe(400);
    expect(added.json().errors[0].field).toBe('userId');
  });
});

describe('the accounts a mediator may be linked to', () => {
  it('are the active accounts of the jurisdiction, by name or username, with no phone', async () => {
    const names = async (s: typeof street, q = '') => {
      const res = await s.get(`/api/mediator-accounts${q ? `?q=${encodeURIComponent(q)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { username: string }[]).map((i) => i.username).sort();
    };
    expect(await names(street)).toEqual(['community', 'street']);
    expect(await names(street, 'comm')).toEqual(['community']);
    expect(await names(otherStreet)).toEqual(['other']);
    const body = (await street.get('/api/mediator-accounts')).body;
    expect(body).not.toMatch(/1[3-9]\d{9}|phone|password/i);
    // A community's workstation does not configure mediation bodies.
    expect((await community.get('/api/mediator-accounts')).statusCode).toBe(403);
  });
});
