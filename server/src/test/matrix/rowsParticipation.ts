import { randomUUID } from 'node:crypto';
import { type DeliberationState, defaultVoteRules } from '@civicgrid/core/participation/deliberation';
import type { WishState } from '@civicgrid/core/participation/wishes';
import { eq } from 'drizzle-orm';
import {
  deliberations,
  dualRegistrations,
  jointMeetings,
  volunteerActivities,
  volunteerAttendances,
  volunteerSignUps,
  volunteers,
  whistleDepartments,
  whistles,
  wishes,
} from '../../modules/participation/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type RoleUser, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

/** A wish in the grid of `loc`, posted by `postedBy` (the setup user by default), always afresh. */
async function wish(
  w: World,
  loc: Loc,
  status: WishState,
  who: { postedBy?: string; claimedBy?: string } = {},
): Promise<string> {
  const [row] = await w.db
    .insert(wishes)
    .values({
      title: '矩阵心愿',
      description: '矩阵心愿内容',
      gridId: loc.grid.id,
      orgPath: loc.grid.path,
      status,
      postedBy: who.postedBy ?? w.setupUserId,
      idempotencyKey: randomUUID(),
      publishedAt: status === 'submitted' ? null : new Date(),
      claimedBy: ['claimed', 'fulfilled'].includes(status) ? (who.claimedBy ?? w.setupUserId) : null,
      fulfilledAt: status === 'fulfilled' ? new Date() : null,
    })
    .returning({ id: wishes.id });
  return (row as { id: string }).id;
}

/** Staff of the wish's grid see every wish; a volunteer of its community those on the wall. */
const staffSees = (c: Cell) => c.role.permissions.has('wish:read') && inScope(c.role, c.loc);
const wallSees = (c: Cell) =>
  staffSees(c) || (c.role.permissions.has('wish:claim') && inScope(c.role, c.loc));
/** The role's own user when it holds the permission (it posted or claimed the wish itself). */
const own = (c: Cell, p: 'wish:post' | 'wish:claim') =>
  c.role.permissions.has(p) && c.role.userId ? c.role.userId : undefined;

function action(
  name: string,
  state: WishState,
  payload: Record<string, unknown>,
  spec: Pick<Row, 'allow' | 'visible'>,
  who: (c: Cell) => { postedBy?: string | undefined; claimedBy?: string | undefined } = () => ({}),
): Row {
  return {
    route: 'POST /api/wishes/{id}/actions/{action}',
    variant: name,
    access: 'authenticated',
    scope: 'path',
    scopeFirst: true,
    ok: 200,
    ...spec,
    build: async (c) => {
      const { postedBy, claimedBy } = who(c);
      return {
        url: at('/api/wishes/{id}/actions/{action}', {
          id: await wish(c.w, c.loc, state, {
            ...(postedBy ? { postedBy } : {}),
            ...(claimedBy ? { claimedBy } : {}),
          }),
          action: name,
        }),
        payload,
      };
    },
  };
}

/** A whistle raised by the street of `loc`, summoning the role's own department. */
async function whistle(w: World, loc: Loc, departmentId: number): Promise<string> {
  const [row] = await w.db
    .insert(whistles)
    .values({
      subject: '矩阵吹哨',
      orgUnitId: loc.street.id,
      orgPath: loc.street.path,
      deadline: new Date(Date.now() + 86_400_000),
      raisedBy: w.setupUserId,
    })
    .returning({ id: whistles.id });
  const id = (row as { id: string }).id;
  await w.db.insert(whistleDepartments).values({ whistleId: id, departmentId });
  return id;
}
/** The street's jurisdiction sees its whistles; a department those that summon it, wherever. */
const seesWhistle = (c: Cell) =>
  c.role.permissions.has('whistle:read') && (inScope(c.role, c.loc) || c.role.departmentId !== null);

/** A deliberation of the community of `loc`, at `status`, reviewed by the handler's department. */
async function deliberation(w: World, loc: Loc, status: DeliberationState): Promise<string> {
  const met = status !== 'proposed';
  const voted = ['adopted', 'implemented', 'reviewed'].includes(status);
  const [row] = await w.db
    .insert(deliberations)
    .values({
      title: '矩阵议事',
      proposal: '矩阵议事的建议内容',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      reviewDepartmentId: w.ownDept,
      rules: defaultVoteRules,
      status,
      proposedBy: w.setupUserId,
      meetingAt: met ? new Date() : null,
      representatives: met ? 30 : null,
      attendees: met ? 25 : null,
      votesFor: voted ? 20 : null,
      votesAgainst: voted ? 3 : null,
      votesAbstain: voted ? 2 : null,
      implementation: ['implemented', 'reviewed'].includes(status) ? '矩阵落实' : null,
      reviewPassed: status === 'reviewed' ? true : null,
      reviewNote: status === 'reviewed' ? '矩阵审查' : null,
    })
    .returning({ id: deliberations.id });
  return (row as { id: string }).id;
}
/** Its community's deliberation:read holders, and the department it was sent to for review. */
const seesDeliberation = (c: Cell) =>
  c.role.permissions.has('deliberation:read') &&
  (inScope(c.role, c.loc) ||
    (c.role.departmentId === c.w.ownDept && c.role.permissions.has('deliberation:review')));

function step(
  name: string,
  status: DeliberationState,
  payload: Record<string, unknown>,
  allow: Row['allow'],
): Row {
  return {
    route: 'POST /api/deliberations/{id}/actions/{step}',
    variant: name,
    access: 'deliberation:read',
    scope: 'path',
    scopeFirst: true,
    visible: seesDeliberation,
    allow,
    ok: 200,
    build: async (c) => ({
      url: at('/api/deliberations/{id}/actions/{step}', {
        id: await deliberation(c.w, c.loc, status),
        step: name,
      }),
      payload,
    }),
  };
}

const phoneOf = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
/**
 * A volunteer serving in the community of `loc`; for a role that serves itself (volunteer:serve),
 * the one registration of its own user (a user has at most one), wherever it serves.
 */
export async function volunteer(w: World, loc: Loc, self?: RoleUser): Promise<string> {
  if (self?.permissions.has('volunteer:serve')) {
    const [mine] = await w.db
      .select({ id: volunteers.id })
      .from(volunteers)
      .where(eq(volunteers.userId, self.userId));
    if (mine) return mine.id;
  }
  const phone = phoneOf();
  const [row] = await w.db
    .insert(volunteers)
    .values({
      name: '矩阵志愿者',
      phoneEnc: w.deps.crypto.encrypt(phone),
      phoneIdx: w.deps.crypto.blindIndex(phone),
      userId: self?.permissions.has('volunteer:serve') ? self.userId : null,
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
    })
    .returning({ id: volunteers.id });
  return (row as { id: string }).id;
}
/** An activity in the community of `loc`, open now (began an hour ago, ends in two). */
export async function activity(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(volunteerActivities)
    .values({
      title: '矩阵活动',
      placeName: '矩阵广场',
      lat: loc.centre.lat,
      lng: loc.centre.lng,
      radiusM: 200,
      startsAt: new Date(Date.now() - 3_600_000),
      endsAt: new Date(Date.now() + 7_200_000),
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      status: 'open',
    })
    .returning({ id: volunteerActivities.id });
  return (row as { id: string }).id;
}
/** An activity and the volunteer the role acts for: signed up, and checked in when asked. */
export async function attending(c: Cell, checkedIn: boolean) {
  const a = await activity(c.w, c.loc);
  const v = await volunteer(c.w, c.loc, c.role);
  await c.w.db.insert(volunteerSignUps).values({ activityId: a, volunteerId: v });
  if (checkedIn)
    await c.w.db.insert(volunteerAttendances).values({
      activityId: a,
      volunteerId: v,
      checkedInAt: new Date(Date.now() - 1_800_000),
      checkInDistanceM: 5,
    });
  return { a, v };
}
/** Staff of the activity's area, and the volunteers (volunteer:serve) of it. */
export const seesActivity = (c: Cell) =>
  (c.role.permissions.has('volunteer:read') || c.role.permissions.has('volunteer:serve')) &&
  inScope(c.role, c.loc);

/** A unit registered (双报到) with the community of `loc`, afresh. */
async function registration(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(dualRegistrations)
    .values({
      kind: 'unit',
      name: `矩阵单位${randomUUID().slice(0, 8)}`,
      phoneEnc: w.deps.crypto.encrypt('13900000000'),
      phoneTail: '0000',
      services: ['矩阵服务'],
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      registeredOn: '2026-01-01',
    })
    .returning({ id: dualRegistrations.id });
  return (row as { id: string }).id;
}

/** 共建共治: micro-wishes and 街道吹哨、部门报到 (modules/participation). */
export const participationRows: Row[] = [
  {
    // A resident picks any grid (his own); staff only grids of their jurisdiction (a field error outside).
    route: 'POST /api/wishes',
    access: 'wish:post',
    scope: 'input',
    visible: (c) => !c.role.permissions.has('wish:read') || inScope(c.role, c.loc),
    ok: 201,
    build: (c) => ({
      payload: {
        title: '矩阵心愿',
        description: '矩阵心愿内容',
        gridId: c.loc.grid.id,
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/wishes',
    access: 'authenticated',
    ok: 200,
    hides: hiddenAt((o) => wish(o.w, o.loc, 'submitted'), staffSees),
  },
  {
    route: 'GET /api/wishes/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: wallSees,
    ok: 200,
    build: async (c) => ({ url: at('/api/wishes/{id}', { id: await wish(c.w, c.loc, 'published') }) }),
  },
  action('publish', 'submitted', {}, { allow: holds('wish:publish'), visible: staffSees }),
  action('claim', 'published', {}, { allow: holds('wish:claim'), visible: wallSees }),
  // Claimed by the role's own user when it claims wishes: he sees it wherever it is and fulfils it.
  action(
    'fulfil',
    'claimed',
    { note: '矩阵完成' },
    { allow: holds('wish:claim'), visible: (c) => wallSees(c) || own(c, 'wish:claim') !== undefined },
    (c) => ({ claimedBy: own(c, 'wish:claim') }),
  ),
  // Posted by the role's own user when it posts wishes: the poster rates it and withdraws it.
  action(
    'rate',
    'fulfilled',
    { rating: 5 },
    { allow: holds('wish:post'), visible: (c) => wallSees(c) || own(c, 'wish:post') !== undefined },
    (c) => ({ postedBy: own(c, 'wish:post') }),
  ),
  action(
    'withdraw',
    'submitted',
    {},
    {
      allow: holds('wish:post', 'wish:publish'),
      visible: (c) => staffSees(c) || own(c, 'wish:post') !== undefined,
    },
    (c) => ({ postedBy: own(c, 'wish:post') }),
  ),
  { route: 'GET /api/public/wishes', access: 'public', ok: 200 },
  { route: 'GET /api/public/participation/results', access: 'public', ok: 200 },
  {
    route: 'GET /api/public/grids',
    access: 'public',
    ok: 200,
    build: (c) => ({ url: `/api/public/grids?communityId=${c.loc.community.id}` }),
  },
  {
    route: 'POST /api/whistles',
    access: 'whistle:raise',
    ok: 201,
    build: (c) => ({
      payload: {
        subject: '矩阵吹哨',
        departmentIds: [c.w.ownDept],
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  },
  {
    // A whistle of another street summoning another department: nobody outside sees it.
    route: 'GET /api/whistles',
    access: 'whistle:read',
    ok: 200,
    hides: hiddenAt((o) => whistle(o.w, o.loc, o.w.otherDept)),
  },
  {
    route: 'GET /api/whistles/{id}',
    access: 'whistle:read',
    scope: 'path',
    visible: seesWhistle,
    ok: 200,
    build: async (c) => ({ url: at('/api/whistles/{id}', { id: await whistle(c.w, c.loc, c.w.ownDept) }) }),
  },
  {
    route: 'POST /api/whistles/{id}/reports',
    access: 'whistle:report',
    scope: 'path',
    visible: seesWhistle,
    ok: 200,
    build: async (c) => ({
      url: at('/api/whistles/{id}/reports', { id: await whistle(c.w, c.loc, c.w.ownDept) }),
      payload: { departmentId: c.role.departmentId ?? c.w.ownDept, note: '矩阵报到' },
    }),
  },
  // 议事协商: propose in the jurisdiction (a community outside is a field error), then each step.
  {
    route: 'POST /api/deliberations',
    access: 'deliberation:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: { title: '矩阵议事', proposal: '矩阵议事的建议内容', orgUnitId: c.loc.community.id },
    }),
  },
  {
    route: 'GET /api/deliberations',
    access: 'deliberation:read',
    ok: 200,
    // Sent to another department for review: nobody outside its community sees it.
    hides: hiddenAt(async (o) => {
      const id = await deliberation(o.w, o.loc, 'proposed');
      await o.w.db
        .update(deliberations)
        .set({ reviewDepartmentId: o.w.otherDept })
        .where(eq(deliberations.id, id));
      return id;
    }),
  },
  {
    route: 'GET /api/deliberations/{id}',
    access: 'deliberation:read',
    scope: 'path',
    visible: seesDeliberation,
    ok: 200,
    build: async (c) => ({
      url: at('/api/deliberations/{id}', { id: await deliberation(c.w, c.loc, 'proposed') }),
    }),
  },
  step(
    'convene',
    'proposed',
    { at: new Date().toISOString(), representatives: 30, attendees: 25 },
    holds('deliberation:manage'),
  ),
  step('vote', 'convened', { for: 20, against: 3, abstain: 2 }, holds('deliberation:manage')),
  step('implement', 'adopted', { note: '矩阵落实' }, holds('deliberation:manage')),
  // The department it was sent to (the handler's own) reviews it, or the street and district.
  step('review', 'implemented', { passed: true, note: '矩阵审查' }, holds('deliberation:review')),
  step('publish', 'reviewed', {}, holds('deliberation:manage')),
  { route: 'GET /api/public/deliberations', access: 'public', ok: 200 },
  // 志愿者 and 志愿活动.
  {
    route: 'POST /api/volunteers',
    access: 'volunteer:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({ payload: { name: '矩阵志愿者', phone: phoneOf(), orgUnitId: c.loc.community.id } }),
  },
  {
    route: 'GET /api/volunteers',
    access: 'volunteer:read',
    ok: 200,
    hides: hiddenAt((o) => volunteer(o.w, o.loc)),
  },
  {
    // Staff of his area see him; anyone else (a volunteer included, for another) finds nothing.
    route: 'GET /api/volunteers/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: (c) => c.role.permissions.has('volunteer:read') && inScope(c.role, c.loc),
    ok: 200,
    build: async (c) => ({ url: at('/api/volunteers/{id}', { id: await volunteer(c.w, c.loc) }) }),
  },
  {
    route: 'GET /api/volunteers/{id}/statement.pdf',
    access: 'authenticated',
    scope: 'path',
    visible: (c) => c.role.permissions.has('volunteer:read') && inScope(c.role, c.loc),
    ok: 200,
    build: async (c) => ({
      url: at('/api/volunteers/{id}/statement.pdf', { id: await volunteer(c.w, c.loc) }),
    }),
  },
  {
    route: 'POST /api/volunteer-activities',
    access: 'volunteer:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        title: '矩阵活动',
        placeName: '矩阵广场',
        location: c.loc.centre,
        radiusM: 200,
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 7_200_000).toISOString(),
        orgUnitId: c.loc.community.id,
      },
    }),
  },
  {
    route: 'GET /api/volunteer-activities',
    access: 'authenticated',
    ok: 200,
    hides: hiddenAt((o) => activity(o.w, o.loc), seesActivity),
  },
  {
    route: 'GET /api/volunteer-activities/{id}',
    access: 'authenticated',
    scope: 'path',
    visible: seesActivity,
    ok: 200,
    build: async (c) => ({ url: at('/api/volunteer-activities/{id}', { id: await activity(c.w, c.loc) }) }),
  },
  // Staff who manage volunteers act for those of their area; a volunteer for himself only.
  {
    route: 'POST /api/volunteer-activities/{id}/sign-ups',
    access: 'authenticated',
    scope: 'path',
    scopeFirst: true,
    visible: seesActivity,
    allow: holds('volunteer:manage', 'volunteer:serve'),
    ok: 201,
    build: async (c) => ({
      url: at('/api/volunteer-activities/{id}/sign-ups', { id: await activity(c.w, c.loc) }),
      payload: { volunteerId: await volunteer(c.w, c.loc, c.role) },
    }),
  },
  {
    route: 'POST /api/volunteer-activities/{id}/check-in',
    access: 'authenticated',
    scope: 'path',
    scopeFirst: true,
    visible: seesActivity,
    allow: holds('volunteer:manage', 'volunteer:serve'),
    ok: 200,
    build: async (c) => {
      const { a, v } = await attending(c, false);
      return {
        url: at('/api/volunteer-activities/{id}/check-in', { id: a }),
        payload: { volunteerId: v, location: c.loc.centre },
      };
    },
  },
  {
    route: 'POST /api/volunteer-activities/{id}/check-out',
    access: 'authenticated',
    scope: 'path',
    scopeFirst: true,
    visible: seesActivity,
    allow: holds('volunteer:manage', 'volunteer:serve'),
    ok: 200,
    build: async (c) => {
      const { a, v } = await attending(c, true);
      return { url: at('/api/volunteer-activities/{id}/check-out', { id: a }), payload: { volunteerId: v } };
    },
  },
  // 双报到 and the community's joint meetings.
  {
    route: 'POST /api/dual-registrations',
    access: 'volunteer:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        kind: 'unit',
        name: `矩阵单位${randomUUID().slice(0, 8)}`,
        phone: phoneOf(),
        services: ['矩阵服务'],
        orgUnitId: c.loc.community.id,
      },
    }),
  },
  {
    route: 'GET /api/dual-registrations',
    access: 'volunteer:read',
    ok: 200,
    hides: hiddenAt((o) => registration(o.w, o.loc)),
  },
  {
    route: 'POST /api/joint-meetings',
    access: 'volunteer:manage',
    scope: 'input',
    ok: 201,
    build: async (c) => {
      const id = await registration(c.w, c.loc);
      return {
        payload: {
          orgUnitId: c.loc.community.id,
          heldOn: '2026-10-15',
          attendeeIds: [id],
          items: [{ registrationId: id, item: '矩阵服务项目' }],
        },
      };
    },
  },
  {
    route: 'GET /api/joint-meetings',
    access: 'volunteer:read',
    ok: 200,
    hides: hiddenAt(async (o) => {
      const id = await registration(o.w, o.loc);
      const [m] = await o.w.db
        .insert(jointMeetings)
        .values({
          orgUnitId: o.loc.community.id,
          orgPath: o.loc.community.path,
          heldOn: '2026-10-15',
          attendeeIds: [id],
          items: [{ registrationId: id, item: '矩阵服务项目' }],
        })
        .returning({ id: jointMeetings.id });
      return (m as { id: string }).id;
    }),
  },
];
