import { randomUUID } from 'node:crypto';
import { incidentNotifications, incidents, incidentTasks } from '../../modules/incidents/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, inScope, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

const shared = new WeakMap<World, Map<string, Promise<string>>>();

/** An incident reported at the community of `loc`, active or closed; shared unless `fresh`. */
function incident(w: World, loc: Loc, status: 'active' | 'closed', fresh: boolean): Promise<string> {
  const make = async () => {
    const [row] = await w.db
      .insert(incidents)
      .values({
        code: `YJMX${w.next()}${randomUUID().slice(0, 6)}`,
        type: 'accidentDisaster',
        level: 'IV',
        description: '矩阵突发事件',
        lat: loc.centre.lat,
        lng: loc.centre.lng,
        orgUnitId: loc.community.id,
        orgPath: loc.community.path,
        status,
        summary: status === 'closed' ? '矩阵处置总结' : null,
        closedAt: status === 'closed' ? new Date() : null,
        reportedBy: w.setupUserId,
      })
      .returning({ id: incidents.id });
    return (row as { id: string }).id;
  };
  if (fresh) return make();
  const key = `${loc.key}:${status}`;
  const memo = shared.get(w) ?? new Map<string, Promise<string>>();
  shared.set(w, memo);
  let p = memo.get(key);
  if (!p) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

async function task(w: World, loc: Loc): Promise<{ id: string; taskId: number }> {
  const id = await incident(w, loc, 'active', true);
  const [t] = await w.db
    .insert(incidentTasks)
    .values({
      incidentId: id,
      departmentId: w.ownDept,
      title: '矩阵任务',
      dueAt: new Date(Date.now() + 3_600_000),
    })
    .returning({ id: incidentTasks.id });
  return { id, taskId: (t as { id: number }).id };
}

const seesIncident = (c: Cell) => c.role.permissions.has('incident:read') && inScope(c.role, c.loc);
/** Commands are read through the same scope: 404 outside before 403 without incident:command is the gate's. */
const commandRow = (route: string, payload: (w: World) => Record<string, unknown>): Row => ({
  route,
  access: 'incident:command',
  scope: 'path',
  visible: seesIncident,
  ok: 200,
  build: async (c) => ({
    url: at(route.split(' ')[1] as string, { id: await incident(c.w, c.loc, 'active', c.fresh) }),
    payload: payload(c.w),
  }),
});

/** 突发事件 and 值班表. */
export const incidentRows: Row[] = [
  {
    // Reported at the reporter's own unit: nothing of the request names a place to check.
    route: 'POST /api/incidents',
    access: 'incident:report',
    ok: 201,
    build: (c) => ({
      payload: {
        type: 'socialSecurity',
        level: 'IV',
        description: '矩阵突发事件报告',
        location: c.loc.centre,
      },
    }),
    // A role bound to no unit (a department's) cannot report at one.
    expect: (c, o) => (o === 201 && c.role.path === null ? 400 : o),
  },
  {
    route: 'GET /api/incidents',
    access: 'incident:read',
    ok: 200,
    hides: hiddenAt((o) => incident(o.w, o.loc, 'active', false), seesIncident),
  },
  {
    route: 'GET /api/incidents/{id}',
    access: 'incident:read',
    scope: 'path',
    visible: seesIncident,
    ok: 200,
    build: async (c) => ({
      url: at('/api/incidents/{id}', { id: await incident(c.w, c.loc, 'active', false) }),
    }),
  },
  {
    // Only the people told acknowledge: inside, the role's user was told; outside, not.
    route: 'POST /api/incidents/{id}/acknowledge',
    access: 'authenticated',
    scope: 'path',
    visible: (c) => c.where === 'in',
    ok: 200,
    build: async (c) => {
      const id = await incident(c.w, c.loc, 'active', true);
      if (c.where === 'in')
        await c.w.db
          .insert(incidentNotifications)
          .values({ incidentId: id, userId: c.role.userId, notifiedAs: 'onCall', notifiedAt: new Date() });
      return { url: at('/api/incidents/{id}/acknowledge', { id }) };
    },
  },
  commandRow('POST /api/incidents/{id}/logs', () => ({ kind: 'note', text: '矩阵日志' })),
  commandRow('POST /api/incidents/{id}/tasks', (w) => ({
    departmentId: w.ownDept,
    title: '矩阵任务',
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
  })),
  {
    route: 'POST /api/incidents/{id}/tasks/{taskId}/done',
    access: 'incident:command',
    scope: 'path',
    visible: seesIncident,
    ok: 200,
    build: async (c) => ({
      url: at('/api/incidents/{id}/tasks/{taskId}/done', await task(c.w, c.loc)),
      payload: {},
    }),
  },
  commandRow('POST /api/incidents/{id}/close', () => ({ summary: '矩阵处置总结，处置完毕。' })),
  {
    route: 'GET /api/incidents/{id}/report.pdf',
    access: 'incident:read',
    scope: 'path',
    visible: seesIncident,
    ok: 200,
    build: async (c) => ({
      url: at('/api/incidents/{id}/report.pdf', { id: await incident(c.w, c.loc, 'closed', false) }),
    }),
  },
  {
    route: 'GET /api/rosters',
    access: 'incident:read',
    scope: 'input',
    ok: 200,
    build: (c) => ({ url: `/api/rosters?orgUnitId=${c.loc.community.id}&from=2027-03-01&to=2027-03-07` }),
  },
  {
    route: 'GET /api/rosters/candidates',
    access: 'roster:write',
    scope: 'input',
    ok: 200,
    build: (c) => ({ url: `/api/rosters/candidates?orgUnitId=${c.loc.community.id}` }),
  },
  {
    route: 'PUT /api/rosters',
    access: 'roster:write',
    scope: 'input',
    ok: 200,
    build: (c) => ({
      payload: { orgUnitId: c.loc.community.id, day: '2027-03-01', onCall: [c.role.userId], leaders: [] },
    }),
  },
];
