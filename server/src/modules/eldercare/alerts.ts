import { type AlertKind, alertKindNames } from '@civicgrid/core/api/eldercare';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor } from '../../platform/auth/actor.js';
import { errorForLog } from '../../platform/logging.js';
import { deliverSms, publishNotifications } from '../../platform/notify.js';
import type { CaseDeps } from '../cases/actions/apply.js';
import { performAction } from '../cases/actions/index.js';
import { notifyUsers } from '../cases/notifications.js';
import { holders } from '../cases/recipients.js';
import { reportCase } from '../cases/report.js';
import { orgUnits } from '../org/tables.js';
import { residents } from '../residents/tables.js';
import { deviceAlerts, elderContacts } from './tables.js';

/** What alerting needs to know of a device; the ingestion keeps it cached. */
export interface DeviceFacts {
  id: string;
  imei: string;
  residentId: string;
  gridId: number;
  orgPath: string;
}

/** Kinds that put a person in danger now: an urgent case at once, and the family told. */
const caseCategoryOf: Partial<Record<AlertKind, string>> = { sos: 'S1601', fall: 'S1602' };

/**
 * The wearables' gateway as the case trail shows it: the platform itself reporting, accepting
 * and dispatching on behalf of the device (no person pressed a button in the console). Global,
 * so it may dispatch wherever the elder is; it holds nothing but the case steps it performs.
 */
export const gatewayActorId = '00000000-0000-4000-8000-000000012349';
const gatewayActor: Actor = {
  userId: gatewayActorId,
  username: 'eldercare:gateway',
  displayName: '智慧养老终端',
  roles: [],
  permissions: new Set(['case:read', 'case:accept', 'case:dispatch']),
  orgUnitId: null,
  orgUnitName: null,
  orgLevel: null,
  orgPath: null,
  departmentId: null,
  departmentName: null,
  global: true,
  via: 'token',
  sessionId: null,
  csrfToken: null,
  display: false,
  readOnly: false,
  restricted: null,
  totpEnabled: false,
  totpRequired: false,
};
const gatewayMeta = { ip: null, userAgent: 'eldercare-gateway' };

export type AlertDeps = CaseDeps;

/**
 * Opens an alert of `kind` for the device, or — when one of that kind is still open — counts
 * a repeat of it: the unique partial index (device, kind) where not closed decides, so two
 * SOS presses at once make one alert and one case. Returns the alert and whether it is new.
 */
export async function raiseAlert(
  deps: AlertDeps,
  device: DeviceFacts,
  kind: AlertKind,
  at: { lat: number | null; lng: number | null; detail?: string },
  /**
   * Given, the case is made before this returns and its dispatch, notices and texts go on in
   * the promise handed here (the broker acknowledges an SOS once its case exists); without,
   * everything is done on return.
   */
  later?: (work: Promise<void>) => void,
): Promise<{ id: string; created: boolean }> {
  const [row] = await deps.db
    .insert(deviceAlerts)
    .values({
      deviceId: device.id,
      kind,
      orgPath: device.orgPath,
      lat: at.lat,
      lng: at.lng,
      detail: at.detail ?? null,
    })
    .onConflictDoUpdate({
      target: [deviceAlerts.deviceId, deviceAlerts.kind],
      targetWhere: sql`${deviceAlerts.status} <> 'closed'`,
      set: {
        repeats: sql`${deviceAlerts.repeats} + 1`,
        lat: sql`coalesce(excluded.lat, ${deviceAlerts.lat})`,
        lng: sql`coalesce(excluded.lng, ${deviceAlerts.lng})`,
      },
    })
    .returning({ id: deviceAlerts.id, caseId: deviceAlerts.caseId, created: sql<boolean>`(xmax = 0)` });
  const out = { id: (row as { id: string }).id, created: Boolean(row?.created) };
  deps.bus.publish({
    type: 'eldercare',
    kind: 'alert',
    deviceId: device.id,
    orgPath: device.orgPath,
    lat: at.lat,
    lng: at.lng,
    alertId: out.id,
    alertKind: kind,
  });
  // A new alert makes its case; a repeat of one whose case was not made (a failure part-way)
  // tries again — the case's key is the alert, so it is never made twice.
  if (caseCategoryOf[kind] && (out.created || !row?.caseId))
    await alertToCase(deps, device, kind, out.id, at, later);
  return out;
}

/** A point of the grid (the average of its outer ring) for a case with no position from the device. */
async function gridPoint(deps: AlertDeps, gridId: number) {
  const [g] = await deps.db
    .select({ geometry: orgUnits.geometry, name: orgUnits.name, path: orgUnits.path })
    .from(orgUnits)
    .where(eq(orgUnits.id, gridId));
  const ring =
    g?.geometry?.type === 'Polygon'
      ? g.geometry.coordinates[0]
      : g?.geometry?.type === 'MultiPolygon'
        ? g.geometry.coordinates[0]?.[0]
        : undefined;
  const pts = ring && ring.length > 1 ? ring.slice(0, -1) : [];
  const point = pts.length
    ? {
        lng: pts.reduce((s, p) => s + (p[0] ?? 0), 0) / pts.length,
        lat: pts.reduce((s, p) => s + (p[1] ?? 0), 0) / pts.length,
      }
    : null;
  return { point, name: g?.name ?? null, path: g?.path ?? null };
}

/**
 * SOS or fall → an urgent case through the cases service (channel iot_alert, its own category
 * on the natural clock), accepted and dispatched at once to the elder's grid (its team is
 * told), the community's care staff told, the family texted. The case's key is the alert, so a
 * retry after a failure part-way finds the same case.
 */
async function alertToCase(
  deps: AlertDeps,
  device: DeviceFacts,
  kind: AlertKind,
  alertId: string,
  at: { lat: number | null; lng: number | null },
  later?: (work: Promise<void>) => void,
): Promise<void> {
  const { db } = deps;
  const [elder] = await db
    .select({ name: residents.name })
    .from(residents)
    .where(eq(residents.id, device.residentId));
  const grid = await gridPoint(deps, device.gridId);
  const position = at.lat !== null && at.lng !== null ? { lat: at.lat, lng: at.lng } : grid.point;
  const where = at.lat !== null ? `位置 ${at.lat.toFixed(5)},${at.lng?.toFixed(5)}` : '设备未报告位置';
  const { row, created } = await reportCase(
    deps,
    gatewayActor,
    {
      description: `${alertKindNames[kind]}：${elder?.name ?? '老人'}（终端 ${device.imei}），${where}`,
      categoryCode: caseCategoryOf[kind] as string,
      channel: 'iot_alert',
      ...(position ? { location: position } : { address: grid.name ?? device.imei }),
      idempotencyKey: `device-alert:${alertId}`,
    },
    gatewayMeta,
  );
  await db.update(deviceAlerts).set({ caseId: row.id }).where(eq(deviceAlerts.id, alertId));
  // A retry that found the case made before does not tell anyone twice; it only finishes the dispatch.
  const rest = dispatchAndTell(deps, device, kind, alertId, row, elder?.name ?? '', created);
  if (later) later(rest);
  else await rest;
}

/** The case accepted and sent to the grid, the community's care staff told, the family texted. */
async function dispatchAndTell(
  deps: AlertDeps,
  device: DeviceFacts,
  kind: AlertKind,
  alertId: string,
  row: Awaited<ReturnType<typeof reportCase>>['row'],
  elderName: string,
  tell: boolean,
): Promise<void> {
  const { db } = deps;
  let caseRow = row;
  if (caseRow.status === 'reported')
    caseRow = await performAction(deps, gatewayActor, caseRow.id, 'accept', {}, gatewayMeta);
  if (caseRow.status === 'accepted') {
    // The elder's own grid first; if the elder is outside the case's community, the grid
    // the position fell in; otherwise the community keeps it accepted for its dispatcher.
    for (const gridId of [device.gridId, caseRow.gridId]) {
      if (gridId === null) continue;
      try {
        caseRow = await performAction(
          deps,
          gatewayActor,
          caseRow.id,
          'dispatch',
          { assignee: { kind: 'orgUnit', id: gridId }, instructions: '智能终端告警，请立即上门或电话确认' },
          gatewayMeta,
        );
        break;
      } catch (e) {
        deps.log.warn({ caseId: caseRow.id, err: errorForLog(e) }, 'iot alert case not dispatched');
      }
    }
  }
  if (!tell) return;
  const communityId = Number(device.orgPath.split('/').filter(Boolean)[2]);
  const staff = Number.isFinite(communityId)
    ? await holders(db, { unitId: communityId }, 'eldercare:alert')
    : [];
  const contacts = await db
    .select({ phoneEnc: elderContacts.phoneEnc })
    .from(elderContacts)
    .where(and(eq(elderContacts.residentId, device.residentId), eq(elderContacts.kind, 'family')))
    .orderBy(asc(elderContacts.sort));
  const caseId = caseRow.id;
  const caseCode = caseRow.code;
  const told = await db.transaction(async (tx) => {
    const rows = await notifyUsers(tx, staff, {
      kind: 'eldercare.alert',
      title: `${alertKindNames[kind]}：${elderName}`,
      body: `事件 ${caseCode} 已派至网格，请跟进`,
      caseId,
    });
    await appendAudit(
      tx,
      { userId: null, username: gatewayActor.username, ...gatewayMeta },
      {
        action: 'deviceAlert.case',
        targetType: 'deviceAlert',
        targetId: alertId,
        payload: { kind, caseCode },
      },
    );
    return rows;
  });
  publishNotifications(deps.bus, told);
  const text = `【智慧养老】您的家人${elderName}的终端发出${alertKindNames[kind]}，社区已派网格员处置（事件号${caseCode}）。`;
  await deliverSms(
    deps.sms,
    deps.log,
    contacts.map((c) => ({ phone: deps.crypto.decrypt(c.phoneEnc), text, ref: caseCode })),
  );
}
