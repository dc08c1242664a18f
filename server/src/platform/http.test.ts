import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { registerAccessControl } from './http.js';

let t: TestContext;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT: '4096' });
  const territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'], orgUnit: territory.district });
  admin = await login(t.app, 'admin');
});
afterAll(() => t.close());

describe('platform HTTP behaviour', () => {
  it('reports health and the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite',
    });
  });

  it('serves OpenAPI 3 generated from the route schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/org/tree', '/api/org/units/{id}', '/api/departments']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await admin.inject({
      method: 'POST',
      url: '/api/departments',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('BAD_JSON');
  });

  it('answers an oversized body with 413', async () => {
    const res = await admin.post('/api/departments', { code: 'big', name: 'x'.repeat(5000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('names every wrong or missing field', async () => {
    const res = await admin.post('/api/org/units', { name: 5, householdsTarget: 'many' });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['householdsTarget', 'name', 'parentId']);
    expect(res.body).not.toContain('at ');
  });

  it('answers a non-numeric id with 400, not 500', async () => {
    expect((await admin.get('/api/org/units/abc')).statusCode).toBe(400);
    expect((await admin.get('/api/org/units/99999999999999')).statusCode).toBeLessThan(500);
  });

  it('requires a login for every non-public route', async () => {
    for (const url of ['/api/me', '/api/org/tree', '/api/users', '/api/audit-log', '/api/departments']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('refuses to register an API route that declares no access', async () => {
    const bare = Fastify();
    registerAccessControl(bare, t.deps);
    expect(() => bare.get('/api/forgotten', async () => 'x')).toThrow(/declares no access/);
    expect(() => bare.get('/api/fine', { config: { access: 'public' } }, async () => 'x')).not.toThrow();
    await bare.close();
  });
});
