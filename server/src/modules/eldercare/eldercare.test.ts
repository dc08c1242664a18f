import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idNumberCheckChar } from '@civicgrid/core';
import { imeiCheckDigit, isValidImei } from '@civicgrid/core/api/eldercare';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import type { DeviceBroker } from './broker.js';
import { ensureTelemetryPartitions, partitionName } from './partitions.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let worker: Session;
let otherWorker: Session;
let broker: DeviceBroker;
let url: string;
let outbox: string;
/** The middle of the first test grid (0.01° square at 109.87 °E, 40.60 °N): the elder's home. */
const home = { lat: 40.605, lng: 109.875 };
const imeiOf = (n: number) => {
  const first = `86${String(n).padStart(12, '0')}`;
  return `${first}${imeiCheckDigit(first)}`;
};

async function elder(name: string, birth: string, n: number): Promise<string> {
  const first = `150203${birth}${String(n).padStart(3, '0')}`;
  const res = await community.post('/api/residents', {
    name,
    idNumber: `${first}${idNumberCheckChar(first)}`,
    gridId: t.grids[0]?.id,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function device(n: number, residentId: string, extra: Record<string, unknown> = {}) {
  const res = await community.post('/api/devices', {
    imei: imeiOf(n),
    model: 'GW-S8',
    residentId,
    safeArea: { center: home, radiusM: 300 },
    thresholds: { hrMax: 120, consecutive: 3 },
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...(res.json() as { id: string; secret: string }), imei: imeiOf(n) };
}

async function connect(imei: string, secret: string) {
  return mqtt.connectAsync(url, {
    username: imei,
    password: secret,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
}

const alerts = async (s: Session, q: string) => (await s.get(`/api/alerts?${q}`)).json();

beforeAll(async () => {
  outbox = join(mkdtempSync(join(tmpdir(), 'cg-sms-')), 'sms.jsonl');
  ctx = await createTestApp({ SMS_OUTBOX: outbox });
  await ensureCaseDefaults(ctx.deps.db);
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'worker2', roles: ['gridWorker'], orgUnit: t.grids[2] });
  community = await login(ctx.app, 'community');
  worker = await login(ctx.app, 'worker');
  otherWorker = await login(ctx.app, 'worker2');
  const started = await ctx.app.eldercare.startBroker({ port: 0, host: '127.0.0.1' });
  if (!started?.port) throw new Error('broker did not start');
  broker = started;
  url = `mqtt://127.0.0.1:${broker.port}`;
}, 300_000);
afterAll(() => ctx?.close());

describe('the device registry', () => {
  it('checks the IMEI (Luhn) and the elder (60+), and shows the secret once', async () => {
    expect(isValidImei('490154203237518')).toBe(true);
    expect(isValidImei('490154203237519')).toBe(false);
    const old = await elder('王秀英', '19470312', 21);
    const young = await elder('王小明', '19900312', 31);
    const bad = await community.post('/api/devices', {
      imei: '490154203237519',
      model: 'X',
      residentId: old,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('imei');
    const tooYoung = await community.post('/api/devices', { imei: imeiOf(1), model: 'X', residentId: young });
    expect(tooYoung.statusCode).toBe(400);
    expect(tooYoung.json().code).toBe('ELDER_TOO_YOUNG');
    const d = await device(1, old);
    expect(d.secret.length).toBeGreaterThanOrEqual(20);
    const again = await community.post('/api/devices', { imei: imeiOf(1), model: 'X', residentId: old });
    expect(again.statusCode).toBe(409);
    const shown = (await community.get(`/api/devices/${d.id}`)).json();
    expect(shown).toMatchObject({ imei: imeiOf(1), elderName: '王秀英', status: 'never' });
    expect(JSON.stringify(shown)).not.toContain(d.secret);
    // A grid worker of another grid does not see it.
    expect((await otherWorker.get(`/api/devices/${d.id}`)).statusCode).toBe(404);
  });
});

describe('MQTT ingestion', () => {
  it('refuses a wrong secret and a publish to another device’s topic', async () => {
    const residentId = await elder('李桂兰', '19400101', 41);
    const d = await device(2, residentId);
    await expect(connect(d.imei, 'wrong-secret-xxxxxxxx')).rejects.toThrow();
    await expect(connect(imeiOf(99), d.secret)).rejects.toThrow();
    const c = await connect(d.imei, d.secret);
    const closed = new Promise<void>((resolve) => c.on('close', () => resolve()));
    c.publish(`devices/${imeiOf(1)}/event`, JSON.stringify({ ts: Date.now(), type: 'sos' }), { qos: 0 });
    await closed;
    await c.endAsync(true);
    expect((await alerts(community, 'kind=sos')).total).toBe(0);
  });

  it('an SOS makes one urgent case dispatched to the elder’s grid and texts the family; a second SOS is the same alert', async () => {
    const residentId = await elder('张凤兰', '19380615', 51);
    const saved = await community.put(`/api/elders/${residentId}/profile`, {
      livingAlone: true,
      careLevel: 'partial',
      chronicConditions: '高血压、糖尿病',
      contacts: [
        { name: '张伟', relation: '儿子', kind: 'family', phone: '13800138001' },
        { name: '刘阿姨', relation: '邻居', kind: 'neighbour', phone: '13800138002' },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().contacts[0].phone).toBe('*******8001');
    const d = await device(3, residentId);
    const c = await connect(d.imei, d.secret);
    // QoS 1: the broker acknowledges once the alert and its case are committed, so the case is
    // there when PUBACK arrives (its latency is measured by server/bench/wearables.ts, not here).
    await c.publishAsync(
      `devices/${d.imei}/event`,
      JSON.stringify({ ts: Date.now(), type: 'sos', ...home }),
      {
        qos: 1,
      },
    );
    const found = (await community.get('/api/cases?channel=iot_alert')).json();
    expect(found.total).toBe(1);
    await ctx.app.eldercare.ingest.flush();
    const kase = (await community.get(`/api/cases/${found.items[0].id}`)).json();
    expect(kase).toMatchObject({ status: 'dispatched', channel: 'iot_alert', categoryCode: 'S1601' });
    expect(kase.assignee).toMatchObject({ kind: 'orgUnit', id: String(t.grids[0]?.id) });
    // The grid worker of the elder's grid sees it; the worker of another grid does not.
    expect((await worker.get('/api/cases?channel=iot_alert')).json().total).toBe(1);
    expect((await otherWorker.get('/api/cases?channel=iot_alert')).json().total).toBe(0);
    const texts = readFileSync(outbox, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The family contact only (not the neighbour), the number masked in the outbox.
    expect(texts.filter((x) => x.text.includes(kase.code))).toEqual([
      { to: expect.stringContaining('8001'), text: expect.stringContaining('SOS') },
    ]);

    await c.publishAsync(`devices/${d.imei}/event`, JSON.stringify({ ts: Date.now(), type: 'sos' }), {
      qos: 1,
    });
    await c.endAsync();
    const open = await alerts(worker, `kind=sos&deviceId=${d.id}`);
    expect(open.total).toBe(1);
    expect(open.items[0]).toMatchObject({ status: 'open', repeats: 1, caseCode: kase.code });
    expect((await community.get('/api/cases?channel=iot_alert')).json().total).toBe(1);

    // Acknowledgement is timed; a closed alert lets the next SOS open a new one.
    const ack = await worker.post(`/api/alerts/${open.items[0].id}/actions/acknowledge`, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().ackSeconds).toBeGreaterThanOrEqual(0);
    expect((await worker.post(`/api/alerts/${open.items[0].id}/actions/acknowledge`, {})).statusCode).toBe(
      409,
    );
    expect((await worker.post(`/api/alerts/${open.items[0].id}/actions/close`, {})).json().status).toBe(
      'closed',
    );
  });

  it('raises a fence alert on leaving the safe area and a vitals alert after N readings out of range', async () => {
    const residentId = await elder('赵国华', '19450909', 61);
    const d = await device(4, residentId);
    const c = await connect(d.imei, d.secret);
    const now = Date.now();
    const send = (i: number, body: Record<string, unknown>) =>
      c.publishAsync(
        `devices/${d.imei}/telemetry`,
        JSON.stringify({ ts: now - 60_000 + i * 1000, ...body }),
        {
          qos: 1,
        },
      );
    await send(0, { ...home, hr: 72 });
    await send(1, { lat: home.lat + 0.001, lng: home.lng, hr: 150 });
    await send(2, { lat: home.lat + 0.002, lng: home.lng, hr: 150 });
    await ctx.app.eldercare.ingest.flush();
    expect((await alerts(community, `deviceId=${d.id}`)).total).toBe(0);
    // 0.01° north is about 1.1 km: outside the 300 m circle; the third high reading in a row.
    await send(3, { lat: home.lat + 0.01, lng: home.lng, hr: 150 });
    await send(4, { lat: home.lat + 0.011, lng: home.lng, hr: 151 });
    await c.endAsync();
    await ctx.app.eldercare.ingest.flush();
    const raised = (await alerts(community, `deviceId=${d.id}`)).items
      .map((a: { kind: string }) => a.kind)
      .sort();
    expect(raised).toEqual(['fence', 'vitals']);
    // The day's track, in order; vitals are health data (read audited).
    const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
    const track = (await worker.get(`/api/devices/${d.id}/track?date=${day}`)).json();
    expect(track.points.map((p: { lat: number }) => p.lat)).toEqual([
      home.lat,
      home.lat + 0.001,
      home.lat + 0.002,
      home.lat + 0.01,
      home.lat + 0.011,
    ]);
    expect((await worker.get(`/api/devices/${d.id}/vitals?date=${day}`)).json().points).toHaveLength(5);
    expect((await worker.get(`/api/devices/${d.id}/track?date=2026-13-01`)).statusCode).toBe(400);
  });

  it('drops malformed, unknown, future and out-of-range messages with a count, and the broker lives on', async () => {
    const residentId = await elder('孙玉珍', '19420202', 71);
    const d = await device(5, residentId);
    const before = (await community.get('/api/eldercare/stats')).json().dropped;
    const c = await connect(d.imei, d.secret);
    const topic = `devices/${d.imei}/telemetry`;
    await c.publishAsync(topic, '{not json', { qos: 1 });
    await c.publishAsync(topic, Buffer.from([0xff, 0x00, 0x13]), { qos: 1 });
    await c.publishAsync(topic, JSON.stringify({ ts: Date.now(), lat: 100, lng: 109.8 }), { qos: 1 });
    await c.publishAsync(topic, JSON.stringify({ ts: Date.now() + 86_400_000, hr: 70 }), { qos: 1 });
    await c.publishAsync(`devices/${d.imei}/event`, JSON.stringify({ ts: Date.now(), type: 'explode' }), {
      qos: 1,
    });
    // Still connected and heard: a good reading after the bad ones is stored once, even sent twice.
    const ts = Date.now();
    await c.publishAsync(topic, JSON.stringify({ ts, ...home, hr: 70, battery: 80 }), { qos: 1 });
    await c.publishAsync(topic, JSON.stringify({ ts, ...home, hr: 70, battery: 80 }), { qos: 1 });
    await c.endAsync();
    await ctx.app.eldercare.ingest.flush();
    const after = (await community.get('/api/eldercare/stats')).json().dropped;
    expect((after.malformed ?? 0) - (before.malformed ?? 0)).toBe(2);
    expect((after.invalid ?? 0) - (before.invalid ?? 0)).toBe(2);
    expect((after.future ?? 0) - (before.future ?? 0)).toBe(1);
    const [stored] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from device_telemetry where device_id = ${d.id}`,
    );
    expect(stored?.n).toBe(1);
    expect((await community.get(`/api/devices/${d.id}`)).json()).toMatchObject({ status: 'online' });
  });

  it('takes the same payloads over HTTP with the device’s own credentials', async () => {
    const residentId = await elder('周建国', '19500505', 81);
    const d = await device(6, residentId);
    const basic = (secret: string) => `Basic ${Buffer.from(`${d.imei}:${secret}`).toString('base64')}`;
    const post = (secret: string, payload: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/devices/${d.imei}/telemetry`,
        headers: { authorization: basic(secret) },
        payload: payload as object,
      });
    expect((await post('nope-nope-nope', { ts: Date.now(), hr: 70 })).statusCode).toBe(401);
    expect((await post(d.secret, { ts: Date.now(), hr: 70 })).statusCode).toBe(202);
    const bad = await post(d.secret, { ts: Date.now(), lat: 91, lng: 0 });
    expect(bad.statusCode).toBe(400);
    const fall = await post(d.secret, { ts: Date.now(), type: 'fall' });
    expect(fall.statusCode).toBe(202);
    await ctx.app.eldercare.ingest.flush();
    const a = (await alerts(community, `deviceId=${d.id}&kind=fall`)).items[0];
    expect(a.caseCode).toMatch(/^SJ/);
  });
});

describe('telemetry partitions', () => {
  it('has this month’s and next month’s partition, and makes one ahead when asked', async () => {
    const rows = await queryRows<{ name: string }>(
      ctx.deps.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname = 'device_telemetry'`,
    );
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([partitionName(now), partitionName(next)]),
    );
    const far = new Date(Date.UTC(now.getUTCFullYear() + 1, 5, 15));
    const made = await ensureTelemetryPartitions(ctx.deps.db, far);
    expect(made).toEqual([partitionName(far), partitionName(new Date(Date.UTC(far.getUTCFullYear(), 6, 1)))]);
  });
});
