import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { users } from '../accounts/tables.js';
import { notifications } from '../cases/tables.js';
import { incidents } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let otherStreet: Session;
let community: Session;
let worker: Session;
let onCall1: Session;
let outsider: Session;
const ids: Record<string, string> = {};
const outbox = join(mkdtempSync(join(tmpdir(), 'cg-sms-')), 'sms.jsonl');
const today = () => localDay(Date.now());

const report = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/incidents', {
    type: 'accidentDisaster',
    level: 'IV',
    description: '12 号楼地下室燃气泄漏，已疏散住户',
    location: { lat: 40.605, lng: 109.885 },
    ...extra,
  });

beforeAll(async () => {
  ctx = await createTestApp({ SMS_OUTBOX: outbox });
  t = await makeTerritory(ctx.deps.db);
  const [c1, c2] = t.communities;
  const [s1, s2] = t.streets;
  const make = async (username: string, roles: string[], orgUnit: typeof c1) => {
    const u = await makeUser(ctx.deps, { username, roles, orgUnit: orgUnit as NonNullable<typeof c1> });
    ids[username] = u.id;
    await ctx.deps.db
      .update(users)
      .set({
        phoneEnc: ctx.deps.crypto.encrypt(`1390472${String(Object.keys(ids).length).padStart(4, '0')}`),
      })
      .where(eq(users.id, u.id));
  };
  await make('street', ['streetCentre'], s1);
  await make('otherStreet', ['streetCentre'], s2);
  await make('community', ['communityWorkstation'], c1);
  await make('worker', ['gridWorker'], t.grids[0]);
  await make('onCall1', ['communityWorkstation'], c1);
  await make('onCall2', ['communityWorkstation'], c1);
  await make('leader', ['communityWorkstation'], c1);
  await make('upper', ['streetCentre'], s1);
  await make('both', ['communityWorkstation'], c1);
  await make('otherLeader', ['communityWorkstation'], c2);
  await make('gone', ['communityWorkstation'], c1);
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'otherStreet');
  community = await login(ctx.app, 'community');
  worker = await login(ctx.app, 'worker');
  onCall1 = await login(ctx.app, 'onCall1');
  outsider = await login(ctx.app, 'otherLeader');
  // The community's day: three on duty (one of them also the street's leader), one leader, one disabled.
  const c = await community.put('/api/rosters', {
    orgUnitId: c1?.id,
    day: today(),
    onCall: [ids.onCall1, ids.onCall2, ids.both, ids.gone],
    leaders: [ids.leader],
  });
  expect(c.statusCode, c.body).toBe(200);
  const s = await street.put('/api/rosters', {
    orgUnitId: s1?.id,
    day: today(),
    onCall: [],
    leaders: [ids.upper, ids.both],
  });
  expect(s.statusCode, s.body).toBe(200);
  // Another community's leader is on duty too, and must not be told.
  await makeUser(ctx.deps, {
    username: 'c2admin',
    roles: ['communityWorkstation'],
    orgUnit: c2 as NonNullable<typeof c2>,
  });
  const c2s = await login(ctx.app, 'c2admin');
  expect(
    (
      await c2s.put('/api/rosters', {
        orgUnitId: c2?.id,
        day: today(),
        onCall: [],
        leaders: [ids.otherLeader],
      })
    ).statusCode,
  ).toBe(200);
  await ctx.deps.db
    .update(users)
    .set({ disabledAt: new Date() })
    .where(eq(users.id, ids.gone as string));
}, 180_000);
afterAll(() => ctx.close());

describe('on-call rosters', () => {
  it('are kept per unit and day, and only inside the jurisdiction', async () => {
    const r = (
      await community.get(`/api/rosters?orgUnitId=${t.communities[0]?.id}&from=${today()}&to=${today()}`)
    ).json();
    expect(r.items[0].onCall.map((p: { userId: string }) => p.userId)).toEqual([
      ids.onCall1,
      ids.onCall2,
      ids.both,
      ids.gone,
    ]);
    expect(r.items[0].leaders.map((p: { userId: string }) => p.userId)).toEqual([ids.leader]);
    const outside = await community.put('/api/rosters', {
      orgUnitId: t.streets[0]?.id,
      day: today(),
      onCall: [],
      leaders: [],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('orgUnitId');
    const twice = await community.put('/api/rosters', {
      orgUnitId: t.communities[0]?.id,
      day: '2027-01-05',
      onCall: [ids.onCall1],
      leaders: [ids.onCall1],
    });
    expect(twice.statusCode).toBe(400);
  });
});

describe('reporting an emergency', () => {
  it('notifies every on-call person and leader of the unit and the leaders above, each exactly once', async () => {
    const res = await report(worker);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const told = body.notified.map((n: { userId: string }) => n.userId).sort();
    expect(told).toEqual([ids.onCall1, ids.onCall2, ids.both, ids.leader, ids.upper].sort());
    for (const n of body.notified) expect(Date.parse(n.at)).not.toBeNaN();
    for (const userId of [...told, ids.otherLeader, ids.gone]) {
      const rows = await ctx.deps.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId as string), eq(notifications.kind, 'incident')));
      expect(rows.length, userId).toBe(told.includes(userId) ? 1 : 0);
    }
    const texts = readFileSync(outbox, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; text: string });
    const mine = texts.filter((x) => x.text.includes(body.code));
    expect(mine).toHaveLength(5);
    expect(new Set(mine.map((x) => x.to)).size).toBe(5);
    const [row] = await ctx.deps.db.select().from(incidents).where(eq(incidents.id, body.id));
    expect(row?.orgUnitId).toBe(t.communities[0]?.id);
  });

  it('refuses an unknown type or level and a missing location, naming the field', async () => {
    for (const [extra, field] of [
      [{ type: 'flood' }, 'type'],
      [{ level: 'V' }, 'level'],
      [{ location: undefined }, 'location'],
    ] as const) {
      const res = await report(worker, extra);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await report(outsider, {})).statusCode).toBe(201);
  });
});

describe('commanding an emergency', () => {
  it('times acknowledgements, logs, tasks departments, closes with a summary report', async () => {
    const { id } = (await report(worker, { type: 'naturalDisaster', level: 'III' })).json();
    const ack = await onCall1.post(`/api/incidents/${id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    const again = await onCall1.post(`/api/incidents/${id}/acknowledge`);
    expect(again.json().acknowledgedAt).toBe(ack.json().acknowledgedAt);
    expect((await otherStreet.post(`/api/incidents/${id}/acknowledge`)).statusCode).toBe(404);

    let d = (await street.get(`/api/incidents/${id}`)).json();
    expect(d.acknowledgedCount).toBe(1);
    const mine = d.notifications.find((n: { userId: string }) => n.userId === ids.onCall1);
    expect(mine.secondsToAcknowledge).toBeGreaterThanOrEqual(0);
    expect(d.allowedActions).toEqual(['log', 'task', 'close']);

    expect(
      (await street.post(`/api/incidents/${id}/logs`, { kind: 'order', text: '消防、燃气公司到场处置' }))
        .statusCode,
    ).toBe(200);
    const past = await street.post(`/api/incidents/${id}/tasks`, {
      departmentId: t.departments[0]?.id,
      title: '排查管网',
      dueAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('dueAt');
    d = (
      await street.post(`/api/incidents/${id}/tasks`, {
        departmentId: t.departments[1]?.id,
        title: '排查管网',
        dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      })
    ).json();
    expect(d.tasks).toHaveLength(1);
    d = (
      await street.post(`/api/incidents/${id}/tasks/${d.tasks[0].id}/done`, { note: '已更换阀门' })
    ).json();
    expect(d.tasks[0].doneAt).not.toBeNull();

    expect(
      (await community.post(`/api/incidents/${id}/close`, { summary: '处置完毕，无人员伤亡。' })).statusCode,
    ).toBe(403);
    expect(
      (await otherStreet.post(`/api/incidents/${id}/close`, { summary: '处置完毕，无人员伤亡。' }))
        .statusCode,
    ).toBe(404);
    expect((await street.get(`/api/incidents/${id}/report.pdf`)).statusCode).toBe(409);
    d = (
      await street.post(`/api/incidents/${id}/close`, { summary: '处置完毕，无人员伤亡，管网已修复。' })
    ).json();
    expect(d).toMatchObject({ status: 'closed', allowedActions: [] });
    expect((await street.post(`/api/incidents/${id}/logs`, { kind: 'note', text: '补记' })).statusCode).toBe(
      409,
    );
    const pdf = await street.get(`/api/incidents/${id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('处置总结报告');
    expect(text).toContain('管网已修复');
    expect(text).toContain('消防、燃气公司到场处置');
    expect(text).toContain('排查管网');
  });

  it('lists incidents in the jurisdiction only', async () => {
    const mine = (await street.get('/api/incidents?pageSize=200')).json();
    const theirs = (await otherStreet.get('/api/incidents?pageSize=200')).json();
    expect(mine.total).toBeGreaterThanOrEqual(2);
    expect(theirs.items.filter((i: { orgUnitId: number }) => i.orgUnitId === t.communities[0]?.id)).toEqual(
      [],
    );
  });
});
