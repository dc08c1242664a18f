import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from './defaults.js';

let ctx: TestContext;
let community: Session;
let district: Session;
let otherStreet: Session;
let caseId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  // The same role (pii:reveal) over another street: the case lies outside its jurisdiction.
  await makeUser(ctx.deps, { username: 'otherStreet', roles: ['districtCommand'], orgUnit: t.streets[1] });
  community = await login(ctx.app, 'community');
  district = await login(ctx.app, 'district');
  otherStreet = await login(ctx.app, 'otherStreet');
  const reported = await community.post('/api/cases', {
    description: '小区门口路灯不亮，晚上出行不便',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: { lat: 40.605, lng: 109.875 },
    reporter: { name: '王女士', phone: '13912345678' },
    idempotencyKey: randomUUID(),
  });
  expect(reported.statusCode).toBe(201);
  caseId = reported.json().id;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

async function reveals(): Promise<{ actor_id: string; payload: unknown }[]> {
  return queryRows(
    ctx.deps.db,
    sql`select actor_id, payload from audit_log where action = 'pii.revealed' and target_id = ${caseId}`,
  );
}

describe("revealing a case reporter's phone", () => {
  it('shows it masked in the detail and in full to a holder of pii:reveal, with one audit row', async () => {
    const detail = await district.get(`/api/cases/${caseId}`);
    expect(detail.json().reporter.phone).not.toContain('13912345678');
    const res = await district.post(`/api/cases/${caseId}/reporter/reveal`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ phone: '13912345678' });
    const rows = await reveals();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual({ fields: ['reporterPhone'] });
  });

  it('refuses without pii:reveal (403) and outside the jurisdiction (404), writing no audit row', async () => {
    const before = (await reveals()).length;
    expect((await community.post(`/api/cases/${caseId}/reporter/reveal`)).statusCode).toBe(403);
    expect((await otherStreet.post(`/api/cases/${caseId}/reporter/reveal`)).statusCode).toBe(404);
    expect((await district.post(`/api/cases/${randomUUID()}/reporter/reveal`)).statusCode).toBe(404);
    expect(await reveals()).toHaveLength(before);
  });
});
