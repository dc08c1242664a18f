import { and, isNull, lt, or, sql } from 'drizzle-orm';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import { type AlertDeps, raiseAlert } from './alerts.js';
import { deviceAlerts, devices } from './tables.js';

/**
 * 设备离线: a device heard from more than `hours` ago (or never, registered that long ago)
 * gets an offline task for its community — one open per device, however often this runs.
 */
export async function sweepOfflineDevices(deps: AlertDeps, hours: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - hours * 3_600_000);
  const silent = await deps.db
    .select({
      id: devices.id,
      imei: devices.imei,
      residentId: devices.residentId,
      gridId: devices.gridId,
      orgPath: devices.orgPath,
      lastLat: devices.lastLat,
      lastLng: devices.lastLng,
    })
    .from(devices)
    .where(
      and(
        isNull(devices.retiredAt),
        or(lt(devices.lastSeenAt, before), and(isNull(devices.lastSeenAt), lt(devices.createdAt, before))),
        sql`not exists (select 1 from ${deviceAlerts} a where a.device_id = ${devices.id} and a.kind = 'offline' and a.status <> 'closed')`,
      ),
    )
    .limit(5000);
  for (const d of silent)
    await raiseAlert(deps, d, 'offline', {
      lat: d.lastLat,
      lng: d.lastLng,
      detail: `超过 ${hours} 小时无数据`,
    });
  return silent.length;
}

export function offlineDevicesJob(deps: AlertDeps, hours: number): Job {
  return defineJob({
    name: 'eldercare-offline-devices',
    schedule: { everyMs: 10 * 60_000 },
    startDelayMs: 60_000,
    run: async () => ({ offline: await sweepOfflineDevices(deps, hours) }),
  });
}
