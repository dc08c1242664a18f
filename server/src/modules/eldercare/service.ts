import { randomBytes } from 'node:crypto';
import {
  type alertActions,
  type alertQuery,
  type careLevels,
  type DeviceInput,
  defaultThresholds,
  type deviceQuery,
  type ElderProfileInput,
  type mobilities,
} from '@civicgrid/core/api/eldercare';
import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped } from '../../platform/scope.js';
import { cases } from '../cases/tables.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { alertsScope, devicesScope, elderProfilesScope, mayReadHealth } from './policy.js';
import { type AlertNames, ageOn, type DeviceNames, presentAlert, presentDevice } from './presenter.js';
import { deviceAlerts, devices, elderContacts, elderProfiles } from './tables.js';
import { deviceTelemetry } from './telemetryTable.js';

export interface EldercareDeps {
  db: Db;
  crypto: FieldCrypto;
}

const elderAge = 60;

/** The resident, in the actor's jurisdiction and aged 60 or more (from the ID number's birth date). */
async function elderOf(db: Db, actor: Actor, residentId: string, named: 'path' | 'body' = 'path') {
  // Named in the path, an elder outside is not found (404); named in a body, a field error.
  const r =
    named === 'path'
      ? await loadScoped(db, actor, residentScope, residentId)
      : await loadScoped(db, actor, residentScope, residentId).catch(() => {
          throw fieldError('residentId', 'inJurisdiction', 'ELDER_NOT_IN_JURISDICTION');
        });
  const field = 'residentId';
  if (ageOn(r.birthDate, new Date()) < elderAge) throw fieldError(field, 'elder', 'ELDER_TOO_YOUNG');
  return r;
}

/**
 * 登记终端: the device is bound to an elder of the actor's jurisdiction and placed in the
 * elder's grid; a fresh secret is made, stored only as its keyed hash and shown once.
 */
export async function registerDevice(
  deps: EldercareDeps,
  actor: Actor,
  input: DeviceInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const elder = await elderOf(db, actor, input.residentId, 'body');
  const secret = randomBytes(18).toString('base64url');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(devices)
      .values({
        imei: input.imei,
        model: input.model,
        sim: input.sim ?? null,
        residentId: elder.id,
        gridId: elder.gridId,
        orgPath: elder.orgPath,
        secretHash: crypto.blindIndex(secret),
        safeArea: input.safeArea ?? null,
        thresholds: { ...defaultThresholds, ...input.thresholds },
        intervalS: input.intervalS,
        createdBy: actor.userId,
      })
      .onConflictDoNothing({ target: devices.imei })
      .returning({ id: devices.id });
    if (!row) throw fieldError('imei', 'unique', 'DEVICE_IMEI_TAKEN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'device.registered',
      targetType: 'device',
      targetId: row.id,
      payload: { imei: input.imei },
    });
    return { id: row.id, imei: input.imei, secret };
  });
}

async function deviceNames(
  db: Db,
  rows: { id: string; residentId: string; gridId: number }[],
): Promise<DeviceNames> {
  const residentIds = [...new Set(rows.map((r) => r.residentId))];
  const gridIds = [...new Set(rows.map((r) => r.gridId))];
  const deviceIds = rows.map((r) => r.id);
  const [people, grids, open] = await Promise.all([
    residentIds.length
      ? db
          .select({ id: residents.id, name: residents.name, birthDate: residents.birthDate })
          .from(residents)
          .where(inArray(residents.id, residentIds))
      : [],
    gridIds.length
      ? db
          .select({ id: orgUnits.id, name: orgUnits.name })
          .from(orgUnits)
          .where(inArray(orgUnits.id, gridIds))
      : [],
    deviceIds.length
      ? db
          .select({ deviceId: deviceAlerts.deviceId, n: sql<number>`count(*)::int` })
          .from(deviceAlerts)
          .where(and(inArray(deviceAlerts.deviceId, deviceIds), sql`${deviceAlerts.status} <> 'closed'`))
          .groupBy(deviceAlerts.deviceId)
      : [],
  ]);
  return {
    people: new Map(people.map((p) => [p.id, p])),
    grids: new Map(grids.map((g) => [g.id, g.name])),
    openAlerts: new Map(open.map((o) => [o.deviceId, Number(o.n)])),
  };
}

export async function listDevices(db: Db, actor: Actor, q: z.infer<typeof deviceQuery>) {
  const conds: SQL[] = [sql`${devices.retiredAt} is null`];
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      or(
        ilike(devices.imei, like),
        sql`${devices.residentId} in (select id from residents where name ilike ${like})`,
      ) as SQL,
    );
  }
  const now = Date.now();
  if (q.status === 'never') conds.push(sql`${devices.lastSeenAt} is null`);
  if (q.status === 'online')
    conds.push(
      sql`${devices.lastSeenAt} > ${new Date(now)}::timestamptz - make_interval(secs => greatest(${devices.intervalS} * 3, 600))`,
    );
  if (q.status === 'offline')
    conds.push(
      sql`${devices.lastSeenAt} <= ${new Date(now)}::timestamptz - make_interval(secs => greatest(${devices.intervalS} * 3, 600))`,
    );
  const { items, total } = await listScoped(db, actor, devicesScope, {
    where: and(...conds),
    orderBy: [asc(devices.imei)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await deviceNames(db, items);
  return { items: items.map((d) => presentDevice(d, names, now)), total };
}

export async function deviceDetail(db: Db, actor: Actor, id: string) {
  const d = await loadScoped(db, actor, devicesScope, id);
  return presentDevice(d, await deviceNames(db, [d]), Date.now());
}

/** A calendar day in China time (UTC+8) as an instant range. */
function dayRange(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00+08:00`);
  if (Number.isNaN(from.getTime())) throw fieldError('date', 'date', 'VALIDATION');
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** 轨迹回放: the positions a device reported on a day, in order. */
export async function deviceTrack(db: Db, actor: Actor, id: string, date: string) {
  const d = await loadScoped(db, actor, devicesScope, id);
  const { from, to } = dayRange(date);
  const rows = await db
    .select({ ts: deviceTelemetry.ts, lat: deviceTelemetry.lat, lng: deviceTelemetry.lng })
    .from(deviceTelemetry)
    .where(
      and(
        eq(deviceTelemetry.deviceId, d.id),
        gte(deviceTelemetry.ts, from),
        lt(deviceTelemetry.ts, to),
        isNotNull(deviceTelemetry.lat),
      ),
    )
    .orderBy(asc(deviceTelemetry.ts))
    .limit(20_000);
  return {
    points: rows.map((r) => ({ ts: r.ts.toISOString(), lat: r.lat as number, lng: r.lng as number })),
  };
}

/** 体征曲线: heart rate, blood pressure and battery of a day (health data: the read is audited). */
export async function deviceVitals(db: Db, actor: Actor, id: string, date: string, meta: RequestMeta) {
  const d = await loadScoped(db, actor, devicesScope, id);
  if (!mayReadHealth(actor, d.orgPath)) throw new AppError('NOT_FOUND');
  const { from, to } = dayRange(date);
  const rows = await db
    .select({
      ts: deviceTelemetry.ts,
      hr: deviceTelemetry.hr,
      bpSys: deviceTelemetry.bpSys,
      bpDia: deviceTelemetry.bpDia,
      battery: deviceTelemetry.battery,
    })
    .from(deviceTelemetry)
    .where(and(eq(deviceTelemetry.deviceId, d.id), gte(deviceTelemetry.ts, from), lt(deviceTelemetry.ts, to)))
    .orderBy(asc(deviceTelemetry.ts))
    .limit(20_000);
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'elder.healthRead',
      targetType: 'resident',
      targetId: d.residentId,
    }),
  );
  return { points: rows.map((r) => ({ ...r, ts: r.ts.toISOString() })) };
}

async function alertNames(db: Db, rows: { deviceId: string; caseId: string | null }[]): Promise<AlertNames> {
  const deviceIds = [...new Set(rows.map((r) => r.deviceId))];
  const caseIds = [...new Set(rows.map((r) => r.caseId).filter((c): c is string => c !== null))];
  const [devs, codes] = await Promise.all([
    deviceIds.length
      ? db
          .select({ id: devices.id, imei: devices.imei, elderName: residents.name, gridName: orgUnits.name })
          .from(devices)
          .innerJoin(residents, eq(residents.id, devices.residentId))
          .leftJoin(orgUnits, eq(orgUnits.id, devices.gridId))
          .where(inArray(devices.id, deviceIds))
      : [],
    caseIds.length
      ? db.select({ id: cases.id, code: cases.code }).from(cases).where(inArray(cases.id, caseIds))
      : [],
  ]);
  return { devices: new Map(devs.map((d) => [d.id, d])), cases: new Map(codes.map((c) => [c.id, c.code])) };
}

export async function listAlerts(db: Db, actor: Actor, q: z.infer<typeof alertQuery>) {
  const conds: SQL[] = [];
  if (q.status) conds.push(eq(deviceAlerts.status, q.status));
  if (q.kind) conds.push(eq(deviceAlerts.kind, q.kind));
  if (q.deviceId) conds.push(eq(deviceAlerts.deviceId, q.deviceId));
  const { items, total } = await listScoped(db, actor, alertsScope, {
    where: conds.length ? and(...conds) : undefined,
    orderBy: [desc(deviceAlerts.openedAt)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await alertNames(db, items);
  return { items: items.map((a) => presentAlert(a, names)), total };
}

/** 确认 (timed from the alert's opening) and 关闭; a closed alert lets the next one of its kind open. */
export async function alertAction(
  db: Db,
  actor: Actor,
  id: string,
  action: (typeof alertActions)[number],
  meta: RequestMeta,
) {
  const row = await db.transaction(async (tx) => {
    const a = await loadScoped(tx, actor, alertsScope, id, { forUpdate: true });
    const now = new Date();
    if (action === 'acknowledge') {
      if (a.status !== 'open') throw new AppError('ALERT_INVALID_STATE');
      const seconds = Math.max(0, Math.round((now.getTime() - a.openedAt.getTime()) / 1000));
      const [u] = await tx
        .update(deviceAlerts)
        .set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.userId })
        .where(eq(deviceAlerts.id, a.id))
        .returning();
      await appendAudit(tx, auditActorOf(actor, meta), {
        action: 'deviceAlert.acknowledged',
        targetType: 'deviceAlert',
        targetId: a.id,
        payload: { kind: a.kind, seconds },
      });
      return u;
    }
    if (a.status === 'closed') throw new AppError('ALERT_INVALID_STATE');
    const [u] = await tx
      .update(deviceAlerts)
      .set({
        status: 'closed',
        closedAt: now,
        closedBy: actor.userId,
        // Closing an alert nobody acknowledged acknowledges it now: its response time stays measurable.
        acknowledgedAt: a.acknowledgedAt ?? now,
        acknowledgedBy: a.acknowledgedBy ?? actor.userId,
      })
      .where(eq(deviceAlerts.id, a.id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'deviceAlert.closed',
      targetType: 'deviceAlert',
      targetId: a.id,
      payload: { kind: a.kind },
    });
    return u;
  });
  if (!row) throw new AppError('NOT_FOUND');
  return presentAlert(row, await alertNames(db, [row]));
}

/** 老人档案: the profile with its contacts (phones masked); health data for those who need it, audited. */
export async function elderProfile(deps: EldercareDeps, actor: Actor, residentId: string, meta: RequestMeta) {
  const { db, crypto } = deps;
  const elder = await elderOf(db, actor, residentId);
  const [p] = await db
    .select()
    .from(elderProfiles)
    .where(and(eq(elderProfiles.residentId, elder.id), elderProfilesScope.where(actor)));
  const contacts = await db
    .select()
    .from(elderContacts)
    .where(eq(elderContacts.residentId, elder.id))
    .orderBy(asc(elderContacts.sort));
  const healthVisible = mayReadHealth(actor, elder.orgPath);
  const health = p?.chronicEnc && healthVisible ? crypto.decrypt(p.chronicEnc) : null;
  if (health !== null)
    await db.transaction((tx) =>
      appendAudit(tx, auditActorOf(actor, meta), {
        action: 'elder.healthRead',
        targetType: 'resident',
        targetId: elder.id,
      }),
    );
  return {
    residentId: elder.id,
    name: elder.name,
    age: ageOn(elder.birthDate, new Date()),
    livingAlone: p?.livingAlone ?? false,
    emptyNest: p?.emptyNest ?? false,
    disability: p?.disability ?? false,
    careLevel: (p?.careLevel ?? 'selfCare') as (typeof careLevels)[number],
    mobility: (p?.mobility ?? 'independent') as (typeof mobilities)[number],
    chronicConditions: health,
    healthVisible,
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      relation: c.relation,
      kind: c.kind,
      phone: `${'*'.repeat(7)}${c.phoneTail}`,
    })),
    updatedAt: p?.updatedAt.toISOString() ?? null,
  };
}

export async function saveElderProfile(
  deps: EldercareDeps,
  actor: Actor,
  residentId: string,
  input: ElderProfileInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const elder = await elderOf(db, actor, residentId);
  // Health data is changed only by those who may read it; left out, it stays as it is.
  if (input.chronicConditions !== undefined && !mayReadHealth(actor, elder.orgPath))
    throw fieldError('chronicConditions', 'needToKnow', 'ELDER_HEALTH_FORBIDDEN');
  input.contacts.forEach((c, i) => {
    if (c.id === undefined && c.phone === undefined)
      throw fieldError(`contacts.${i}.phone`, 'required', 'ELDER_CONTACT_PHONE_REQUIRED');
  });
  await db.transaction(async (tx) => {
    // The file is rewritten whole: one editor at a time (a second save waits and then replaces).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('elder-profile'), hashtext(${elder.id}))`);
    const stored = new Map(
      (await tx.select().from(elderContacts).where(eq(elderContacts.residentId, elder.id))).map((c) => [
        c.id,
        c,
      ]),
    );
    const contacts = input.contacts.map((c, i) => {
      const kept = c.id === undefined ? undefined : stored.get(c.id);
      if (c.id !== undefined && !kept)
        throw fieldError(`contacts.${i}.id`, 'onFile', 'ELDER_CONTACT_UNKNOWN');
      const phone = c.phone ?? null;
      return {
        residentId: elder.id,
        sort: i,
        name: c.name,
        relation: c.relation,
        kind: c.kind,
        phoneEnc: phone === null ? (kept?.phoneEnc as string) : crypto.encrypt(phone),
        phoneTail: phone === null ? (kept?.phoneTail as string) : phone.slice(-4),
      };
    });
    const chronic =
      input.chronicConditions === undefined
        ? {}
        : { chronicEnc: input.chronicConditions ? crypto.encrypt(input.chronicConditions) : null };
    const values = {
      orgPath: elder.orgPath,
      livingAlone: input.livingAlone,
      emptyNest: input.emptyNest,
      disability: input.disability,
      careLevel: input.careLevel,
      mobility: input.mobility,
      ...chronic,
      updatedAt: new Date(),
    };
    await tx
      .insert(elderProfiles)
      .values({ residentId: elder.id, ...values })
      .onConflictDoUpdate({ target: elderProfiles.residentId, set: values });
    await tx.delete(elderContacts).where(eq(elderContacts.residentId, elder.id));
    if (contacts.length) await tx.insert(elderContacts).values(contacts);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'elder.profileSaved',
      targetType: 'resident',
      targetId: elder.id,
      payload: {
        contacts: contacts.length,
        newPhones: input.contacts.filter((c) => c.phone !== undefined).length,
        health: input.chronicConditions === undefined ? 'kept' : input.chronicConditions ? 'set' : 'cleared',
      },
    });
  });
  return elderProfile(deps, actor, residentId, meta);
}
