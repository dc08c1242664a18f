import { briefings, briefingTasks } from '../../modules/briefings/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type Row } from './model.js';
import { at, today } from './requests.js';
import type { World } from './world.js';

const shared = new WeakMap<World, Map<string, Promise<{ id: string; taskId: number }>>>();

/** A briefing of the community of `loc` with one open task owned by the setup user; shared unless `fresh`. */
function briefing(w: World, loc: Loc, fresh: boolean) {
  const make = async () => {
    const [b] = await w.db
      .insert(briefings)
      .values({
        orgUnitId: loc.community.id,
        orgPath: loc.community.path,
        title: '矩阵会商',
        heldOn: today(),
        attendees: '矩阵参会人员',
        agenda: [],
      })
      .returning({ id: briefings.id });
    const id = (b as { id: string }).id;
    const [t] = await w.db
      .insert(briefingTasks)
      .values({ briefingId: id, text: '矩阵督办事项', ownerUserId: w.setupUserId, dueOn: today() })
      .returning({ id: briefingTasks.id });
    return { id, taskId: (t as { id: number }).id };
  };
  if (fresh) return make();
  const memo = shared.get(w) ?? new Map();
  shared.set(w, memo);
  let p = memo.get(loc.key);
  if (!p) {
    p = make();
    memo.set(loc.key, p);
  }
  return p;
}

const seesBriefing = (c: Cell) => c.role.permissions.has('briefing:read') && inScope(c.role, c.loc);

/** 会商研判: agenda, hot spots, meetings, their supervised tasks and minutes. */
export const briefingRows: Row[] = [
  { route: 'GET /api/briefings/agenda', access: 'briefing:read', ok: 200 },
  { route: 'GET /api/hotspots', access: 'briefing:read', ok: 200 },
  {
    route: 'POST /api/briefings',
    access: 'briefing:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        orgUnitId: c.loc.community.id,
        title: '矩阵会商',
        heldOn: today(),
        attendees: '矩阵参会人员',
        decisions: [{ text: '矩阵决定', ownerUserId: c.role.userId, dueOn: today() }],
      },
    }),
  },
  {
    route: 'GET /api/briefings',
    access: 'briefing:read',
    ok: 200,
    hides: hiddenAt(async (o) => (await briefing(o.w, o.loc, false)).id, seesBriefing),
  },
  {
    route: 'GET /api/briefings/{id}',
    access: 'briefing:read',
    scope: 'path',
    visible: seesBriefing,
    ok: 200,
    build: async (c) => ({ url: at('/api/briefings/{id}', { id: (await briefing(c.w, c.loc, false)).id }) }),
  },
  {
    route: 'GET /api/briefings/{id}/minutes.pdf',
    access: 'briefing:read',
    scope: 'path',
    visible: seesBriefing,
    ok: 200,
    build: async (c) => ({
      url: at('/api/briefings/{id}/minutes.pdf', { id: (await briefing(c.w, c.loc, false)).id }),
    }),
  },
  {
    // The tasks of the meetings in sight, and one's own: another place's tasks are not listed.
    route: 'GET /api/briefing-tasks',
    access: 'authenticated',
    ok: 200,
    hides: hiddenAt(async (o) => (await briefing(o.w, o.loc, false)).taskId, seesBriefing),
  },
  {
    // Done by its owner (the setup user here) or the meeting's unit (briefing:manage in sight).
    route: 'POST /api/briefing-tasks/{id}/done',
    access: 'authenticated',
    allow: holds('briefing:manage'),
    scope: 'path',
    scopeFirst: true,
    visible: seesBriefing,
    ok: 200,
    build: async (c) => ({
      url: at('/api/briefing-tasks/{id}/done', { id: (await briefing(c.w, c.loc, c.fresh)).taskId }),
      payload: { note: '矩阵落实情况' },
    }),
  },
];
