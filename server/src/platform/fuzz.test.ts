import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';

/**
 * DESIGN.md §2: nothing a client sends may produce a 5xx. Every route of the OpenAPI
 * document gets generated junk in its path parameters, query and body, as a user who holds
 * many permissions; each answer must be below 500.
 */
let ctx: TestContext;
let session: Session;
let routes: { method: string; path: string }[];

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'fuzzer',
    roles: ['districtCommand', 'communityWorkstation', 'gridWorker'],
    orgUnit: t.district,
  });
  session = await login(ctx.app, 'fuzzer');
  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
      // Logging out or changing the password would end the fuzzer's own session; the event
      // stream never ends by design.
      .filter(
        (m) => !['/api/auth/logout', '/api/auth/password', '/api/auth/login'].includes(path) || m === 'get',
      )
      .filter(() => path !== '/api/notifications/stream')
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}, 60_000);
afterAll(() => ctx?.close());

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '99999999999999999999',
    'null',
    '../../etc/passwd',
    '%00',
    '1e309',
    '😀',
    'SJ1',
  ),
  fc.uuid(),
);
const body = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'name',
      'id',
      'code',
      'description',
      'categoryCode',
      'location',
      'assignee',
      'page',
      'idNumber',
      'gridId',
      'days',
      'reason',
    ),
    fc.oneof(
      junk,
      fc.array(junk, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), junk, { maxKeys: 3 }),
    ),
  ),
  fc.array(junk, { maxLength: 3 }),
  junk,
);

describe('every route under generated bad input', () => {
  it('answers below 500', async () => {
    expect(routes.length).toBeGreaterThan(50);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 10_000 }),
        junk,
        fc.dictionary(
          fc.constantFrom(
            'page',
            'pageSize',
            'q',
            'from',
            'to',
            'status',
            'orgUnitId',
            'overdue',
            'view',
            'year',
            'lat',
            'lng',
          ),
          junk,
          { maxKeys: 4 },
        ),
        body,
        async (pick, param, query, payload) => {
          const route = routes[pick % routes.length] as { method: string; path: string };
          const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(param)));
          const qs = new URLSearchParams(
            Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
          ).toString();
          const target = `${route.method} ${url}${qs ? `?${qs}` : ''}`;
          const t0 = performance.now();
          // A request that never answers is a failure too, reported by name.
          const res = await Promise.race([
            session.inject({
              method: route.method as 'GET',
              url: `${url}${qs ? `?${qs}` : ''}`,
              ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: payload as object }),
            }),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`no answer: ${target}`)), 10_000),
            ),
          ]);
          if (process.env.FUZZ_DEBUG)
            console.log('F', Math.round(performance.now() - t0), res.statusCode, target.slice(0, 120));
          if (res.statusCode >= 500)
            throw new Error(`${route.method} ${url}?${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        },
      ),
      { numRuns: 1500, endOnFailure: true },
    );
  }, 120_000);
});
