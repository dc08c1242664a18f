import { createHmac } from 'node:crypto';
import { defaultThresholds, imeiCheckDigit } from '@civicgrid/core/api/eldercare';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { ensureTelemetryPartitions } from '../modules/eldercare/partitions.js';
import { devices, elderContacts, elderProfiles } from '../modules/eldercare/tables.js';
import { deviceTelemetry } from '../modules/eldercare/telemetryTable.js';
import { orgUnits } from '../modules/org/tables.js';
import { residents } from '../modules/residents/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInArea, seeded } from './geometry.js';
import { mobile, personName } from './people.js';

/** The demo IMEIs: TAC 86 + serial, Luhn-completed. */
export function demoImei(n: number): string {
  const first = `8699${String(n).padStart(10, '0')}`;
  return `${first}${imeiCheckDigit(first)}`;
}

/**
 * A demo device's secret, derived from the demo password: the wearables simulator
 * (scripts/simulate-wearables.mjs) derives the same one, so the demo's 40 devices connect
 * without a file of secrets. Only for the demo data; a real device's secret is random.
 */
export function demoDeviceSecret(demoPassword: string, imei: string): string {
  return createHmac('sha256', demoPassword).update(`wearable:${imei}`).digest('base64url').slice(0, 24);
}

/**
 * 智慧养老 demo (issue 20): about 40 wearables for the elders (60+) of 保利新华社区, those of
 * the named grid worker's grid first, registered by the `community` account, each with a
 * safe circle around home, default thresholds, two contacts, and today's track so far.
 */
export async function seedDemoEldercare(
  db: Db,
  opts: { crypto: FieldCrypto; demoPassword: string; count?: number },
): Promise<number> {
  const rand = seeded('civicgrid-demo-eldercare');
  const [community] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!community) return 0;
  const [registrar] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'community'));
  const [worker] = await db
    .select({ orgUnitId: users.orgUnitId })
    .from(users)
    .where(eq(users.username, 'gridworker'));
  const grids = await db
    .select({ id: orgUnits.id, geometry: orgUnits.geometry })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), like(orgUnits.path, `${community.path}%`)));
  const gridOf = new Map(grids.map((g) => [g.id, g.geometry as AreaGeometry | null]));
  const limit = new Date();
  limit.setUTCFullYear(limit.getUTCFullYear() - 60);
  const old = (
    await db
      .select({
        id: residents.id,
        gridId: residents.gridId,
        orgPath: residents.orgPath,
        birthDate: residents.birthDate,
      })
      .from(residents)
      .where(inArray(residents.gridId, [...gridOf.keys()]))
      .orderBy(asc(residents.birthDate))
  ).filter((r) => r.birthDate <= limit.toISOString().slice(0, 10));
  // The named grid worker's elders first: `gridworker` receives their alerts.
  old.sort((a, b) => Number(b.gridId === worker?.orgUnitId) - Number(a.gridId === worker?.orgUnitId));
  const chosen = old.slice(0, opts.count ?? 40);
  await ensureTelemetryPartitions(db);
  const now = Date.now();
  // The walk since seven o'clock (China time), or the last six hours when seven is not long past:
  // a demo started just after midnight would otherwise have no track at all for today.
  const dayStart = Math.min(
    new Date(`${new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)}T07:00:00+08:00`).getTime(),
    now - 6 * 3_600_000,
  );
  let n = 0;
  for (const r of chosen) {
    n++;
    const geometry = gridOf.get(r.gridId);
    const home = geometry ? pointInArea(geometry, rand) : { lat: 40.65, lng: 109.84 };
    const imei = demoImei(n);
    const [d] = await db
      .insert(devices)
      .values({
        imei,
        model: rand() < 0.5 ? '电子保姆 GW-S8' : '守护星 W2',
        sim: `1440${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
        residentId: r.id,
        gridId: r.gridId,
        orgPath: r.orgPath,
        secretHash: opts.crypto.blindIndex(demoDeviceSecret(opts.demoPassword, imei)),
        safeArea: { center: home, radiusM: 500 },
        thresholds: defaultThresholds,
        intervalS: 60,
        createdBy: registrar?.id ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: devices.id });
    if (!d) continue;
    await db
      .insert(elderProfiles)
      .values({
        residentId: r.id,
        orgPath: r.orgPath,
        livingAlone: rand() < 0.35,
        emptyNest: rand() < 0.5,
        disability: rand() < 0.1,
        careLevel: rand() < 0.7 ? 'selfCare' : rand() < 0.7 ? 'partial' : 'dependent',
        chronicEnc: rand() < 0.6 ? opts.crypto.encrypt(rand() < 0.5 ? '高血压' : '高血压、2型糖尿病') : null,
      })
      .onConflictDoNothing();
    const contacts = [
      { name: personName(rand), relation: rand() < 0.5 ? '儿子' : '女儿', kind: 'family' as const },
      { name: personName(rand), relation: '邻居', kind: 'neighbour' as const },
    ];
    await db.insert(elderContacts).values(
      contacts.map((c, i) => {
        const phone = mobile(rand);
        return {
          residentId: r.id,
          sort: i,
          ...c,
          phoneEnc: opts.crypto.encrypt(phone),
          phoneTail: phone.slice(-4),
        };
      }),
    );
    // Today's walk so far: a reading every ten minutes from 7 o'clock, wandering near home.
    const rows: (typeof deviceTelemetry.$inferInsert)[] = [];
    let lat = home.lat;
    let lng = home.lng;
    for (let ts = dayStart; ts < now; ts += 600_000) {
      lat += (rand() - 0.5) * 0.0008 - (lat - home.lat) * 0.2;
      lng += (rand() - 0.5) * 0.0008 - (lng - home.lng) * 0.2;
      rows.push({
        deviceId: d.id,
        ts: new Date(ts),
        lat: Math.round(lat * 1e6) / 1e6,
        lng: Math.round(lng * 1e6) / 1e6,
        hr: Math.round(68 + rand() * 20),
        bpSys: Math.round(118 + rand() * 25),
        bpDia: Math.round(72 + rand() * 14),
        battery: Math.max(20, 100 - ((ts - dayStart) / 3_600_000) * 4),
      });
    }
    if (rows.length) {
      await db.insert(deviceTelemetry).values(rows).onConflictDoNothing();
      const last = rows[rows.length - 1] as (typeof rows)[number];
      await db
        .update(devices)
        .set({
          lastSeenAt: last.ts,
          lastLat: last.lat,
          lastLng: last.lng,
          lastHr: last.hr,
          lastBpSys: last.bpSys,
          lastBpDia: last.bpDia,
          lastBattery: last.battery,
        })
        .where(eq(devices.id, d.id));
    }
  }
  return chosen.length;
}
