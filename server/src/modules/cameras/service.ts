import type { Camera, CameraInput, CameraPatch } from '@civicgrid/core/api/cameras';
import { distanceM } from '@civicgrid/core/geo';
import { parseVideoDeviceCode } from '@civicgrid/core/ids/videoDeviceCode';
import { and, asc, between, eq, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { areaCondition, defineScope, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { locateGrid } from '../org/locator.js';
import { registerPathFollower } from '../org/service.js';
import { cameras } from './tables.js';

type CameraRow = typeof cameras.$inferSelect;

/** Cameras are seen by holders of camera:read whose jurisdiction holds the camera's grid. */
export const camerasScope = defineScope(cameras, {
  id: cameras.id,
  path: cameras.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('camera:read') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('camera:read') && inJurisdiction,
});

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(cameras)
    .set({ orgPath: sql`${to} || substr(${cameras.orgPath}, ${from.length + 1})` })
    .where(sql`${cameras.orgPath} like ${`${from}%`}`);
});

const codeProblems = {
  format: 'CAMERA_CODE_FORMAT',
  region: 'CAMERA_CODE_REGION',
  type: 'CAMERA_CODE_TYPE',
} as const;

export function presentCamera(r: CameraRow, distance?: number): Camera {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    location: { lat: r.lat, lng: r.lng },
    streamUrl: r.streamUrl,
    owner: r.owner,
    type: r.type,
    gridId: r.gridId,
    ...(distance === undefined ? {} : { distanceM: Math.round(distance) }),
  };
}

/** The grid a camera's point falls in, which must lie in the actor's jurisdiction. */
async function placeOf(db: Db, actor: Actor, location: { lat: number; lng: number }) {
  const hit = await locateGrid(db, location.lat, location.lng);
  if (!hit || !pathInScope(actor, hit.path)) throw fieldError('location', 'inJurisdiction', 'CAMERA_OUTSIDE');
  return { gridId: hit.gridId, orgPath: hit.path };
}

export async function createCamera(
  db: Db,
  actor: Actor,
  input: CameraInput,
  meta: RequestMeta,
): Promise<Camera> {
  const parsed = parseVideoDeviceCode(input.code);
  if (!parsed.ok) throw fieldError('code', parsed.problem, codeProblems[parsed.problem]);
  const place = await placeOf(db, actor, input.location);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cameras)
      .values({
        code: input.code,
        name: input.name,
        type: input.type,
        owner: input.owner,
        lat: input.location.lat,
        lng: input.location.lng,
        ...place,
        streamUrl: input.streamUrl ?? null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing({ target: cameras.code })
      .returning();
    if (!row) throw fieldError('code', 'unique', 'CAMERA_CODE_TAKEN');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'camera.created',
      targetType: 'camera',
      targetId: row.id,
      payload: { code: row.code },
    });
    return presentCamera(row);
  });
}

export async function updateCamera(db: Db, actor: Actor, id: number, patch: CameraPatch, meta: RequestMeta) {
  const place = patch.location ? await placeOf(db, actor, patch.location) : null;
  return db.transaction(async (tx) => {
    await loadScoped(tx, actor, camerasScope, id, { forUpdate: true });
    const [row] = await tx
      .update(cameras)
      .set({
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.owner === undefined ? {} : { owner: patch.owner }),
        ...(patch.type === undefined ? {} : { type: patch.type }),
        ...(patch.streamUrl === undefined ? {} : { streamUrl: patch.streamUrl }),
        ...(patch.location && place ? { lat: patch.location.lat, lng: patch.location.lng, ...place } : {}),
        updatedAt: new Date(),
      })
      .where(eq(cameras.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'camera.updated',
      targetType: 'camera',
      targetId: id,
      payload: { fields: Object.keys(patch) },
    });
    return presentCamera(row as CameraRow);
  });
}

export async function cameraOf(db: Db, actor: Actor, id: number) {
  return presentCamera(await loadScoped(db, actor, camerasScope, id));
}

/** The cameras in sight inside the map's viewport (and the area, when asked). */
export async function listCameras(
  db: Db,
  actor: Actor,
  q: { bbox?: string | undefined; orgUnitId?: number | undefined },
) {
  const cond: (SQL | undefined)[] = [camerasScope.where(actor)];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), cameras.orgPath));
  if (q.bbox) {
    const [minLng, minLat, maxLng, maxLat] = q.bbox.split(',').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    if (minLng > maxLng || minLat > maxLat) throw fieldError('bbox', 'order', 'VALIDATION');
    cond.push(between(cameras.lng, minLng, maxLng), between(cameras.lat, minLat, maxLat));
  }
  const rows = await db
    .select()
    .from(cameras)
    .where(and(...cond))
    .orderBy(asc(cameras.id))
    .limit(2000);
  return { items: rows.map((r) => presentCamera(r)) };
}

/** Cameras near a point (a case's, a dispute's), nearest first, within `radius` metres. */
export async function camerasNear(db: Db, actor: Actor, q: { lat: number; lng: number; radius: number }) {
  // A box around the point narrows the rows; the haversine distance decides.
  const dLat = q.radius / 111_000;
  const dLng = q.radius / (111_000 * Math.max(0.1, Math.cos((q.lat * Math.PI) / 180)));
  const rows = await db
    .select()
    .from(cameras)
    .where(
      and(
        camerasScope.where(actor),
        between(cameras.lat, q.lat - dLat, q.lat + dLat),
        between(cameras.lng, q.lng - dLng, q.lng + dLng),
      ),
    );
  return {
    items: rows
      .map((r) => ({ r, d: distanceM(q, { lat: r.lat, lng: r.lng }) }))
      .filter((x) => x.d <= q.radius)
      .sort((a, b) => a.d - b.d)
      .slice(0, 20)
      .map((x) => presentCamera(x.r, x.d)),
  };
}
