/**
 * `npx tsx server/bench/wearables.ts` — the wearables' ingestion (issue 20 item 8) on this
 * machine, through the real server (embedded PGlite, or BENCH_DATABASE_URL's PostgreSQL) and its
 * embedded MQTT broker, with real MQTT clients:
 *   DEVICES (2,000) devices, each reporting every 10 s (QoS 0), plus a burst every 15 s in which
 *   a quarter of them report at once; meanwhile an SOS (QoS 1) every 2 s from a device.
 * Reports: messages stored per second (sustained), SOS → case committed p50/p95 (publish to
 * PUBACK: the broker acknowledges an SOS once its case is committed), and the ratio of the
 * ingestion's storing rate to a bare batched INSERT of the same rows into the same table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idNumberCheckChar } from '@civicgrid/core';
import { defaultThresholds, imeiCheckDigit } from '@civicgrid/core/api/eldercare';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { buildApp } from '../src/app.js';
import { ensureCaseDefaults } from '../src/modules/cases/defaults.js';
import { devices } from '../src/modules/eldercare/tables.js';
import { deviceTelemetry } from '../src/modules/eldercare/telemetryTable.js';
import { residents } from '../src/modules/residents/tables.js';
import { loadConfig } from '../src/platform/config.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPglite, queryRows } from '../src/platform/db.js';
import { ensureBuiltIns } from '../src/seed/builtIns.js';
import { makeTerritory } from '../src/test/factories.js';

const count = Number(process.env.BENCH_DEVICES ?? 2000);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const config = loadConfig({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'cg-bench-wearables-')),
  DATA_KEY: randomBytes(32).toString('hex'),
  INDEX_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
  DEVICE_MESSAGES_PER_MINUTE: '600',
});
const database = await openPglite();
await migrateDatabase(database);
const { db } = database;
const crypto = createFieldCrypto(config.CRYPTO_SUITE, config.dataKey, config.indexKey);
await ensureBuiltIns(db);
const t = await makeTerritory(db);
await ensureCaseDefaults(db);
const app = await buildApp({ db, database, crypto, config }, { serveWeb: false });
await app.ready();
const broker = await app.eldercare.startBroker({ port: 0, host: '127.0.0.1' });
if (!broker?.port) throw new Error('no broker');

// ——— devices for elders spread over the test grids ———
const secret = 'bench-secret-0123456789';
const grid = t.grids[0] as (typeof t.grids)[number];
const people = Array.from({ length: count }, (_, i) => {
  const first = `150203${1940 + (i % 20)}0101${String(i % 1000).padStart(3, '0')}`;
  const id = `${first}${idNumberCheckChar(first)}`;
  return {
    name: `老人${i}`,
    idNumberEnc: crypto.encrypt(id),
    idNumberIdx: crypto.blindIndex(`${id}#${i}`),
    idNumberTail: id.slice(-4),
    sex: 'female' as const,
    birthDate: `${1940 + (i % 20)}-01-01`,
    birthplaceCode: '150203',
    gridId: grid.id,
    orgPath: grid.path,
  };
});
const residentIds: string[] = [];
for (let i = 0; i < people.length; i += 500)
  residentIds.push(
    ...(
      await db
        .insert(residents)
        .values(people.slice(i, i + 500))
        .returning({ id: residents.id })
    ).map((r) => r.id),
  );
const imeis = residentIds.map((_, i) => {
  const first = `86555${String(i).padStart(9, '0')}`;
  return `${first}${imeiCheckDigit(first)}`;
});
const home = { lat: 40.605, lng: 109.875 };
for (let i = 0; i < imeis.length; i += 500)
  await db.insert(devices).values(
    imeis.slice(i, i + 500).map((imei, j) => ({
      imei,
      model: 'bench',
      residentId: residentIds[i + j] as string,
      gridId: grid.id,
      orgPath: grid.path,
      secretHash: crypto.blindIndex(secret),
      safeArea: { center: home, radiusM: 5000 },
      thresholds: defaultThresholds,
      intervalS: 10,
    })),
  );

// ——— clients ———
const url = `mqtt://127.0.0.1:${broker.port}`;
const clients: mqtt.MqttClient[] = [];
for (let i = 0; i < imeis.length; i += 100)
  clients.push(
    ...(await Promise.all(
      imeis
        .slice(i, i + 100)
        .map((imei) => mqtt.connectAsync(url, { username: imei, password: secret, reconnectPeriod: 0 })),
    )),
  );
console.log(`${clients.length} devices connected to the embedded broker`);

let sent = 0;
const reading = (k: number) =>
  JSON.stringify({
    ts: Date.now() + k,
    lat: home.lat + (Math.random() - 0.5) * 0.002,
    lng: home.lng + (Math.random() - 0.5) * 0.002,
    hr: 60 + Math.floor(Math.random() * 30),
    bpSys: 120,
    bpDia: 80,
    battery: 80,
  });
const publish = (i: number) => {
  const imei = imeis[i] as string;
  (clients[i] as mqtt.MqttClient).publish(`devices/${imei}/telemetry`, reading(i % 7), { qos: 0 });
  sent++;
};
const before =
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from device_telemetry`))[0]?.n ?? 0;
const started = Date.now();
// Every device every 10 s, spread evenly: one tick every 10,000 / count ms, in slices of 50 ms.
const perSlice = Math.max(1, Math.round((count * 50) / 10_000));
let cursor = 0;
const steady = setInterval(() => {
  for (let k = 0; k < perSlice; k++) publish(cursor++ % count);
}, 50);
const burst = setInterval(() => {
  for (let k = 0; k < count / 4; k++) publish(Math.floor(Math.random() * count));
}, 15_000);
const latencies: number[] = [];
let sosDevice = 0;
const sos = setInterval(() => {
  const i = (sosDevice++ * 37) % count;
  const t0 = performance.now();
  void (clients[i] as mqtt.MqttClient)
    .publishAsync(`devices/${imeis[i]}/event`, JSON.stringify({ ts: Date.now(), type: 'sos' }), { qos: 1 })
    .then(() => latencies.push(performance.now() - t0));
}, 2000);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(steady);
clearInterval(burst);
clearInterval(sos);
await app.eldercare.ingest.flush();
const elapsed = (Date.now() - started) / 1000;
const stored =
  ((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from device_telemetry`))[0]?.n ?? 0) -
  before;
const [cases] = await queryRows<{ n: number }>(
  db,
  sql`select count(*)::int as n from cases where channel = 'iot_alert'`,
);
const stats = app.eldercare.ingest.stats();

// ——— flat out: every device sends 5 readings at once; time until all are stored ———
const flatBefore =
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from device_telemetry`))[0]?.n ?? 0;
const f0 = performance.now();
for (let k = 0; k < 5; k++) for (let i = 0; i < count; i++) publish(i);
const flatTotal = count * 5;
for (;;) {
  await app.eldercare.ingest.flush();
  const n =
    ((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from device_telemetry`))[0]?.n ?? 0) -
    flatBefore;
  if (n >= flatTotal * 0.99 || performance.now() - f0 > 120_000) break;
  await new Promise((r) => setTimeout(r, 100));
}
const flatSeconds = (performance.now() - f0) / 1000;
const flatRate = flatTotal / flatSeconds;

// ——— baseline: the same number of rows by a bare batched INSERT ———
const rows = Array.from({ length: flatTotal }, (_, k) => ({
  deviceId: '00000000-0000-4000-8000-000000000001',
  ts: new Date(Date.now() - 86_400_000 + k),
  lat: home.lat,
  lng: home.lng,
  hr: 70,
  bpSys: 120,
  bpDia: 80,
  battery: 80,
}));
const b0 = performance.now();
for (let i = 0; i < rows.length; i += 1000) await db.insert(deviceTelemetry).values(rows.slice(i, i + 1000));
const bareSeconds = (performance.now() - b0) / 1000;

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const storedRate = stored / elapsed;
const bareRate = flatTotal / bareSeconds;
console.log(
  JSON.stringify(
    {
      devices: count,
      seconds: Math.round(elapsed),
      published: sent,
      stored,
      storedPerSecond: Math.round(storedRate),
      dropped: stats.dropped,
      sos: latencies.length,
      sosCases: cases?.n,
      sosToCaseMs: { p50: Math.round(pct(50)), p95: Math.round(pct(95)) },
      flatOutPerSecond: Math.round(flatRate),
      bareInsertPerSecond: Math.round(bareRate),
      // MQTT, checks and batching against the same rows written by a bare batched INSERT.
      ratioToBareInsert: Number((flatRate / bareRate).toFixed(3)),
    },
    null,
    2,
  ),
);
for (const c of clients) c.end(true);
await app.close();
await database.close();
process.exit(0);
