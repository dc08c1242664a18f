import { eventStream, fileDownload, noContent, routes } from '@civicgrid/core/api/routes';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './test/harness.js';

/** The documented routes as map keys: OpenAPI's `{id}` is Fastify's `:id`. */
function documentedRoutes(t: TestContext): string[] {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

describe('the route map in core/api/routes.ts', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has an entry for every documented route', () => {
    const documented = documentedRoutes(t);
    expect(documented.length).toBeGreaterThan(100);
    const missing = documented.filter((r) => !(r in routes));
    expect(missing).toEqual([]);
  });

  it('declares in the server the JSON reply the map gives (so OpenAPI shows it)', () => {
    const doc = t.app.swagger() as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
    };
    const json = Object.entries(routes).filter(
      ([, c]) => c.reply !== fileDownload && c.reply !== eventStream && c.reply !== noContent,
    );
    expect(json.length).toBeGreaterThan(100);
    const undeclared = json
      .map(([key]) => key)
      .filter((key) => {
        const [method, url] = key.split(' ') as [string, string];
        const op = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
        return !Object.entries(op?.responses ?? {}).some(([code, r]) => code.startsWith('2') && r.content);
      });
    expect(undeclared).toEqual([]);
  });

  it('names only routes the server registers', () => {
    const keys = Object.keys(routes);
    expect(keys.length).toBeGreaterThan(0);
    const unknown = keys.filter((key) => {
      const [method, url] = key.split(' ') as [HTTPMethods, string];
      return !t.app.hasRoute({ method, url });
    });
    expect(unknown).toEqual([]);
  });
});
