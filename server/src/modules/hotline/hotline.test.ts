import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { ensureHotlineDefaults } from './mappings.js';
import { sign, signatureHeader, signedHeaders, timestampHeader } from './signature.js';

const secret = 'test-hotline-secret-0123456789';

/** A 12345 centre on loopback: answers each callback with the next status of `plan` (then 200). */
class Centre {
  server: Server = createServer((req, res) => void this.take(req, res));
  plan: number[] = [];
  always: number | null = null;
  received: { payload: Record<string, unknown>; signedOk: boolean }[] = [];
  async take(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const ts = String(req.headers[timestampHeader]);
    const signedOk = req.headers[signatureHeader] === sign(secret, ts, body);
    this.received.push({ payload: JSON.parse(body.toString('utf8')), signedOk });
    res.statusCode = this.always ?? this.plan.shift() ?? 200;
    res.end();
  }
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callbacks`;
  }
}

const centre = new Centre();
let t: TestContext;
let admin: Session;
let community: Session;
let dept: Session;
let deptId: number;

function order(orderNo: string, extra: Record<string, unknown> = {}) {
  return {
    orderNo,
    category: '城乡建设/市政设施/路灯',
    content: '小区门口路灯不亮一周了',
    address: '阿尔丁大街1号',
    location: { lat: 40.605, lng: 109.875 },
    caller: { name: '王女士', phone: '13912345678' },
    receivedAt: new Date().toISOString(),
    ...extra,
  };
}

function send(body: unknown, headers?: Record<string, string>) {
  const text = JSON.stringify(body);
  return t.app.inject({
    method: 'POST',
    url: '/api/integrations/hotline/orders',
    headers: headers ?? signedHeaders(secret, text),
    payload: text,
  });
}

const runJob = (now: Date) => t.app.jobs.runNow('hotline-callbacks', { now: now.toISOString() });

beforeAll(async () => {
  const url = await centre.start();
  t = await createTestApp({ HOTLINE_SECRET: secret, HOTLINE_CALLBACK_URL: url });
  const terr = await makeTerritory(t.deps.db);
  await ensureCaseDefaults(t.deps.db);
  await ensureHotlineDefaults(t.deps.db);
  deptId = terr.departments.find((d) => d.name === '城管')?.id as number;
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(t.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: terr.communities[0],
  });
  await makeUser(t.deps, { username: 'dept', roles: ['departmentHandler'], departmentId: deptId });
  admin = await login(t.app, 'admin');
  community = await login(t.app, 'community');
  dept = await login(t.app, 'dept');
}, 180_000);
afterAll(async () => {
  await t.close();
  centre.server.close();
});

async function caseOf(code: string) {
  const [row] = await queryRows<{
    id: string;
    channel: string;
    category_code: string;
    reporter_phone_enc: string | null;
    accept_by: string;
    reported_at: string;
  }>(t.deps.db, sql`select * from cases where code = ${code}`);
  return row;
}

describe('12345 work orders in', () => {
  it('a signed order becomes a case on the hotline channel with the hotline’s deadline; sent again, the same case', async () => {
    const body = order('GD2026120200001');
    const res = await send(body);
    expect(res.statusCode, res.body).toBe(201);
    const { caseId, code } = res.json();
    const row = await caseOf(code);
    expect(row).toMatchObject({ id: caseId, channel: 'hotline_12345', category_code: 'C0103' });
    expect(row?.reporter_phone_enc).not.toContain('13912345678');
    // The路灯 mapping gives 2 hours to accept, in natural time from the call.
    const limit = new Date(body.receivedAt).getTime() + 2 * 3_600_000;
    expect(new Date(row?.accept_by as string).getTime()).toBeLessThanOrEqual(limit);

    // A replay of the very same signed request, within the 5 minutes: the same case, 200.
    const text = JSON.stringify(body);
    const headers = signedHeaders(secret, text);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/integrations/hotline/orders',
      headers,
      payload: text,
    });
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/integrations/hotline/orders',
      headers,
      payload: text,
    });
    expect([again.statusCode, replay.statusCode]).toEqual([200, 200]);
    expect(replay.json()).toEqual({ caseId, code });
  });

  it('the same order twice at once makes one case', async () => {
    const body = order('GD2026120200002');
    const [a, b] = await Promise.all([send(body), send(body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().caseId).toBe(b.json().caseId);
    const [n] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from cases where idempotency_key = ${'hotline:GD2026120200002'}`,
    );
    expect(n?.n).toBe(1);
  });

  it('refuses a bad signature, a stale or missing timestamp, a malformed body and an unmapped category — creating nothing', async () => {
    const [before] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from cases`);
    const body = order('GD2026120200003');
    const text = JSON.stringify(body);
    const good = signedHeaders(secret, text);
    const wrongKey = signedHeaders('another-secret-0123456789', text);
    const stale = signedHeaders(secret, text, Date.now() - 6 * 60_000);
    const future = signedHeaders(secret, text, Date.now() + 6 * 60_000);
    const { [timestampHeader]: _, ...noTimestamp } = good;
    const tampered = {
      ...good,
      [signatureHeader]: sign(secret, good[timestampHeader] as string, `${text} `),
    };
    for (const [headers, code] of [
      [wrongKey, 'HOTLINE_SIGNATURE_INVALID'],
      [tampered, 'HOTLINE_SIGNATURE_INVALID'],
      [stale, 'HOTLINE_TIMESTAMP_STALE'],
      [future, 'HOTLINE_TIMESTAMP_STALE'],
      [noTimestamp, 'HOTLINE_TIMESTAMP_STALE'],
    ] as const) {
      const res = await send(body, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe(code);
    }
    const noBody = await t.app.inject({ method: 'POST', url: '/api/integrations/hotline/orders' });
    expect(noBody.statusCode).toBe(401);
    const malformed = '{"orderNo":';
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/integrations/hotline/orders',
      headers: signedHeaders(secret, malformed),
      payload: malformed,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('problem+json');
    const unmapped = await send(order('GD2026120200004', { category: '不存在的分类' }));
    expect(unmapped.statusCode).toBe(400);
    expect(unmapped.json().code).toBe('HOTLINE_CATEGORY_UNMAPPED');
    const invalid = await send(order('GD2026120200005', { location: { lat: 91, lng: 0 } }));
    expect(invalid.statusCode).toBe(400);
    const [after] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from cases`);
    expect(after?.n).toBe(before?.n);
  });

  it('the category mapping is the admin’s to edit', async () => {
    const saved = await admin.put('/api/integrations/hotline/mappings', {
      hotlineCategory: '城乡建设/绿化',
      categoryCode: 'C0402',
      replyHours: 72,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ categoryName: '绿地损坏', acceptHours: null, replyHours: 72 });
    const notLeaf = await admin.put('/api/integrations/hotline/mappings', {
      hotlineCategory: 'x',
      categoryCode: 'C04',
    });
    expect(notLeaf.json().code).toBe('CASE_CATEGORY_NOT_LEAF');
    const list = (await admin.get('/api/integrations/hotline/mappings')).json();
    expect(list.items.map((m: { hotlineCategory: string }) => m.hotlineCategory)).toContain('城乡建设/绿化');
    const gone = await admin.del(`/api/integrations/hotline/mappings/${encodeURIComponent('城乡建设/绿化')}`);
    expect(gone.statusCode).toBe(204);
    expect(
      (
        await community.put('/api/integrations/hotline/mappings', {
          hotlineCategory: 'y',
          categoryCode: 'C0402',
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('status callbacks to the 12345 centre', () => {
  it('are retried with backoff after two failures, then tell accepted … closed with the result and the rating', async () => {
    const { caseId } = (await send(order('GD2026120200010'))).json();
    expect((await community.post(`/api/cases/${caseId}/actions/accept`, {})).statusCode).toBe(200);
    centre.received = [];
    centre.plan = [500, 503];
    const t0 = new Date(Date.now() + 1000);
    const first = await runJob(t0);
    expect(first).toMatchObject({ outcome: 'ran', counts: { failed: 1, delivered: 0 } });
    // Not due yet: nothing is sent.
    expect(await runJob(new Date(t0.getTime() + 10_000))).toMatchObject({
      counts: { delivered: 0, failed: 0 },
    });
    expect(await runJob(new Date(t0.getTime() + 31_000))).toMatchObject({ counts: { failed: 1 } });
    expect(await runJob(new Date(t0.getTime() + 31_000 + 61_000))).toMatchObject({
      counts: { delivered: 1 },
    });
    expect(centre.received).toHaveLength(3);
    expect(centre.received.every((r) => r.signedOk)).toBe(true);
    expect(centre.received[2]?.payload).toMatchObject({ orderNo: 'GD2026120200010', status: 'accepted' });

    const dis = await community.post(`/api/cases/${caseId}/actions/dispatch`, {
      assignee: { kind: 'department', id: deptId },
    });
    expect(dis.statusCode, dis.body).toBe(200);
    expect((await dept.post(`/api/cases/${caseId}/actions/claim`, {})).statusCode).toBe(200);
    const res = await dept.post(`/api/cases/${caseId}/actions/resolve`, { result: '已更换灯泡，恢复照明' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await community.post(`/api/cases/${caseId}/actions/verify`, { passed: true })).statusCode).toBe(
      200,
    );
    const closed = await community.post(`/api/cases/${caseId}/actions/followUp`, {
      rating: 'satisfied',
      comment: '很及时',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    centre.received = [];
    expect(await runJob(new Date())).toMatchObject({ counts: { queued: 3, delivered: 3 } });
    expect(centre.received.map((r) => r.payload.status)).toEqual(['dispatched', 'resolved', 'closed']);
    expect(centre.received[2]?.payload).toMatchObject({
      outcome: 'done',
      result: '已更换灯泡，恢复照明',
      rating: { level: 'satisfied', name: '满意', comment: '很及时' },
    });
    // Collected once: another turn queues nothing more.
    expect(await runJob(new Date())).toMatchObject({ counts: { queued: 0, delivered: 0 } });
  });

  it('are dead-lettered after a day of failures, listed for the admin, and sent again on resend', async () => {
    const { caseId } = (await send(order('GD2026120200011'))).json();
    await community.post(`/api/cases/${caseId}/actions/accept`, {});
    centre.always = 500;
    let now = new Date(Date.now() + 1000);
    let dead = 0;
    for (let i = 0; i < 60 && dead === 0; i++) {
      const r = await runJob(now);
      if (r.outcome !== 'ran') throw new Error('the job did not run');
      dead = r.counts.dead ?? 0;
      const [next] = await queryRows<{ at: string }>(
        t.deps.db,
        sql`select next_attempt_at as at from hotline_callbacks where order_no = 'GD2026120200011'`,
      );
      now = new Date(new Date(next?.at as string).getTime() + 1000);
    }
    expect(dead).toBe(1);
    const list = (await admin.get('/api/integrations/hotline/callbacks?status=dead')).json();
    const letter = list.items.find((c: { orderNo: string }) => c.orderNo === 'GD2026120200011');
    expect(letter).toMatchObject({ kind: 'accepted', status: 'dead', lastError: 'HTTP 500' });
    expect(letter.attempts).toBeGreaterThan(10);
    expect((await community.post(`/api/integrations/hotline/callbacks/${letter.id}/resend`)).statusCode).toBe(
      403,
    );

    centre.always = null;
    centre.received = [];
    const resent = await admin.post(`/api/integrations/hotline/callbacks/${letter.id}/resend`);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await admin.post(`/api/integrations/hotline/callbacks/${letter.id}/resend`)).statusCode).toBe(
      409,
    );
    expect(await runJob(new Date(Date.now() + 1000))).toMatchObject({ counts: { delivered: 1 } });
    expect(centre.received[0]?.payload).toMatchObject({ orderNo: 'GD2026120200011', status: 'accepted' });
  });
});
