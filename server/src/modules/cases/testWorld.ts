import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { gridTeamMembers } from '../org/tables.js';
import { ensureCaseDefaults } from './defaults.js';

/** A point inside the first test grid (a 0.01° square at 109.87 °E, 40.60 °N). */
export const inGrid0 = { lat: 40.605, lng: 109.875 };

/**
 * The world the case tests share: a territory, the case defaults and one signed-in session
 * per role (two communities and two departments, to be in and out of each other's sight).
 */
export async function casesWorld() {
  const ctx: TestContext = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  const chengguan = t.departments.find((d) => d.name === '城管');
  const zhujian = t.departments.find((d) => d.name === '住建');
  const [c0, , c2] = t.communities;
  const mk = (username: string, roles: string[], extra: object) =>
    makeUser(ctx.deps, { username, roles, ...extra });
  await mk('community', ['communityWorkstation'], { orgUnit: c0 });
  await mk('community2', ['communityWorkstation'], { orgUnit: c2 });
  await mk('street', ['streetCentre'], { orgUnit: t.streets[0] });
  await mk('district', ['districtCommand'], { orgUnit: t.district });
  await mk('dept', ['departmentHandler'], { departmentId: chengguan?.id });
  await mk('dept2', ['departmentHandler'], { departmentId: zhujian?.id });
  const gw = await mk('gridworker', ['gridWorker'], { orgUnit: t.grids[0] });
  await ctx.deps.db
    .insert(gridTeamMembers)
    .values({ gridId: t.grids[0]?.id as number, userId: gw.id, role: 'gridManager' });
  await mk('clerk', ['serviceClerk'], { orgUnit: t.district });
  await mk('resident', ['resident'], { orgUnit: t.grids[0] });
  const as = (u: string) => login(ctx.app, u);
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#cc3333' } })
    .png()
    .toBuffer();
  return {
    ctx,
    t,
    png,
    community: await as('community'),
    otherCommunity: await as('community2'),
    street: await as('street'),
    district: await as('district'),
    dept: await as('dept'),
    otherDept: await as('dept2'),
    gridWorker: await as('gridworker'),
    clerk: await as('clerk'),
    resident: await as('resident'),
  };
}

function multipart(name: string, filename: string, data: Buffer, type: string) {
  const boundary = `----cg${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads one file as the field app and the console do. */
export async function upload(s: Session, data: Buffer, filename = 'photo.png', type = 'image/png') {
  const m = multipart('file', filename, data, type);
  return s.inject({ method: 'POST', url: '/api/files', payload: m.payload, headers: m.headers });
}

/** Reports a street-lamp case in the first grid, as a 12345 call. */
export function report(s: Session, extra: Record<string, unknown> = {}) {
  return s.post('/api/cases', {
    description: '小区门口路灯不亮，晚上出行不便',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: inGrid0,
    reporter: { name: '王女士', phone: '13912345678' },
    idempotencyKey: randomUUID(),
    ...extra,
  });
}

export const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/cases/${id}/actions/${action}`, body);

export async function countCases(ctx: TestContext) {
  const [r] = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from cases`);
  return r?.n ?? 0;
}
