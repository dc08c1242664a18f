import { randomUUID } from 'node:crypto';
import { addDays } from '@civicgrid/core/calendar/weeks';
import {
  type GrievanceAction,
  type GrievanceState,
  grievanceTransitions,
} from '@civicgrid/core/grievances/stateMachine';
import { grievances } from '../../modules/grievances/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type Row } from './model.js';
import { at, today } from './requests.js';
import type { World } from './world.js';

const shared = new WeakMap<World, Map<string, Promise<string>>>();

/**
 * A grievance registered at the community of `loc` and handled there, in `state` — written
 * directly, shared unless `fresh`. Its steps' days are those the state implies (today).
 */
function grievance(w: World, loc: Loc, state: GrievanceState, fresh: boolean): Promise<string> {
  const make = async () => {
    const day = today();
    const accepted = !['registered', 'declined'].includes(state);
    const answered = ['answered', 'reviewRequested', 'reviewed', 'closed'].includes(state);
    const [row] = await w.db
      .insert(grievances)
      .values({
        code: `XFMX${w.next()}${randomUUID().slice(0, 6)}`,
        channel: 'visit',
        subject: '矩阵信访事项',
        content: '矩阵信访内容',
        personName: '矩阵信访人',
        status: state,
        orgUnitId: loc.community.id,
        orgPath: loc.community.path,
        handlingUnitId: loc.community.id,
        handlingPath: loc.community.path,
        receivedOn: day,
        acknowledgeBy: addDays(day, 15),
        acknowledgedOn: accepted ? day : null,
        answerBy: accepted ? addDays(day, 60) : null,
        answeredOn: answered ? day : null,
        opinion: answered ? '矩阵处理意见' : null,
        reviewRequestBy: answered ? addDays(day, 30) : null,
        reviewRequestedOn: state === 'reviewRequested' ? day : null,
        createdBy: w.setupUserId,
        idempotencyKey: randomUUID(),
      })
      .returning({ id: grievances.id });
    return (row as { id: string }).id;
  };
  if (fresh) return make();
  const key = `${loc.key}:${state}`;
  const memo = shared.get(w) ?? new Map<string, Promise<string>>();
  shared.set(w, memo);
  let p = memo.get(key);
  if (!p) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

/** Who sees a grievance of the cell's place (grievances/policy.ts): its handlers in scope. */
const seesGrievance = (c: Cell) => c.role.permissions.has('grievance:read') && inScope(c.role, c.loc);

const actionStates: Record<GrievanceAction, GrievanceState> = {
  accept: 'registered',
  decline: 'registered',
  extend: 'accepted',
  answer: 'accepted',
  requestReview: 'answered',
  review: 'reviewRequested',
  close: 'answered',
};
const payloads: Record<GrievanceAction, Record<string, unknown>> = {
  accept: {},
  decline: { reason: '矩阵不予受理' },
  extend: { reason: '矩阵延期', days: 10 },
  answer: { opinion: '矩阵答复' },
  requestReview: { reason: '矩阵复查' },
  review: { opinion: '矩阵复查意见', upheld: true },
  close: { satisfaction: 'satisfied' },
};

function action(name: GrievanceAction): Row {
  return {
    route: 'POST /api/grievances/{id}/actions/{action}',
    variant: name,
    access: 'authenticated',
    allow: holds(grievanceTransitions[name].permission),
    scope: 'path',
    scopeFirst: true,
    visible: seesGrievance,
    ok: 200,
    build: async (c) => ({
      url: at('/api/grievances/{id}/actions/{action}', {
        id: await grievance(c.w, c.loc, actionStates[name], c.fresh),
        action: name,
      }),
      payload: payloads[name],
    }),
  };
}

/** 信访事项: registration, the handlers' list, figures, detail, actions and the answer PDF. */
export const grievanceRows: Row[] = [
  {
    // Registered at the registering user's own unit: nothing of the request names a place.
    route: 'POST /api/grievances',
    access: 'grievance:intake',
    ok: 201,
    build: () => ({
      payload: {
        channel: 'letter',
        subject: '矩阵信访',
        content: '矩阵信访内容',
        person: { name: '矩阵信访人' },
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/grievances',
    access: 'grievance:read',
    ok: 200,
    hides: hiddenAt((o) => grievance(o.w, o.loc, 'registered', false), seesGrievance),
  },
  { route: 'GET /api/grievances/stats', access: 'grievance:read', ok: 200 },
  {
    route: 'GET /api/grievances/{id}',
    access: 'grievance:read',
    scope: 'path',
    visible: seesGrievance,
    ok: 200,
    build: async (c) => ({
      url: at('/api/grievances/{id}', { id: await grievance(c.w, c.loc, 'registered', false) }),
    }),
  },
  ...(Object.keys(actionStates) as GrievanceAction[]).map(action),
  {
    route: 'GET /api/grievances/{id}/answer.pdf',
    access: 'grievance:read',
    scope: 'path',
    visible: seesGrievance,
    ok: 200,
    build: async (c) => ({
      url: at('/api/grievances/{id}/answer.pdf', { id: await grievance(c.w, c.loc, 'answered', false) }),
    }),
  },
];
