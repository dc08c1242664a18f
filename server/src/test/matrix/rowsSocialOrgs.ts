import { randomUUID } from 'node:crypto';
import { creditCodeCheckChar } from '@civicgrid/core';
import type { SocialProjectState } from '@civicgrid/core/participation/socialOrgs';
import { files } from '../../modules/cases/tables.js';
import {
  socialOrgs,
  socialProjectMilestones,
  socialProjects,
} from '../../modules/participation/socialOrgTables.js';
import type { Loc } from './fixtures.js';
import { both, type Cell, hiddenAt, holds, type Row } from './model.js';
import { at } from './requests.js';
import type { World } from './world.js';

/** A valid GB 32100 code of a 民办非企业单位 (52…), different each time. */
function creditCode(): string {
  const body = `52150203MJ${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
}

/** A social organization serving the community of `loc`, afresh. */
async function socialOrg(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(socialOrgs)
    .values({
      name: `矩阵社会组织${randomUUID().slice(0, 8)}`,
      type: 'privateNonEnterprise',
      creditCode: creditCode(),
      registrationAuthority: '矩阵民政局',
      registeredOn: '2024-01-01',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      fields: ['elderly'],
      services: '矩阵服务',
      legalRepresentative: '矩阵法人',
      contactName: '矩阵联系人',
      contactPhoneEnc: w.deps.crypto.encrypt('13900000000'),
      staffCount: 1,
      volunteerCount: 5,
    })
    .returning({ id: socialOrgs.id });
  return (row as { id: string }).id;
}

/** A project bought by the community of `loc` at `status`, with one milestone (done when asked). */
async function project(w: World, loc: Loc, status: SocialProjectState, milestoneDone = false) {
  const [row] = await w.db
    .insert(socialProjects)
    .values({
      socialOrgId: await socialOrg(w, loc),
      title: '矩阵公益创投',
      orgUnitId: loc.community.id,
      orgPath: loc.community.path,
      amountFen: 1_000_000,
      budgetFen: status === 'applied' ? null : 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      status,
      idempotencyKey: randomUUID(),
    })
    .returning({ id: socialProjects.id });
  const id = (row as { id: string }).id;
  const [m] = await w.db
    .insert(socialProjectMilestones)
    .values({
      projectId: id,
      seq: 1,
      title: '矩阵里程碑',
      dueOn: '2026-06-30',
      doneOn: milestoneDone ? '2026-06-01' : null,
    })
    .returning({ id: socialProjectMilestones.id });
  return { id, milestoneId: (m as { id: number }).id };
}

/** An uploaded photo of the role's own user (its evidence must be its own upload). */
async function ownFile(c: Cell): Promise<string> {
  const [f] = await c.w.db
    .insert(files)
    .values({
      mime: 'image/png',
      size: 1,
      sha256: randomUUID(),
      storageKey: `matrix/${randomUUID()}`,
      thumbKey: `matrix/${randomUUID()}`,
      ownerId: c.role.userId,
    })
    .returning({ id: files.id });
  return (f as { id: string }).id;
}

function action(
  name: string,
  status: SocialProjectState,
  payload: Record<string, unknown>,
  allow: Row['allow'],
): Row {
  return {
    route: 'POST /api/social-projects/{id}/actions/{action}',
    variant: name,
    access: 'socialOrg:read',
    scope: 'path',
    scopeFirst: true,
    allow,
    ok: 200,
    build: async (c) => ({
      url: at('/api/social-projects/{id}/actions/{action}', {
        id: (await project(c.w, c.loc, status, name === 'complete')).id,
        action: name,
      }),
      payload,
    }),
  };
}

/** 社会组织 and 公益创投 (modules/participation/socialOrgRoutes.ts). */
export const socialOrgRows: Row[] = [
  {
    route: 'GET /api/social-orgs',
    access: 'socialOrg:read',
    ok: 200,
    hides: hiddenAt((o) => socialOrg(o.w, o.loc)),
  },
  { route: 'GET /api/social-orgs/export.xlsx', access: 'socialOrg:read', ok: 200 },
  {
    route: 'POST /api/social-orgs',
    access: 'socialOrg:manage',
    scope: 'input',
    ok: 201,
    build: (c) => ({
      payload: {
        name: `矩阵社会组织${randomUUID().slice(0, 8)}`,
        type: 'privateNonEnterprise',
        creditCode: creditCode(),
        registrationAuthority: '矩阵民政局',
        registeredOn: '2024-01-01',
        orgUnitId: c.loc.community.id,
        fields: ['elderly'],
        services: '矩阵服务内容',
        legalRepresentative: '矩阵法人',
        contactName: '矩阵联系人',
        contactPhone: '13900000000',
        staffCount: 1,
        volunteerCount: 5,
      },
    }),
  },
  {
    route: 'GET /api/social-orgs/{id}',
    access: 'socialOrg:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/social-orgs/{id}', { id: await socialOrg(c.w, c.loc) }) }),
  },
  {
    route: 'PATCH /api/social-orgs/{id}',
    access: 'socialOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/social-orgs/{id}', { id: await socialOrg(c.w, c.loc) }),
      payload: { volunteerCount: 9, contactPhone: '13900000001' },
    }),
  },
  {
    // The whole phone: pii:reveal, and only for those who read the registry.
    route: 'POST /api/social-orgs/{id}/reveal',
    access: 'pii:reveal',
    scope: 'path',
    allow: both('pii:reveal', 'socialOrg:read'),
    ok: 200,
    build: async (c) => ({ url: at('/api/social-orgs/{id}/reveal', { id: await socialOrg(c.w, c.loc) }) }),
  },
  {
    route: 'POST /api/social-orgs/{id}/incubations',
    access: 'socialOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/social-orgs/{id}/incubations', { id: await socialOrg(c.w, c.loc) }),
      payload: { stage: 'incubating', on: '2025-01-01' },
    }),
  },
  {
    // The organization and the buyer both at the cell's place: outside, a field error.
    route: 'POST /api/social-projects',
    access: 'socialOrg:manage',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: {
        socialOrgId: await socialOrg(c.w, c.loc),
        title: '矩阵公益创投',
        orgUnitId: c.loc.community.id,
        amountFen: 100_000,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        milestones: [{ title: '矩阵里程碑', dueOn: '2026-06-30' }],
        idempotencyKey: randomUUID(),
      },
    }),
  },
  {
    route: 'GET /api/social-projects',
    access: 'socialOrg:read',
    ok: 200,
    hides: hiddenAt(async (o) => (await project(o.w, o.loc, 'applied')).id),
  },
  {
    route: 'GET /api/social-projects/{id}',
    access: 'socialOrg:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/social-projects/{id}', { id: (await project(c.w, c.loc, 'applied')).id }),
    }),
  },
  action('approve', 'applied', { budgetFen: 800_000 }, holds('socialOrg:fund')),
  action('start', 'approved', {}, holds('socialOrg:manage')),
  action('complete', 'inProgress', { note: '矩阵验收' }, holds('socialOrg:fund')),
  action('terminate', 'applied', { note: '矩阵终止' }, holds('socialOrg:fund')),
  {
    route: 'POST /api/social-projects/{id}/milestones/{milestoneId}/done',
    access: 'socialOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      const p = await project(c.w, c.loc, 'inProgress');
      return {
        url: at('/api/social-projects/{id}/milestones/{milestoneId}/done', {
          id: p.id,
          milestoneId: p.milestoneId,
        }),
        payload: { doneOn: '2026-06-01', fileIds: [await ownFile(c)] },
      };
    },
  },
  {
    route: 'POST /api/social-projects/{id}/spendings',
    access: 'socialOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/social-projects/{id}/spendings', { id: (await project(c.w, c.loc, 'inProgress')).id }),
      payload: { item: '矩阵支出', amountFen: 10_000, spentOn: '2026-05-01', idempotencyKey: randomUUID() },
    }),
  },
];
