// `npm run simulate:wearables -- --devices 200`: plays the demo elders' wearables against a
// running CivicGrid, so the eldercare page shows a living map. Each device connects to the
// server's MQTT broker with its IMEI and secret and reports every --interval seconds: a slow
// walk around home (inside its safe circle), heart rate and blood pressure, a battery that runs
// down; now and then an SOS, and one device walks out of its safe area. The demo's 40 devices
// derive their secrets from the demo password (server/src/seed/eldercare.ts); with more
// --devices than exist, the simulator registers the rest as `community` (60+ residents of
// 保利新华社区) and keeps their secrets in .tmp/wearables-secrets.json for the next run.
// Options: --server <url> --mqtt <url> --devices <n> --interval <s> --duration <s> --sos <per hour>.
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.SERVER_URL ?? 'http://localhost:3000' },
    mqtt: {
      type: 'string',
      default: process.env.MQTT_URL ?? `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}`,
    },
    devices: { type: 'string', default: '40' },
    interval: { type: 'string', default: '10' },
    duration: { type: 'string', default: '0' },
    sos: { type: 'string', default: '2' },
    user: { type: 'string', default: 'community' },
    password: { type: 'string', default: process.env.DEMO_PASSWORD ?? 'Demo@2026' },
  },
});
const wanted = Number(values.devices);
const intervalMs = Number(values.interval) * 1000;
const secretsFile = '.tmp/wearables-secrets.json';

const demoSecret = (imei) =>
  createHmac('sha256', values.password).update(`wearable:${imei}`).digest('base64url').slice(0, 24);

async function login() {
  const res = await fetch(`${values.server}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: values.user, password: values.password }),
  });
  if (!res.ok) throw new Error(`login ${values.user}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(`${values.server}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, json: await r.json().catch(() => null) };
  };
}

function imeiOf(n) {
  const first = `8698${String(n).padStart(10, '0')}`;
  for (let d = 0; d <= 9; d++) {
    const imei = `${first}${d}`;
    let sum = 0;
    for (let i = 0; i < 15; i++) {
      let x = imei.charCodeAt(14 - i) - 48;
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return imei;
  }
}

async function devicesToPlay(api) {
  const saved = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
  const list = [];
  for (let page = 1; ; page++) {
    const r = await api('GET', `/api/devices?pageSize=200&page=${page}`);
    if (r.status !== 200) throw new Error(`GET /api/devices: ${r.status}`);
    list.push(...r.json.items);
    if (r.json.items.length < 200) break;
  }
  const known = list
    .map((d) => ({ ...d, secret: saved[d.imei] ?? demoSecret(d.imei) }))
    .filter((d) => d.safeArea?.center || d.last?.lat);
  let n = 1;
  for (let page = 1; known.length < wanted && page < 50; page++) {
    const r = await api('GET', `/api/residents?ageFrom=60&pageSize=200&page=${page}`);
    if (r.status !== 200 || !r.json.items.length) break;
    const bound = new Set(list.map((d) => d.residentId));
    for (const p of r.json.items) {
      if (known.length >= wanted) break;
      if (bound.has(p.id)) continue;
      let imei = imeiOf(n++);
      while (list.some((d) => d.imei === imei)) imei = imeiOf(n++);
      const home = { lat: 40.64 + (Math.random() - 0.5) * 0.02, lng: 109.84 + (Math.random() - 0.5) * 0.02 };
      const created = await api('POST', '/api/devices', {
        imei,
        model: '模拟手环',
        residentId: p.id,
        safeArea: { center: home, radiusM: 500 },
      });
      if (created.status !== 201) continue;
      saved[imei] = created.json.secret;
      known.push({
        id: created.json.id,
        imei,
        secret: created.json.secret,
        safeArea: { center: home },
        elderName: p.name,
      });
    }
  }
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(secretsFile, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return known.slice(0, wanted);
}

function play(d, index) {
  const home = d.safeArea?.center ?? { lat: d.last.lat, lng: d.last.lng };
  const state = {
    lat: home.lat,
    lng: home.lng,
    battery: d.last?.battery ?? 90 + Math.random() * 10,
    away: false,
  };
  // One device in fifty walks out of its safe area after a few minutes.
  const wanders = index % 50 === 7;
  const started = Date.now();
  const client = mqtt.connect(values.mqtt, { username: d.imei, password: d.secret, reconnectPeriod: 5000 });
  client.on('error', (e) => console.log(`  ${d.imei}: ${e.message}`));
  const tick = () => {
    if (!client.connected) return;
    if (wanders && Date.now() - started > 120_000) state.away = true;
    const pull = state.away ? 0 : 0.25;
    state.lat += (Math.random() - 0.5) * 0.0006 - (state.lat - home.lat) * pull + (state.away ? 0.0015 : 0);
    state.lng += (Math.random() - 0.5) * 0.0006 - (state.lng - home.lng) * pull;
    state.battery = Math.max(3, state.battery - 0.05);
    const reading = {
      ts: Date.now(),
      lat: Math.round(state.lat * 1e6) / 1e6,
      lng: Math.round(state.lng * 1e6) / 1e6,
      hr: Math.round(70 + (Math.random() - 0.5) * 16),
      bpSys: Math.round(125 + (Math.random() - 0.5) * 20),
      bpDia: Math.round(80 + (Math.random() - 0.5) * 12),
      battery: Math.round(state.battery),
    };
    client.publish(`devices/${d.imei}/telemetry`, JSON.stringify(reading), { qos: 0 });
    const sosChance = ((Number(values.sos) / 3600) * (intervalMs / 1000)) / Math.max(1, wanted / 40);
    if (Math.random() < sosChance) {
      client.publish(
        `devices/${d.imei}/event`,
        JSON.stringify({ ts: Date.now(), type: 'sos', lat: reading.lat, lng: reading.lng }),
        { qos: 1 },
      );
      console.log(`SOS  ${d.imei} ${d.elderName ?? ''}`);
    }
  };
  // Spread the devices over the interval, as real ones are.
  setTimeout(() => {
    tick();
    setInterval(tick, intervalMs);
  }, Math.random() * intervalMs);
  return client;
}

const api = await login();
const devices = await devicesToPlay(api);
console.log(`${devices.length} wearables → ${values.mqtt}, every ${values.interval} s (Ctrl-C to stop)`);
const clients = devices.map(play);
const stop = () => {
  for (const c of clients) c.end(true);
  process.exit(0);
};
process.on('SIGINT', stop);
if (Number(values.duration) > 0) setTimeout(stop, Number(values.duration) * 1000);
