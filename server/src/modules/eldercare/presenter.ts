import type { Alert, Device } from '@civicgrid/core/api/eldercare';
import { defaultThresholds } from '@civicgrid/core/api/eldercare';
import type { deviceAlerts, devices } from './tables.js';

type DeviceRow = typeof devices.$inferSelect;
type AlertRow = typeof deviceAlerts.$inferSelect;

export interface DeviceNames {
  people: Map<string, { name: string; birthDate: string }>;
  grids: Map<number, string>;
  openAlerts: Map<string, number>;
}

export interface AlertNames {
  devices: Map<string, { imei: string; elderName: string; gridName: string | null }>;
  cases: Map<string, string>;
}

/** Full years on `at` of someone born on `birthDate` (YYYY-MM-DD, from the ID number). */
export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const local = new Date(at.getTime() + 8 * 3_600_000);
  let age = local.getUTCFullYear() - y;
  if (local.getUTCMonth() + 1 < m || (local.getUTCMonth() + 1 === m && local.getUTCDate() < d)) age--;
  return age;
}

/** Online: heard from within three reporting intervals (at least ten minutes). */
function statusOf(d: DeviceRow, now: number): Device['status'] {
  if (!d.lastSeenAt) return 'never';
  const window = Math.max(d.intervalS * 3, 600) * 1000;
  return now - d.lastSeenAt.getTime() <= window ? 'online' : 'offline';
}

/** A device as the console sees it: never its secret's hash; the elder by name and age only. */
export function presentDevice(d: DeviceRow, names: DeviceNames, now: number): Device {
  const person = names.people.get(d.residentId);
  return {
    id: d.id,
    imei: d.imei,
    model: d.model,
    sim: d.sim,
    residentId: d.residentId,
    elderName: person?.name ?? '',
    elderAge: person ? ageOn(person.birthDate, new Date(now)) : null,
    gridId: d.gridId,
    gridName: names.grids.get(d.gridId) ?? null,
    safeArea: d.safeArea ?? null,
    thresholds: { ...defaultThresholds, ...d.thresholds },
    intervalS: d.intervalS,
    status: statusOf(d, now),
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    last: d.lastSeenAt
      ? {
          lat: d.lastLat,
          lng: d.lastLng,
          hr: d.lastHr,
          bpSys: d.lastBpSys,
          bpDia: d.lastBpDia,
          battery: d.lastBattery,
        }
      : null,
    openAlerts: names.openAlerts.get(d.id) ?? 0,
    createdAt: d.createdAt.toISOString(),
  };
}

export function presentAlert(a: AlertRow, names: AlertNames): Alert {
  const d = names.devices.get(a.deviceId);
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    deviceId: a.deviceId,
    imei: d?.imei ?? '',
    elderName: d?.elderName ?? '',
    gridName: d?.gridName ?? null,
    lat: a.lat,
    lng: a.lng,
    detail: a.detail,
    repeats: a.repeats,
    caseId: a.caseId,
    caseCode: a.caseId ? (names.cases.get(a.caseId) ?? null) : null,
    openedAt: a.openedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedBy,
    ackSeconds: a.acknowledgedAt
      ? Math.round((a.acknowledgedAt.getTime() - a.openedAt.getTime()) / 1000)
      : null,
    closedAt: a.closedAt?.toISOString() ?? null,
  };
}
