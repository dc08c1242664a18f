import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { ensureHotlineDefaults } from './mappings.js';
import { sign, signatureHeader, signedHeaders, timestampHeader } from './signature.js';
import { hotlineSettings } from './tables.js';

/* The 12345 bridge's settings in the console: the secret set or rotated (shown once, stored
 * encrypted, audited without it), the callback address, and both in force at once. */

const envSecret = 'env-hotline-secret-0123456789';
let t: TestContext;
let admin: Session;
let community: Session;

/** A 12345 centre on loopback recording each callback and the secret it was signed with. */
const received: { body: string; ts: string; sig: string }[] = [];
const centre: Server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      body: Buffer.concat(chunks).toString('utf8'),
      ts: String(req.headers[timestampHeader]),
      sig: String(req.headers[signatureHeader]),
    });
    res.end();
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => centre.listen(0, '127.0.0.1', r));
  t = await createTestApp({ HOTLINE_SECRET: envSecret, PUBLIC_URL: 'https://grid.example.cn/' });
  const terr = await makeTerritory(t.deps.db);
  await ensureCaseDefaults(t.deps.db);
  await ensureHotlineDefaults(t.deps.db);
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(t.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: terr.communities[0],
  });
  admin = await login(t.app, 'admin');
  community = await login(t.app, 'community');
}, 180_000);
afterAll(async () => {
  await t?.close();
  centre.close();
});

function send(orderNo: string, secret: string) {
  const text = JSON.stringify({
    orderNo,
    category: '城乡建设/市政设施/路灯',
    content: '小区门口路灯不亮一周了',
    location: { lat: 40.605, lng: 109.875 },
    receivedAt: new Date().toISOString(),
  });
  return t.app.inject({
    method: 'POST',
    url: '/api/integrations/hotline/orders',
    headers: signedHeaders(secret, text),
    payload: text,
  });
}

const lastAudit = async (action: string) =>
  (
    await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action)))
      .orderBy(desc(auditLog.id))
      .limit(1)
  )[0];

describe('12345 bridge settings', () => {
  it('shows the environment defaults and where orders go, never a secret', async () => {
    const res = await admin.get('/api/integrations/hotline/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      secretSource: 'environment',
      secretHint: envSecret.slice(-4),
      secretSetAt: null,
      callbackUrl: null,
      callbackUrlSource: 'none',
      ordersUrl: 'https://grid.example.cn/api/integrations/hotline/orders',
      updatedAt: null,
    });
    expect(res.body).not.toContain(envSecret);
    expect((await community.get('/api/integrations/hotline/settings')).statusCode).toBe(403);
    expect((await send('GD-SET-0001', envSecret)).statusCode).toBe(201);
  });

  it('rotates the secret: shown once, stored encrypted, audited without it, and in force at once', async () => {
    const res = await admin.post('/api/integrations/hotline/settings/secret', {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { secret, hint } = res.json() as { secret: string; hint: string };
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(hint).toBe(secret.slice(-4));

    const [row] = await t.deps.db.select().from(hotlineSettings);
    expect(row?.secretEnc).toBeTruthy();
    expect(row?.secretEnc).not.toContain(secret);
    expect(t.deps.crypto.decrypt(row?.secretEnc as string)).toBe(secret);

    const view = await admin.get('/api/integrations/hotline/settings');
    expect(view.json()).toMatchObject({ secretSource: 'console', secretHint: hint });
    expect(view.body).not.toContain(secret);

    const audit = await lastAudit('hotline.secretRotated');
    expect(audit?.payload).toEqual({ generated: true });
    expect(JSON.stringify(audit)).not.toContain(secret);

    expect((await send('GD-SET-0002', envSecret)).statusCode).toBe(401);
    expect((await send('GD-SET-0002', secret)).statusCode).toBe(201);
  });

  it('takes a typed secret of at least 16 characters, refusing a short one by field', async () => {
    const short = await admin.post('/api/integrations/hotline/settings/secret', { secret: 'short' });
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json())).toContain('secret');
    const typed = 'typed-in-secret-of-the-centre-2026';
    const res = await admin.post('/api/integrations/hotline/settings/secret', { secret: typed });
    expect(res.json()).toEqual({ secret: typed, hint: '2026' });
    expect((await lastAudit('hotline.secretRotated'))?.payload).toEqual({ generated: false });
    expect((await send('GD-SET-0003', typed)).statusCode).toBe(201);
    expect((await community.post('/api/integrations/hotline/settings/secret', {})).statusCode).toBe(403);
  });

  it('saves the callback address (audited) and the callbacks go there, signed with the console secret', async () => {
    const bad = await admin.put('/api/integrations/hotline/settings', { callbackUrl: 'ftp://x.example/cb' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('callbackUrl');
    const url = `http://127.0.0.1:${(centre.address() as AddressInfo).port}/cb`;
    const res = await admin.put('/api/integrations/hotline/settings', { callbackUrl: url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ callbackUrl: url, callbackUrlSource: 'console' });
    expect((await lastAudit('hotline.settingsSaved'))?.payload).toEqual({ callbackUrlSet: true });

    // The accept of an order's case is told to the centre at the address just saved.
    const [order] = await t.deps.db
      .select()
      .from((await import('./tables.js')).hotlineOrders)
      .limit(1);
    const accepted = await community.post(`/api/cases/${order?.caseId}/actions/accept`, {});
    expect(accepted.statusCode).toBe(200);
    const run = await t.app.jobs.runNow('hotline-callbacks');
    expect(run).toMatchObject({ outcome: 'ran', ok: true });
    expect(received.length).toBeGreaterThan(0);
    const got = received[received.length - 1];
    expect(got?.sig).toBe(sign('typed-in-secret-of-the-centre-2026', got?.ts as string, got?.body as string));

    const cleared = await admin.put('/api/integrations/hotline/settings', { callbackUrl: null });
    expect(cleared.json()).toMatchObject({ callbackUrl: null, callbackUrlSource: 'none' });
    expect((await lastAudit('hotline.settingsSaved'))?.payload).toEqual({ callbackUrlSet: false });
  });
});
