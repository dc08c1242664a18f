import { cameras } from '../../modules/cameras/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, inScope, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

const shared = new WeakMap<World, Map<string, Promise<number>>>();
/** A fresh GB/T 28181 camera code (Kundulun, network camera type 132). */
const codeOf = (w: World) => `1502030000132${String(w.next()).padStart(7, '0')}`;

/** A camera in the grid of `loc`; shared. */
function camera(w: World, loc: Loc): Promise<number> {
  const memo = shared.get(w) ?? new Map<string, Promise<number>>();
  shared.set(w, memo);
  let p = memo.get(loc.key);
  if (!p) {
    p = (async () => {
      const [row] = await w.db
        .insert(cameras)
        .values({
          code: codeOf(w),
          name: '矩阵摄像机',
          type: 'dome',
          owner: '矩阵权属单位',
          lat: loc.centre.lat,
          lng: loc.centre.lng,
          gridId: loc.grid.id,
          orgPath: loc.grid.path,
        })
        .returning({ id: cameras.id });
      return (row as { id: number }).id;
    })();
    memo.set(loc.key, p);
  }
  return p;
}

const seesCamera = (c: Cell) => c.role.permissions.has('camera:read') && inScope(c.role, c.loc);

/** 视频监控: the registry, its map layer and the cameras near a place. */
export const cameraRows: Row[] = [
  {
    route: 'GET /api/cameras',
    access: 'camera:read',
    ok: 200,
    hides: async (c) => {
      const o = { ...c, loc: c.role.away };
      return seesCamera(o) ? null : camera(c.w, o.loc);
    },
  },
  {
    route: 'GET /api/cameras/near',
    access: 'camera:read',
    ok: 200,
    build: (c) => ({ url: `/api/cameras/near?lat=${c.loc.centre.lat}&lng=${c.loc.centre.lng}&radius=300` }),
  },
  {
    // Placed by its point: a point in a grid outside the jurisdiction is a field error.
    route: 'POST /api/cameras',
    access: 'camera:write',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        code: codeOf(c.w),
        name: '矩阵新摄像机',
        location: c.loc.centre,
        owner: '矩阵权属单位',
        type: 'bullet',
      },
    }),
  },
  {
    route: 'GET /api/cameras/{id}',
    access: 'camera:read',
    scope: 'path',
    visible: seesCamera,
    ok: 200,
    build: async (c) => ({ url: at('/api/cameras/{id}', { id: await camera(c.w, c.loc) }) }),
  },
  {
    route: 'PATCH /api/cameras/{id}',
    access: 'camera:write',
    scope: 'path',
    visible: seesCamera,
    ok: 200,
    build: async (c) => ({
      url: at('/api/cameras/{id}', { id: await camera(c.w, c.loc) }),
      payload: { owner: '矩阵权属单位' },
    }),
  },
];
