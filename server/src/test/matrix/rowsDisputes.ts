import { randomUUID } from 'node:crypto';
import {
  type DisputeAction,
  type DisputeState,
  disputeTransitions,
} from '@civicgrid/core/disputes/stateMachine';
import { eq } from 'drizzle-orm';
import {
  disputeParties,
  disputeScreenings,
  disputes,
  mediationCommittees,
  mediators,
  receptions,
} from '../../modules/disputes/tables.js';
import type { Loc } from './fixtures.js';
import { both, type Cell, hiddenAt, holds, type RoleUser, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

const day = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
const memo = new WeakMap<World, Map<string, Promise<string | number>>>();

function once<T extends string | number>(
  w: World,
  key: string,
  make: () => Promise<T>,
  fresh = false,
): Promise<T> {
  if (fresh) return make();
  const m = memo.get(w) ?? new Map<string, Promise<string | number>>();
  memo.set(w, m);
  let p = m.get(key);
  if (!p) {
    p = make();
    m.set(key, p);
  }
  return p as Promise<T>;
}

/** The people's mediation committee of the street of `loc`; shared. */
function committee(w: World, loc: Loc): Promise<number> {
  return once(w, `committee:${loc.key}`, async () => {
    const [row] = await w.db
      .insert(mediationCommittees)
      .values({ name: '矩阵调委会', kind: 'people', orgUnitId: loc.street.id, orgPath: loc.street.path })
      .returning({ id: mediationCommittees.id });
    return (row as { id: number }).id;
  });
}

/** A body of the street of `loc` of its own, for the rows that change a body's status. */
async function freshCommittee(w: World, loc: Loc, disabled: boolean): Promise<number> {
  const [row] = await w.db
    .insert(mediationCommittees)
    .values({
      name: '矩阵调解工作室',
      kind: 'studio',
      orgUnitId: loc.street.id,
      orgPath: loc.street.path,
      disabledAt: disabled ? new Date() : null,
    })
    .returning({ id: mediationCommittees.id });
  return (row as { id: number }).id;
}

/** A dispute in the grid of `loc`, in `state`, written directly; shared unless `fresh`. */
function dispute(w: World, loc: Loc, state: DisputeState, fresh: boolean): Promise<string> {
  return once(
    w,
    `dispute:${loc.key}:${state}`,
    async () => {
      const accepted = state !== 'registered';
      const [row] = await w.db
        .insert(disputes)
        .values({
          code: `MXTJ${w.next()}${randomUUID().slice(0, 6)}`,
          type: 'neighbour',
          description: '矩阵纠纷',
          riskLevel: 'green',
          source: 'walk_in',
          status: state,
          gridId: loc.grid.id,
          orgUnitId: loc.grid.id,
          orgPath: loc.grid.path,
          committeeId: ['registered', 'accepted'].includes(state) ? null : await committee(w, loc),
          acceptedAt: accepted ? new Date() : null,
          deadline: day(30),
          agreement: ['agreed', 'closed'].includes(state)
            ? {
                terms: ['矩阵条款'],
                performBy: day(5),
                performance: null,
                oral: false,
                at: new Date().toISOString(),
              }
            : null,
          createdBy: w.setupUserId,
          idempotencyKey: randomUUID(),
        })
        .returning({ id: disputes.id });
      const id = (row as { id: string }).id;
      await w.db.insert(disputeParties).values([
        { disputeId: id, position: 0, kind: 'person', role: 'applicant', name: '矩阵甲' },
        { disputeId: id, position: 1, kind: 'person', role: 'respondent', name: '矩阵乙' },
      ]);
      return id;
    },
    fresh,
  );
}

/** A visit waiting at the community of `loc`; fresh each time (finishing ends it). */
async function reception(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(receptions)
    .values({
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      visitDay: day(0),
      number: w.next() + 1000,
      visitorName: '矩阵来访人',
      matter: '矩阵事项',
      route: 'case',
      status: 'waiting',
      receivedBy: w.setupUserId,
      idempotencyKey: randomUUID(),
    })
    .returning({ id: receptions.id });
  return (row as { id: string }).id;
}

/** While no mediator is assigned, staff above the grid may mediate (disputes/policy.ts). */
const mediates = (r: RoleUser) => r.global || (r.level !== null && r.level !== 'grid');

const actionStates: Record<DisputeAction, DisputeState> = {
  accept: 'registered',
  assign: 'accepted',
  session: 'assigned',
  agree: 'mediating',
  fail: 'mediating',
  followUp: 'agreed',
  close: 'failed',
  extend: 'accepted',
};

function action(
  name: DisputeAction,
  payload: (c: Cell) => Promise<Record<string, unknown>> | Record<string, unknown>,
): Row {
  const t = disputeTransitions[name];
  return {
    route: 'POST /api/disputes/{id}/actions/{action}',
    variant: name,
    access: 'authenticated',
    allow: holds(t.permission),
    scope: 'path',
    scopeFirst: true,
    ok: 200,
    build: async (c) => ({
      url: at('/api/disputes/{id}/actions/{action}', {
        id: await dispute(c.w, c.loc, actionStates[name], c.fresh),
        action: name,
      }),
      payload: await payload(c),
    }),
    expect: (c, o) => (o === 200 && t.guards.includes('mediator') && !mediates(c.role) ? 403 : o),
  };
}

/** The governance centre: disputes and mediation, the bodies, screening, reception. */
export const disputeRows: Row[] = [
  {
    // Registered where the actor works (or the grid of its point, when in the actor's area).
    route: 'POST /api/disputes',
    access: 'dispute:register',
    ok: 201,
    build: () => ({
      payload: {
        type: 'neighbour',
        description: '矩阵纠纷登记',
        parties: [
          { kind: 'person', name: '甲', role: 'applicant' },
          { kind: 'person', name: '乙', role: 'respondent' },
        ],
        riskLevel: 'green',
        source: 'walk_in',
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/disputes',
    access: 'dispute:read',
    ok: 200,
    hides: hiddenAt((o) => dispute(o.w, o.loc, 'registered', false)),
  },
  {
    route: 'GET /api/disputes/{id}',
    access: 'dispute:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/disputes/{id}', { id: await dispute(c.w, c.loc, 'registered', false) }),
    }),
  },
  {
    route: 'GET /api/disputes/{id}/agreement.pdf',
    access: 'dispute:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/disputes/{id}/agreement.pdf', { id: await dispute(c.w, c.loc, 'agreed', false) }),
    }),
  },
  {
    // Back to the case workflow (cases reports it): a fresh dispute each time it succeeds.
    route: 'POST /api/disputes/{id}/case',
    access: 'case:report',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/disputes/{id}/case', { id: await dispute(c.w, c.loc, 'accepted', c.fresh) }),
      payload: { categoryCode: 'C0103' },
    }),
    allow: both('case:report', 'dispute:mediate'),
    scopeFirst: true,
  },
  action('accept', () => ({})),
  action('assign', async (c) => ({ committeeId: await committee(c.w, c.loc) })),
  action('session', () => ({ at: new Date().toISOString(), place: '调解室', notes: '矩阵调解' })),
  action('agree', () => ({ terms: ['矩阵条款'], performBy: day(3) })),
  action('fail', () => ({ reason: '矩阵调解不成' })),
  action('followUp', () => ({ performed: 'partly' })),
  action('close', () => ({})),
  action('extend', () => ({ reason: '矩阵延期', days: 5 })),
  { route: 'GET /api/mediation-committees', access: 'dispute:read', ok: 200 },
  {
    route: 'POST /api/mediation-committees',
    access: 'dispute:configure',
    scope: 'input',
    ok: 201,
    build: (c) => ({ payload: { name: '矩阵新调委会', kind: 'studio', orgUnitId: c.loc.street.id } }),
  },
  ...(['disable', 'enable'] as const).map(
    (action): Row => ({
      route: 'POST /api/mediation-committees/{id}/actions/{action}',
      variant: action,
      access: 'dispute:configure',
      scope: 'path',
      ok: 200,
      visible: (c) => c.role.global || (c.role.path !== null && c.loc.street.path.startsWith(c.role.path)),
      build: async (c) => ({
        url: at('/api/mediation-committees/{id}/actions/{action}', {
          id: await freshCommittee(c.w, c.loc, action === 'enable'),
          action,
        }),
      }),
    }),
  ),
  {
    route: 'PATCH /api/mediation-committees/{id}',
    access: 'dispute:configure',
    scope: 'path',
    ok: 200,
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.street.path.startsWith(c.role.path)),
    build: async (c) => ({
      url: at('/api/mediation-committees/{id}', { id: await committee(c.w, c.loc) }),
      payload: { address: '矩阵路 1 号', phone: '0472-1234567' },
    }),
  },
  {
    route: 'POST /api/mediation-committees/{id}/mediators',
    access: 'dispute:configure',
    scope: 'path',
    ok: 201,
    // The body is the street's; a district's staff see it, a community's do not.
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.street.path.startsWith(c.role.path)),
    build: async (c) => ({
      url: at('/api/mediation-committees/{id}/mediators', { id: await committee(c.w, c.loc) }),
      payload: { name: '矩阵调解员' },
    }),
  },
  {
    // An account at the role's away place is not among those it may link.
    route: 'GET /api/mediator-accounts',
    access: 'dispute:configure',
    ok: 200,
    hides: hiddenAt(
      async (o) => (await o.w.insertUser(`mx${randomUUID().slice(0, 8)}`, [], { orgUnit: o.loc.grid })).id,
    ),
  },
  {
    // A mediator of its own each cell: removed once (a second removal is 409).
    route: 'DELETE /api/mediation-committees/{id}/mediators/{mediatorId}',
    access: 'dispute:configure',
    scope: 'path',
    ok: 200,
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.street.path.startsWith(c.role.path)),
    build: async (c) => {
      const id = await committee(c.w, c.loc);
      const [m] = await c.w.db
        .insert(mediators)
        .values({ committeeId: id, name: '矩阵调解员' })
        .returning({ id: mediators.id });
      return {
        url: at('/api/mediation-committees/{id}/mediators/{mediatorId}', {
          id,
          mediatorId: (m as { id: number }).id,
        }),
      };
    },
  },
  {
    // One report per grid and week: each cell clears the grid's report before it asks.
    route: 'POST /api/dispute-screenings',
    access: 'dispute:register',
    scope: 'input',
    ok: 201,
    build: async (c) => {
      await c.w.db.delete(disputeScreenings).where(eq(disputeScreenings.gridId, c.loc.grid.id));
      return { payload: { gridId: c.loc.grid.id } };
    },
  },
  { route: 'GET /api/dispute-screenings', access: 'dispute:read', ok: 200 },
  {
    route: 'POST /api/receptions',
    access: 'reception:record',
    ok: 201,
    build: () => ({
      payload: {
        visitor: { name: '矩阵来访人' },
        matter: '矩阵事项',
        route: 'case',
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/receptions',
    access: 'dispute:read',
    ok: 200,
    hides: hiddenAt((o) => reception(o.w, o.loc)),
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.community.path.startsWith(c.role.path)),
  },
  { route: 'GET /api/receptions/summary', access: 'dispute:read', ok: 200 },
  {
    route: 'POST /api/receptions/{id}/finish',
    access: 'reception:record',
    scope: 'path',
    ok: 200,
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.community.path.startsWith(c.role.path)),
    build: async (c) => ({
      url: at('/api/receptions/{id}/finish', { id: await reception(c.w, c.loc) }),
      payload: {},
    }),
  },
  {
    // Registered by the grievances module inside the visit's transaction: a fresh visit each time.
    route: 'POST /api/receptions/{id}/grievance',
    access: 'grievance:intake',
    scope: 'path',
    ok: 200,
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.community.path.startsWith(c.role.path)),
    build: async (c) => ({
      url: at('/api/receptions/{id}/grievance', { id: await reception(c.w, c.loc) }),
      payload: { subject: '矩阵信访事项' },
    }),
    allow: both('grievance:intake', 'reception:record'),
    scopeFirst: true,
  },
  {
    route: 'POST /api/receptions/{id}/case',
    access: 'case:report',
    scope: 'path',
    ok: 200,
    visible: (c) => c.role.global || (c.role.path !== null && c.loc.community.path.startsWith(c.role.path)),
    build: async (c) => ({
      url: at('/api/receptions/{id}/case', { id: await reception(c.w, c.loc) }),
      payload: { categoryCode: 'C0103', address: '矩阵地址' },
    }),
    allow: both('case:report', 'reception:record'),
    scopeFirst: true,
  },
];
