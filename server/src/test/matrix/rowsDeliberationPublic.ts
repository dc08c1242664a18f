import { randomUUID } from 'node:crypto';
import { defaultVoteRules } from '@civicgrid/core/participation/deliberation';
import { eq, inArray } from 'drizzle-orm';
import {
  deliberationAttendances,
  deliberationComments,
  deliberationSuggestions,
  streetCouncilMembers,
  streetCouncils,
} from '../../modules/participation/deliberationPublicTables.js';
import { deliberations } from '../../modules/participation/tables.js';
import type { Loc } from './fixtures.js';
import { type Cell, hiddenAt, inScope, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

/** A resident's suggestion to the community of `loc`, always afresh. */
async function suggestion(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(deliberationSuggestions)
    .values({
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      title: '矩阵建议',
      body: '矩阵建议的内容',
      postedBy: w.setupUserId,
      idempotencyKey: randomUUID(),
    })
    .returning({ id: deliberationSuggestions.id });
  return (row as { id: string }).id;
}

/** A proposed deliberation of the community of `loc`, sent to no department (public from the start). */
async function deliberation(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(deliberations)
    .values({
      title: '矩阵议事',
      proposal: '矩阵议事的建议内容',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      rules: defaultVoteRules,
      status: 'proposed',
      proposedBy: w.setupUserId,
    })
    .returning({ id: deliberations.id });
  return (row as { id: string }).id;
}

async function comment(w: World, deliberationId: string): Promise<string> {
  const [row] = await w.db
    .insert(deliberationComments)
    .values({ deliberationId, authorId: w.setupUserId, body: '矩阵评论', idempotencyKey: randomUUID() })
    .returning({ id: deliberationComments.id });
  return (row as { id: string }).id;
}

/** The council of the street of `loc` (one per street: found when it exists). */
async function council(w: World, loc: Loc): Promise<number> {
  const [found] = await w.db
    .select({ id: streetCouncils.id })
    .from(streetCouncils)
    .where(eq(streetCouncils.streetId, loc.street.id));
  if (found) return found.id;
  const [row] = await w.db
    .insert(streetCouncils)
    .values({
      streetId: loc.street.id,
      orgPath: loc.street.path,
      name: '矩阵议事会',
      termStart: '2026-01-01',
      termEnd: '2028-12-31',
    })
    .returning({ id: streetCouncils.id });
  return (row as { id: number }).id;
}

/** No council at the street of `loc`, so one may be set up there. */
async function noCouncil(w: World, loc: Loc): Promise<void> {
  const rows = await w.db
    .select({ id: streetCouncils.id })
    .from(streetCouncils)
    .where(eq(streetCouncils.streetId, loc.street.id));
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  const members = await w.db
    .select({ id: streetCouncilMembers.id })
    .from(streetCouncilMembers)
    .where(inArray(streetCouncilMembers.councilId, ids));
  if (members.length)
    await w.db.delete(deliberationAttendances).where(
      inArray(
        deliberationAttendances.memberId,
        members.map((m) => m.id),
      ),
    );
  await w.db.delete(streetCouncilMembers).where(inArray(streetCouncilMembers.councilId, ids));
  await w.db.delete(streetCouncils).where(inArray(streetCouncils.id, ids));
}

async function member(w: World, councilId: number): Promise<string> {
  const [row] = await w.db
    .insert(streetCouncilMembers)
    .values({ councilId, name: '矩阵成员', category: 'resident', joinedOn: '2026-01-01' })
    .returning({ id: streetCouncilMembers.id });
  return (row as { id: string }).id;
}

/** Staff whose jurisdiction holds the cell's community (deliberation:read). */
const staffSees = (c: Cell) => c.role.permissions.has('deliberation:read') && inScope(c.role, c.loc);
/** Staff whose jurisdiction holds the cell's street (a council is the street's). */
const streetSees = (c: Cell) =>
  c.role.permissions.has('deliberation:read') &&
  (c.role.global || (c.role.path !== null && c.loc.street.path.startsWith(c.role.path)));

export const deliberationPublicRows: Row[] = [
  // 居民建议、附议: residents post to any community and support any; staff propose their own.
  {
    route: 'POST /api/deliberation-suggestions',
    access: 'deliberation:participate',
    ok: 201,
    build: (c) => ({
      payload: {
        orgUnitId: c.loc.community.id,
        title: '矩阵建议标题',
        body: '矩阵建议的内容，十个字以上',
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/deliberation-suggestions',
    access: 'authenticated',
    ok: 200,
    hides: hiddenAt(
      (o) => suggestion(o.w, o.loc),
      (o) => o.role.permissions.has('deliberation:participate') || staffSees(o),
    ),
  },
  {
    route: 'POST /api/deliberation-suggestions/{id}/support',
    access: 'deliberation:participate',
    scope: 'path',
    visible: () => true,
    ok: 200,
    build: async (c) => ({
      url: at('/api/deliberation-suggestions/{id}/support', { id: await suggestion(c.w, c.loc) }),
    }),
  },
  {
    route: 'DELETE /api/deliberation-suggestions/{id}/support',
    access: 'deliberation:participate',
    scope: 'path',
    visible: () => true,
    ok: 200,
    build: async (c) => ({
      url: at('/api/deliberation-suggestions/{id}/support', { id: await suggestion(c.w, c.loc) }),
    }),
  },
  {
    route: 'POST /api/deliberation-suggestions/{id}/actions/propose',
    access: 'deliberation:manage',
    scope: 'path',
    visible: staffSees,
    ok: 201,
    build: async (c) => ({
      url: at('/api/deliberation-suggestions/{id}/actions/propose', { id: await suggestion(c.w, c.loc) }),
      payload: {},
    }),
  },
  // 居民群众全程监督: open to anyone; comments from signed-in residents, hidden by the staff.
  { route: 'GET /api/public/open-deliberations', access: 'public', ok: 200 },
  {
    route: 'GET /api/public/deliberations/{id}',
    access: 'public',
    ok: 200,
    build: async (c) => ({
      url: at('/api/public/deliberations/{id}', { id: await deliberation(c.w, c.loc) }),
    }),
  },
  {
    route: 'GET /api/public/deliberations/{id}/comments',
    access: 'public',
    ok: 200,
    build: async (c) => ({
      url: at('/api/public/deliberations/{id}/comments', { id: await deliberation(c.w, c.loc) }),
    }),
  },
  {
    route: 'POST /api/deliberations/{id}/comments',
    access: 'deliberation:participate',
    ok: 201,
    build: async (c) => ({
      url: at('/api/deliberations/{id}/comments', { id: await deliberation(c.w, c.loc) }),
      payload: { body: '矩阵评论', idempotencyKey: randomUUID() },
    }),
  },
  {
    route: 'GET /api/deliberations/{id}/comments',
    access: 'deliberation:read',
    scope: 'path',
    visible: staffSees,
    ok: 200,
    build: async (c) => ({
      url: at('/api/deliberations/{id}/comments', { id: await deliberation(c.w, c.loc) }),
    }),
  },
  {
    route: 'POST /api/deliberations/{id}/comments/{commentId}/actions/hide',
    access: 'deliberation:manage',
    scope: 'path',
    visible: staffSees,
    ok: 200,
    build: async (c) => {
      const id = await deliberation(c.w, c.loc);
      return {
        url: at('/api/deliberations/{id}/comments/{commentId}/actions/hide', {
          id,
          commentId: await comment(c.w, id),
        }),
        payload: { reason: 'abusive' },
      };
    },
  },
  // 街道议事会: the street's, read and kept by the deliberation staff of the street.
  {
    route: 'GET /api/street-councils',
    access: 'deliberation:read',
    ok: 200,
    hides: hiddenAt((o) => council(o.w, o.loc), streetSees),
  },
  {
    route: 'POST /api/street-councils',
    access: 'deliberation:manage',
    scope: 'input',
    visible: streetSees,
    ok: 201,
    build: async (c) => {
      await noCouncil(c.w, c.loc);
      return {
        payload: {
          streetId: c.loc.street.id,
          name: '矩阵议事会',
          termStart: '2026-01-01',
          termEnd: '2028-12-31',
        },
      };
    },
  },
  {
    route: 'GET /api/street-councils/{id}',
    access: 'deliberation:read',
    scope: 'path',
    visible: streetSees,
    ok: 200,
    build: async (c) => ({ url: at('/api/street-councils/{id}', { id: await council(c.w, c.loc) }) }),
  },
  {
    route: 'POST /api/street-councils/{id}/members',
    access: 'deliberation:manage',
    scope: 'path',
    visible: streetSees,
    ok: 201,
    build: async (c) => ({
      url: at('/api/street-councils/{id}/members', { id: await council(c.w, c.loc) }),
      payload: { name: '矩阵成员', category: 'npc' },
    }),
  },
  {
    route: 'DELETE /api/street-councils/{id}/members/{memberId}',
    access: 'deliberation:manage',
    scope: 'path',
    visible: streetSees,
    ok: 200,
    build: async (c) => {
      const id = await council(c.w, c.loc);
      return {
        url: at('/api/street-councils/{id}/members/{memberId}', { id, memberId: await member(c.w, id) }),
      };
    },
  },
];
