import { timingSafeEqual } from 'node:crypto';
import {
  type AlertKind,
  defaultThresholds,
  type EventPayload,
  eventPayload,
  type SafeArea,
  type TelemetryPayload,
  type Thresholds,
  telemetryPayload,
} from '@civicgrid/core/api/eldercare';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { errorForLog } from '../../platform/logging.js';
import { type AlertDeps, type DeviceFacts, raiseAlert } from './alerts.js';
import { insideArea } from './geo.js';
import { devices } from './tables.js';
import { deviceTelemetry } from './telemetryTable.js';

/**
 * The ingestion of wearables' messages, whatever carried them (the embedded broker, an
 * outside broker, HTTP). Every message is checked before anything is stored: malformed JSON,
 * an unknown IMEI, a time far in the future or long past, coordinates out of range and a
 * flood from one device are dropped, counted by reason and logged once without the payload.
 * Telemetry is buffered and written in batches (one INSERT per flush, a resent reading kept
 * once by the primary key); events (SOS, fall) skip the buffer and raise their alert at once.
 */
export interface Ingest {
  /** Whether the secret is the device's (the broker's authentication, HTTP Basic). */
  authenticate(imei: string, secret: string): Promise<boolean>;
  /** One message from a device; `payload` is the raw bytes or an already parsed body. */
  handle(
    imei: string,
    topic: 'telemetry' | 'event',
    payload: Buffer | string | unknown,
  ): Promise<IngestResult>;
  stats(): IngestStats;
  /** Writes what is buffered now (tests, shutdown). */
  flush(): Promise<void>;
  /** Forgets a device's cached row (its registration changed). */
  forget(imei: string): void;
  close(): Promise<void>;
}

export interface IngestResult {
  accepted: boolean;
  reason?: DropReason;
}

export type DropReason =
  | 'malformed'
  | 'invalid'
  | 'unknownDevice'
  | 'future'
  | 'stale'
  | 'rateLimited'
  | 'writeFailed';

export interface IngestStats {
  stored: number;
  events: number;
  dropped: Record<string, number>;
  queued: number;
}

interface CachedDevice extends DeviceFacts {
  secretHash: string;
  thresholds: Thresholds;
  safeArea: SafeArea | null;
  streak: number;
  outside: boolean;
  lowBattery: boolean;
  lastKnown: { lat: number; lng: number } | null;
  loadedAt: number;
}

interface Reading {
  deviceId: string;
  ts: Date;
  hr: number | null;
  bpSys: number | null;
  bpDia: number | null;
  lat: number | null;
  lng: number | null;
  battery: number | null;
}

export interface IngestOptions {
  messagesPerMinute: number;
  /** How far ahead of the server's clock a device's time may be (clocks drift). */
  futureToleranceMs?: number;
  /** How old a reading may be when it arrives (a device that buffered offline). */
  maxAgeMs?: number;
  flushMs?: number;
  batchSize?: number;
  log: { warn(o: object, m: string): void; info(o: object, m: string): void };
}

const cacheMs = 30_000;
const lowBatteryAt = 15;
const batteryRecoveredAt = 30;

/** `ts` as milliseconds, seconds or ISO 8601 → a Date, or null. */
export function readingTime(ts: number | string): Date | null {
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts) || ts <= 0) return null;
    return new Date(ts < 1e11 ? ts * 1000 : ts);
  }
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function createIngest(
  deps: AlertDeps & { blindIndex(v: string): string },
  opts: IngestOptions,
): Ingest {
  const { db } = deps;
  const futureMs = opts.futureToleranceMs ?? 5 * 60_000;
  const maxAgeMs = opts.maxAgeMs ?? 7 * 86_400_000;
  const flushMs = opts.flushMs ?? 200;
  const batchSize = opts.batchSize ?? 1000;
  const cache = new Map<string, CachedDevice | null>();
  const unknownUntil = new Map<string, number>();
  const windows = new Map<string, { start: number; count: number; logged: boolean }>();
  const counters = { stored: 0, events: 0, dropped: {} as Record<string, number> };
  let buffer: Reading[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  const alerting = new Set<Promise<unknown>>();
  let closed = false;

  const drop = (reason: DropReason, imei: string, extra: object = {}): IngestResult => {
    counters.dropped[reason] = (counters.dropped[reason] ?? 0) + 1;
    // One line, never the payload: it may hold a position or vital signs.
    if (reason !== 'rateLimited')
      opts.log.warn({ imei: imei.slice(0, 20), reason, ...extra }, 'device message dropped');
    return { accepted: false, reason };
  };

  async function device(imei: string): Promise<CachedDevice | null> {
    const hit = cache.get(imei);
    if (hit && Date.now() - hit.loadedAt < cacheMs) return hit;
    if ((unknownUntil.get(imei) ?? 0) > Date.now()) return null;
    const [row] = await db
      .select()
      .from(devices)
      .where(and(eq(devices.imei, imei), isNull(devices.retiredAt)));
    if (!row) {
      // A flood of unknown IMEIs must not become a flood of queries.
      unknownUntil.set(imei, Date.now() + cacheMs);
      if (unknownUntil.size > 100_000) unknownUntil.clear();
      cache.delete(imei);
      return null;
    }
    const d: CachedDevice = {
      id: row.id,
      imei: row.imei,
      residentId: row.residentId,
      gridId: row.gridId,
      orgPath: row.orgPath,
      secretHash: row.secretHash,
      thresholds: { ...defaultThresholds, ...row.thresholds },
      safeArea: row.safeArea ?? null,
      streak: hit?.streak ?? row.vitalsStreak,
      outside: hit?.outside ?? row.outsideArea,
      lowBattery: hit?.lowBattery ?? (row.lastBattery !== null && row.lastBattery < lowBatteryAt),
      lastKnown:
        hit?.lastKnown ??
        (row.lastLat !== null && row.lastLng !== null ? { lat: row.lastLat, lng: row.lastLng } : null),
      loadedAt: Date.now(),
    };
    cache.set(imei, d);
    return d;
  }

  function overRate(d: CachedDevice): boolean {
    const now = Date.now();
    let w = windows.get(d.id);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0, logged: false };
      windows.set(d.id, w);
    }
    w.count++;
    if (w.count <= opts.messagesPerMinute) return false;
    if (!w.logged) {
      w.logged = true;
      opts.log.warn(
        { imei: d.imei, perMinute: opts.messagesPerMinute },
        'device rate-limited; further messages dropped',
      );
    }
    return true;
  }

  function alertLater(
    d: CachedDevice,
    kind: AlertKind,
    at: { lat: number | null; lng: number | null; detail?: string },
  ) {
    const p = raiseAlert(deps, d, kind, at)
      .catch((e) => opts.log.warn({ imei: d.imei, kind, err: errorForLog(e) }, 'alert failed'))
      .finally(() => alerting.delete(p));
    alerting.add(p);
  }

  /** The rules on each reading: fence, vitals N in a row, low battery. */
  function evaluate(d: CachedDevice, r: Reading) {
    if (r.lat !== null && r.lng !== null && d.safeArea) {
      const outside = !insideArea(d.safeArea, r.lat, r.lng);
      if (outside && !d.outside) alertLater(d, 'fence', { lat: r.lat, lng: r.lng, detail: '离开安全区域' });
      d.outside = outside;
    }
    const t = d.thresholds;
    const hasVitals = r.hr !== null || r.bpSys !== null || r.bpDia !== null;
    if (hasVitals) {
      const out =
        (r.hr !== null && (r.hr < t.hrMin || r.hr > t.hrMax)) ||
        (r.bpSys !== null && r.bpSys > t.bpSysMax) ||
        (r.bpDia !== null && r.bpDia > t.bpDiaMax);
      d.streak = out ? d.streak + 1 : 0;
      if (d.streak === t.consecutive) {
        const detail = `连续 ${t.consecutive} 次超出阈值（心率 ${r.hr ?? '-'}，血压 ${r.bpSys ?? '-'}/${r.bpDia ?? '-'}）`;
        alertLater(d, 'vitals', { lat: r.lat, lng: r.lng, detail });
      }
    }
    if (r.battery !== null) {
      if (r.battery < lowBatteryAt && !d.lowBattery)
        alertLater(d, 'lowBattery', { lat: r.lat, lng: r.lng, detail: `电量 ${Math.round(r.battery)}%` });
      if (r.battery < lowBatteryAt) d.lowBattery = true;
      else if (r.battery >= batteryRecoveredAt) d.lowBattery = false;
    }
  }

  function parse(payload: unknown): unknown | undefined {
    if (Buffer.isBuffer(payload) || typeof payload === 'string') {
      const text = payload.toString();
      if (text.length > 4096) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    }
    return payload;
  }

  function scheduleFlush() {
    if (buffer.length >= batchSize) void flush();
    else if (!timer) timer = setTimeout(() => void flush(), flushMs);
  }

  async function writeBatch(batch: Reading[]) {
    try {
      const stored = await db.insert(deviceTelemetry).values(batch).onConflictDoNothing().returning({
        deviceId: deviceTelemetry.deviceId,
      });
      counters.stored += stored.length;
    } catch (e) {
      counters.dropped.writeFailed = (counters.dropped.writeFailed ?? 0) + batch.length;
      opts.log.warn({ rows: batch.length, err: errorForLog(e) }, 'telemetry batch not stored');
      return;
    }
    // The newest reading of each device, for the map and the device list.
    const last = new Map<string, Reading>();
    for (const r of batch) {
      const was = last.get(r.deviceId);
      if (!was || was.ts <= r.ts) last.set(r.deviceId, r);
    }
    const states = new Map([...cache.values()].filter((d): d is CachedDevice => !!d).map((d) => [d.id, d]));
    const values = [...last.values()].map((r) => {
      const s = states.get(r.deviceId);
      return sql`(${r.deviceId}::uuid, ${r.ts.toISOString()}::timestamptz, ${r.lat}::float8, ${r.lng}::float8, ${r.hr}::int, ${r.bpSys}::int, ${r.bpDia}::int, ${r.battery}::float8, ${s?.streak ?? 0}::int, ${s?.outside ?? false}::boolean)`;
    });
    try {
      await db.execute(sql`update ${devices} d set
          last_seen_at = greatest(d.last_seen_at, v.ts),
          last_lat = coalesce(v.lat, d.last_lat), last_lng = coalesce(v.lng, d.last_lng),
          last_hr = coalesce(v.hr, d.last_hr), last_bp_sys = coalesce(v.bp_sys, d.last_bp_sys),
          last_bp_dia = coalesce(v.bp_dia, d.last_bp_dia), last_battery = coalesce(v.battery, d.last_battery),
          vitals_streak = v.streak, outside_area = v.outside
        from (values ${sql.join(values, sql`, `)}) as v(id, ts, lat, lng, hr, bp_sys, bp_dia, battery, streak, outside)
        where d.id = v.id`);
    } catch (e) {
      opts.log.warn({ rows: values.length, err: errorForLog(e) }, 'device positions not updated');
    }
    for (const r of last.values()) {
      const s = states.get(r.deviceId);
      if (s && r.lat !== null)
        deps.bus.publish({
          type: 'eldercare',
          kind: 'position',
          deviceId: r.deviceId,
          orgPath: s.orgPath,
          lat: r.lat,
          lng: r.lng,
        });
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = buffer;
    buffer = [];
    // One flush at a time, in order: a later batch never overtakes an earlier one.
    flushing = flushing.then(() => (batch.length ? writeBatch(batch) : undefined));
    return flushing;
  }

  return {
    async authenticate(imei, secret) {
      if (typeof imei !== 'string' || typeof secret !== 'string' || !/^\d{15}$/.test(imei)) return false;
      const d = await device(imei);
      if (!d) return false;
      const a = Buffer.from(deps.blindIndex(secret));
      const b = Buffer.from(d.secretHash);
      return a.length === b.length && timingSafeEqual(a, b);
    },

    async handle(imei, topic, payload) {
      if (closed) return { accepted: false, reason: 'writeFailed' };
      const d = /^\d{15}$/.test(imei) ? await device(imei) : null;
      if (!d) return drop('unknownDevice', imei);
      if (overRate(d)) return drop('rateLimited', imei);
      const body = parse(payload);
      if (body === undefined) return drop('malformed', imei);
      const schema = topic === 'event' ? eventPayload : telemetryPayload;
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        return drop('invalid', imei, { field: parsed.error.issues[0]?.path.join('.') ?? '' });
      const ts = readingTime(parsed.data.ts);
      if (!ts) return drop('invalid', imei, { field: 'ts' });
      const now = Date.now();
      if (ts.getTime() > now + futureMs) return drop('future', imei);
      if (ts.getTime() < now - maxAgeMs) return drop('stale', imei);
      if (topic === 'event') {
        const e = parsed.data as EventPayload;
        counters.events++;
        const at = { lat: e.lat ?? d.lastKnown?.lat ?? null, lng: e.lng ?? d.lastKnown?.lng ?? null };
        // An SOS is not buffered: its case is committed before the device hears back (HTTP) or
        // the broker acknowledges the packet (MQTT QoS 1); the dispatch and texts follow.
        await raiseAlert(deps, d, e.type, at, (work) => {
          const p = work
            .catch((err) => opts.log.warn({ imei: d.imei, err: errorForLog(err) }, 'alert follow-up failed'))
            .finally(() => alerting.delete(p));
          alerting.add(p);
        });
        return { accepted: true };
      }
      const t = parsed.data as TelemetryPayload;
      if ((t.lat === undefined) !== (t.lng === undefined)) return drop('invalid', imei, { field: 'lat' });
      const r: Reading = {
        deviceId: d.id,
        ts,
        hr: t.hr ?? null,
        bpSys: t.bpSys ?? null,
        bpDia: t.bpDia ?? null,
        lat: t.lat ?? null,
        lng: t.lng ?? null,
        battery: t.battery ?? null,
      };
      if (r.lat !== null && r.lng !== null) d.lastKnown = { lat: r.lat, lng: r.lng };
      evaluate(d, r);
      buffer.push(r);
      scheduleFlush();
      return { accepted: true };
    },

    stats() {
      return { ...counters, dropped: { ...counters.dropped }, queued: buffer.length };
    },

    async flush() {
      await flush();
      while (alerting.size) await Promise.allSettled([...alerting]);
    },

    forget(imei) {
      cache.delete(imei);
      unknownUntil.delete(imei);
    },

    async close() {
      closed = true;
      await flush();
      while (alerting.size) await Promise.allSettled([...alerting]);
    },
  };
}
