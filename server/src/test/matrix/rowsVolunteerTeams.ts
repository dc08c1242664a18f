import { randomUUID } from 'node:crypto';
import { checkInToken } from '../../modules/participation/checkInCodes.js';
import { volunteerTeamMembers, volunteerTeams } from '../../modules/participation/volunteerTeamTables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, holds, inScope, type Row } from './model.js';
import { at } from './requests.js';
import { activity, attending, seesActivity, volunteer } from './rowsParticipation.js';
import type { World } from './world.js';

/** A team of the community of `loc` with one member, afresh. */
async function team(w: World, loc: Loc): Promise<{ id: string; member: string }> {
  const member = await volunteer(w, loc);
  const [row] = await w.db
    .insert(volunteerTeams)
    .values({
      name: `矩阵服务队${randomUUID().slice(0, 8)}`,
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
    })
    .returning({ id: volunteerTeams.id });
  const id = (row as { id: string }).id;
  await w.db.insert(volunteerTeamMembers).values({ teamId: id, volunteerId: member });
  return { id, member };
}
const teamUrl = async (c: Cell, path: string) => at(path, { id: (await team(c.w, c.loc)).id });
/** A code of a fresh activity at `loc`, valid for an hour. */
const code = (c: Cell, activityId: string) =>
  checkInToken(c.w.deps.crypto, activityId, new Date(Date.now() + 3_600_000));

/** 志愿服务队 (read: volunteer:read, write: volunteer:manage) and 扫码签到 (volunteer:serve). */
export const volunteerTeamRows: Row[] = [
  {
    route: 'POST /api/volunteer-teams',
    access: 'volunteer:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: { name: `矩阵服务队${randomUUID().slice(0, 8)}`, orgUnitId: c.loc.community.id },
    }),
  },
  {
    route: 'GET /api/volunteer-teams',
    access: 'volunteer:read',
    ok: 200,
    hides: hiddenAt(async (o) => (await team(o.w, o.loc)).id),
  },
  {
    route: 'GET /api/volunteer-teams/{id}',
    access: 'volunteer:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: await teamUrl(c, '/api/volunteer-teams/{id}') }),
  },
  {
    route: 'PATCH /api/volunteer-teams/{id}',
    access: 'volunteer:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: await teamUrl(c, '/api/volunteer-teams/{id}'),
      payload: { serviceFocus: ['矩阵'] },
    }),
  },
  {
    route: 'POST /api/volunteer-teams/{id}/members',
    access: 'volunteer:manage',
    scope: 'path',
    ok: 201,
    build: async (c) => ({
      url: await teamUrl(c, '/api/volunteer-teams/{id}/members'),
      payload: { volunteerId: await volunteer(c.w, c.loc) },
    }),
  },
  {
    route: 'DELETE /api/volunteer-teams/{id}/members/{volunteerId}',
    access: 'volunteer:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      const t = await team(c.w, c.loc);
      return {
        url: at('/api/volunteer-teams/{id}/members/{volunteerId}', { id: t.id, volunteerId: t.member }),
      };
    },
  },
  {
    route: 'GET /api/volunteer-activities/{id}/check-in-code',
    access: 'volunteer:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/volunteer-activities/{id}/check-in-code', { id: await activity(c.w, c.loc) }),
    }),
  },
  {
    // Whoever sees the activity reads what the code names; the volunteer also where he stands.
    route: 'GET /api/volunteer-check-in-codes/{token}',
    access: 'authenticated',
    scope: 'path',
    visible: seesActivity,
    ok: 200,
    build: async (c) => ({
      url: at('/api/volunteer-check-in-codes/{token}', { token: code(c, await activity(c.w, c.loc)) }),
    }),
  },
  {
    route: 'POST /api/volunteer-check-in-codes/{token}/check-in',
    access: 'volunteer:serve',
    scope: 'path',
    visible: (c) => holds('volunteer:serve')(c.role) && inScope(c.role, c.loc),
    ok: 200,
    build: async (c) => {
      const a = await activity(c.w, c.loc);
      await volunteer(c.w, c.loc, c.role);
      return { url: at('/api/volunteer-check-in-codes/{token}/check-in', { token: code(c, a) }) };
    },
  },
  {
    route: 'POST /api/volunteer-check-in-codes/{token}/check-out',
    access: 'volunteer:serve',
    scope: 'path',
    visible: (c) => holds('volunteer:serve')(c.role) && inScope(c.role, c.loc),
    ok: 200,
    build: async (c) => {
      const { a } = await attending(c, true);
      return { url: at('/api/volunteer-check-in-codes/{token}/check-out', { token: code(c, a) }) };
    },
  },
];
