import { z } from 'zod';
import { pageQuery } from './common.js';

/**
 * 智慧养老 (issue 20), the device side: wearables over MQTT or HTTP, their telemetry and the
 * alerts they raise. The topics and payloads below are the contract outside devices and the
 * checks rely on (`devices/{imei}/telemetry`, `devices/{imei}/event`).
 */

/** An IMEI: 15 digits, the last a Luhn check digit (3GPP TS 23.003 §6.2.1). */
export function isValidImei(imei: string): boolean {
  if (!/^\d{15}$/.test(imei)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = imei.charCodeAt(14 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit that completes 14 digits into an IMEI (the seed and tests make IMEIs). */
export function imeiCheckDigit(first14: string): string {
  for (let d = 0; d <= 9; d++) if (isValidImei(`${first14}${d}`)) return String(d);
  return '0';
}

export const imei = z.string().refine(isValidImei, { message: 'IMEI 应为 15 位数字且校验位正确' });

export const point = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

/** 安全区域: a circle around home, or a polygon of [lng, lat] corners (GeoJSON order). */
export const safeArea = z.union([
  z.object({ center: point, radiusM: z.number().min(20).max(50_000) }),
  z.object({
    polygon: z
      .array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]))
      .min(3)
      .max(200),
  }),
]);
export type SafeArea = z.infer<typeof safeArea>;

/** 生命体征阈值: a reading outside [min, max] for `consecutive` readings in a row raises an alert. */
export const thresholds = z.object({
  hrMin: z.number().int().min(20).max(250).default(50),
  hrMax: z.number().int().min(20).max(250).default(120),
  bpSysMax: z.number().int().min(60).max(300).default(160),
  bpDiaMax: z.number().int().min(30).max(200).default(100),
  consecutive: z.number().int().min(1).max(20).default(3),
});
export type Thresholds = z.infer<typeof thresholds>;
export const defaultThresholds: Thresholds = thresholds.parse({});

export const deviceInput = z.object({
  imei,
  model: z.string().trim().min(1, '请填写型号').max(60),
  sim: z
    .string()
    .regex(/^\d{11,20}$/, 'SIM 卡号应为 11–20 位数字')
    .optional(),
  residentId: z.string().uuid('请选择老人'),
  safeArea: safeArea.optional(),
  thresholds: thresholds.partial().optional(),
  /** 上报间隔, seconds: how long silence means nothing yet. */
  intervalS: z.number().int().min(5).max(3600).default(60),
});
export type DeviceInput = z.infer<typeof deviceInput>;

/** The reply of a registration: the secret is shown here once and never again. */
export const deviceCreated = z.object({ id: z.string().uuid(), imei: z.string(), secret: z.string() });

export const deviceStatuses = ['online', 'offline', 'never'] as const;

export const device = z.object({
  id: z.string().uuid(),
  imei: z.string(),
  model: z.string(),
  sim: z.string().nullable(),
  residentId: z.string().uuid(),
  elderName: z.string(),
  elderAge: z.number().int().nullable(),
  gridId: z.number().int(),
  gridName: z.string().nullable(),
  safeArea: safeArea.nullable(),
  thresholds: thresholds,
  intervalS: z.number().int(),
  status: z.enum(deviceStatuses),
  lastSeenAt: z.string().nullable(),
  last: z
    .object({
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      hr: z.number().nullable(),
      bpSys: z.number().nullable(),
      bpDia: z.number().nullable(),
      battery: z.number().nullable(),
    })
    .nullable(),
  openAlerts: z.number().int(),
  createdAt: z.string(),
});
export type Device = z.infer<typeof device>;
export const deviceList = z.object({ items: z.array(device), total: z.number().int() });
export const deviceQuery = pageQuery.extend({
  q: z.string().max(40).optional(),
  status: z.enum(deviceStatuses).optional(),
});

export const trackQuery = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
});
export const track = z.object({
  points: z.array(z.object({ ts: z.string(), lat: z.number(), lng: z.number() })),
});

export const vitalsQuery = trackQuery;
export const vitals = z.object({
  points: z.array(
    z.object({
      ts: z.string(),
      hr: z.number().nullable(),
      bpSys: z.number().nullable(),
      bpDia: z.number().nullable(),
      battery: z.number().nullable(),
    }),
  ),
});

/** `devices/{imei}/telemetry`; `ts` in milliseconds or seconds since the epoch, or ISO 8601. */
export const telemetryPayload = z.object({
  ts: z.union([z.number(), z.string()]),
  hr: z.number().int().min(0).max(300).optional(),
  bpSys: z.number().int().min(0).max(350).optional(),
  bpDia: z.number().int().min(0).max(250).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  battery: z.number().min(0).max(100).optional(),
});
export type TelemetryPayload = z.infer<typeof telemetryPayload>;

export const deviceEventTypes = ['sos', 'fall', 'powerOff'] as const;
/** `devices/{imei}/event`. */
export const eventPayload = z.object({
  ts: z.union([z.number(), z.string()]),
  type: z.enum(deviceEventTypes),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});
export type EventPayload = z.infer<typeof eventPayload>;

/** `POST /api/devices/{imei}/telemetry`: a telemetry reading, or an event when `type` is given. */
export const httpTelemetryParams = z.object({ imei: z.string().max(20) });
export const ingestReply = z.object({ accepted: z.boolean(), reason: z.string().optional() });
/** A device pushing over HTTP names itself by IMEI in the path (checked with its secret, not here). */
export const deviceImeiParam = z.object({ id: z.string().max(20) });
/** The MQTT payloads as they come: the ingestion checks them and counts what it drops. */
export const telemetryPush = z.unknown();

/**
 * 告警 kinds: sos and fall become urgent cases; fence and vitals are alerts for the care staff;
 * offline and lowBattery are device tasks for the community (nobody is in danger yet).
 */
export const alertKinds = ['sos', 'fall', 'fence', 'vitals', 'offline', 'lowBattery', 'powerOff'] as const;
export type AlertKind = (typeof alertKinds)[number];
export const alertStatuses = ['open', 'acknowledged', 'closed'] as const;
export const alertKindNames: Record<AlertKind, string> = {
  sos: 'SOS 呼救',
  fall: '跌倒',
  fence: '离开安全区域',
  vitals: '生命体征异常',
  offline: '设备离线',
  lowBattery: '电量低',
  powerOff: '设备关机',
};

export const alert = z.object({
  id: z.string().uuid(),
  kind: z.enum(alertKinds),
  status: z.enum(alertStatuses),
  deviceId: z.string().uuid(),
  imei: z.string(),
  elderName: z.string(),
  gridName: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  detail: z.string().nullable(),
  repeats: z.number().int(),
  caseId: z.string().uuid().nullable(),
  caseCode: z.string().nullable(),
  openedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  /** Seconds from opening to acknowledgement (响应时长). */
  ackSeconds: z.number().nullable(),
  closedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof alert>;
export const alertList = z.object({ items: z.array(alert), total: z.number().int() });
export const alertQuery = pageQuery.extend({
  status: z.enum(alertStatuses).optional(),
  kind: z.enum(alertKinds).optional(),
  deviceId: z.string().uuid().optional(),
});
export const alertActions = ['acknowledge', 'close'] as const;
export const alertActionParams = z.object({ id: z.string().uuid(), action: z.enum(alertActions) });
export const alertActionBody = z.object({ note: z.string().trim().max(500).optional() }).default({});

/** Ingestion counters since start: what was stored and what was dropped, by reason. */
export const ingestStats = z.object({
  stored: z.number().int(),
  events: z.number().int(),
  dropped: z.record(z.string(), z.number().int()),
  queued: z.number().int(),
  brokerClients: z.number().int().nullable(),
});

/** The SSE message of a device's new position or an alert (type `eldercare`). */
export const eldercareLive = z.object({
  kind: z.enum(['position', 'alert']),
  deviceId: z.string().uuid(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  alertId: z.string().uuid().optional(),
  alertKind: z.enum(alertKinds).optional(),
});

/** 老人档案: a resident aged 60+ with a care profile and ordered family/neighbour contacts. */
export const careLevels = ['selfCare', 'partial', 'dependent'] as const;
/** 行动能力: how far the elder gets about — on foot, with a stick or walker, in a wheelchair, bedridden. */
export const mobilities = ['independent', 'aided', 'wheelchair', 'bedridden'] as const;
export const elderContact = z.object({
  name: z.string().trim().min(1, '请填写联系人姓名').max(40),
  relation: z.string().trim().min(1, '请填写关系').max(20),
  kind: z.enum(['family', 'neighbour']),
  phone: z.string().regex(/^1\d{10}$/, '手机号应为 11 位'),
});
/**
 * A contact as the file's editor sends it: a new one with its phone; one already on file by its
 * `id`, the phone left out to keep the stored number (the editor only ever sees it masked).
 */
export const elderContactInput = elderContact.extend({
  id: z.number().int().positive().optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/, '手机号应为 11 位')
    .optional(),
});
export const elderProfileInput = z.object({
  livingAlone: z.boolean().default(false),
  emptyNest: z.boolean().default(false),
  disability: z.boolean().default(false),
  careLevel: z.enum(careLevels).default('selfCare'),
  mobility: z.enum(mobilities).default('independent'),
  /**
   * 慢性病等健康信息: stored encrypted, read only by those who need it, every read audited.
   * Left out: kept as it is; null or empty: cleared.
   */
  chronicConditions: z.string().trim().max(500, '健康信息不能超过 500 字').nullable().optional(),
  contacts: z.array(elderContactInput).max(10, '联系人最多 10 位').default([]),
});
export type ElderProfileInput = z.infer<typeof elderProfileInput>;
export const residentIdParam = z.object({ residentId: z.string().uuid() });
export const elderProfile = z.object({
  residentId: z.string().uuid(),
  name: z.string(),
  age: z.number().int(),
  livingAlone: z.boolean(),
  emptyNest: z.boolean(),
  disability: z.boolean(),
  careLevel: z.enum(careLevels),
  mobility: z.enum(mobilities),
  /** null when there is none on file or the reader may not see health data (`healthVisible`). */
  chronicConditions: z.string().nullable(),
  healthVisible: z.boolean(),
  /** Ordered as they are called; phones masked (the last four digits). */
  contacts: z.array(elderContact.extend({ id: z.number().int(), phone: z.string() })),
  updatedAt: z.string().nullable(),
});
