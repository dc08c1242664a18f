import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/harness.js';
import { metricsAllowed } from './metrics.js';

let t: TestContext;
const token = 'scrape-token-0123456789';

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  // The last test closed the database under the app.
  await t?.app.close();
});

/** A request as metricsAllowed sees it. */
const asked = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as FastifyRequest;

/** One sample's value from the text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    const have = inside.split(',');
    if (want.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics', () => {
  it('counts requests per route pattern with their latency, job runs, SSE clients', async () => {
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    // An unknown path is one label, whatever was asked.
    await t.app.inject({ url: `/api/nothing-${Math.random()}` });
    await t.app.jobs.runNow('care-retention');
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(
      sample(text, 'civicgrid_http_requests_total', { method: 'GET', route: '/api/health', status: '200' }),
    ).toBe(3);
    expect(sample(text, 'civicgrid_http_request_duration_seconds_count', { route: '/api/health' })).toBe(3);
    expect(
      sample(text, 'civicgrid_http_request_duration_seconds_bucket', { route: '/api/health', le: '+Inf' }),
    ).toBe(3);
    expect(sample(text, 'civicgrid_http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
    expect(text).not.toContain('nothing-');
    expect(sample(text, 'civicgrid_job_runs_total', { job: 'care-retention', outcome: 'ok' })).toBe(1);
    expect(text).toMatch(/^civicgrid_sse_clients 0$/m);
    // Every sample line is `name{labels} number` or `name number`.
    for (const line of text.trim().split('\n')) {
      if (line.startsWith('#')) continue;
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$/);
    }
  });

  it('answers only loopback without a proxy when no token is set', async () => {
    const proxied = await t.app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.statusCode).toBe(404);
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(404);
  });

  it('with METRICS_TOKEN, wants the bearer token (loopback alone is not enough)', () => {
    expect(metricsAllowed(asked('127.0.0.1'), token)).toBe(false);
    expect(metricsAllowed(asked('127.0.0.1', { authorization: 'Bearer nope' }), token)).toBe(false);
    expect(metricsAllowed(asked('203.0.113.9', { authorization: `Bearer ${token}` }), token)).toBe(true);
    expect(metricsAllowed(asked('127.0.0.1'), undefined)).toBe(true);
    expect(metricsAllowed(asked('::1', { forwarded: 'for=203.0.113.9' }), undefined)).toBe(false);
  });
});

describe('/api/health/ready', () => {
  it('is ready while the database answers, 503 draining once a stop has begun', async () => {
    const ok = await t.app.inject({ url: '/api/health/ready' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ready' });
    t.app.draining = true;
    try {
      const draining = await t.app.inject({ url: '/api/health/ready' });
      expect(draining.statusCode).toBe(503);
      expect(draining.json()).toMatchObject({ status: 'draining' });
    } finally {
      t.app.draining = false;
    }
  });

  it('is 503 unavailable when the database does not answer', async () => {
    // The last test of the file: the database goes away under the app.
    await t.deps.database.close();
    const res = await t.app.inject({ url: '/api/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable' });
  });
});
