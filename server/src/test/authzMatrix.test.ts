import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestContext } from './harness.js';
import {
  anonymous,
  type Cell,
  type Client,
  expected,
  holdsId,
  matches,
  methodOf,
  passesGate,
  pathOf,
  type Req,
  type RoleUser,
  type Row,
  show,
  succeeds,
  type Where,
} from './matrix/model.js';
import { adminRows } from './matrix/rowsAdmin.js';
import { briefingRows } from './matrix/rowsBriefings.js';
import { cameraRows } from './matrix/rowsCameras.js';
import { caseRows } from './matrix/rowsCases.js';
import { deliberationPublicRows } from './matrix/rowsDeliberationPublic.js';
import { disputeRows } from './matrix/rowsDisputes.js';
import { eldercareRows } from './matrix/rowsEldercare.js';
import { eldercareOrderRows } from './matrix/rowsEldercareOrders.js';
import { fieldRows } from './matrix/rowsField.js';
import { governanceStatsRows } from './matrix/rowsGovernanceStats.js';
import { grievanceRows } from './matrix/rowsGrievances.js';
import { incidentRows } from './matrix/rowsIncidents.js';
import { integrationRows } from './matrix/rowsIntegrations.js';
import { noticeRows } from './matrix/rowsNotices.js';
import { onlineRows } from './matrix/rowsOnline.js';
import { participationRows } from './matrix/rowsParticipation.js';
import { partyOrgRows } from './matrix/rowsPartyOrgs.js';
import { propertyRows } from './matrix/rowsProperty.js';
import { proxyRows } from './matrix/rowsProxy.js';
import { residentPortalRows } from './matrix/rowsResidentPortal.js';
import { residentRows } from './matrix/rowsResidents.js';
import { serviceRows } from './matrix/rowsServices.js';
import { socialOrgRows } from './matrix/rowsSocialOrgs.js';
import { volunteerTeamRows } from './matrix/rowsVolunteerTeams.js';
import { World } from './matrix/world.js';

/**
 * The authorization matrix (DESIGN.md §8, issue 12): every route of the OpenAPI document ×
 * every built-in role (and no session) × a resource inside and outside the role's
 * jurisdiction. The rows are in matrix/rows*.ts; the expected answer of each cell is
 * computed in matrix/model.ts. A failing cell prints one line: route, role, in/out,
 * expected, got — every failing cell at once.
 */

/** What each route declares (`config.access`), seen as it registers. */
const declared = vi.hoisted(() => new Map<string, { access?: string; allowRestricted?: boolean }>());

// buildApp makes its own Fastify instance; wrapping the factory adds one onRoute hook before
// any route registers, without touching production code.
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>();
  const make = actual.default as unknown as (opts?: object) => FastifyInstance;
  const wrapped = Object.assign((opts?: object) => {
    const app = make(opts);
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) {
        if (m === 'HEAD') continue;
        declared.set(`${m} ${r.url.replace(/:(\w+)/g, '{$1}')}`, {
          access: r.config?.access,
          allowRestricted: r.config?.allowRestricted,
        });
      }
    });
    return app;
  }, make);
  return { ...actual, default: wrapped, fastify: wrapped };
});

const rows: Row[] = [
  ...adminRows,
  ...disputeRows,
  ...residentRows,
  ...residentPortalRows,
  ...fieldRows,
  ...caseRows,
  ...serviceRows,
  ...onlineRows,
  ...grievanceRows,
  ...incidentRows,
  ...briefingRows,
  ...cameraRows,
  ...governanceStatsRows,
  ...noticeRows,
  ...eldercareRows,
  ...eldercareOrderRows,
  ...proxyRows,
  ...participationRows,
  ...deliberationPublicRows,
  ...partyOrgRows,
  ...volunteerTeamRows,
  ...propertyRows,
  ...socialOrgRows,
  ...integrationRows,
];
const label = (row: Row) => (row.variant ? `${row.route} [${row.variant}]` : row.route);

let ctx: TestContext;
let w: World;
let routes: Set<string>;

beforeAll(async () => {
  const t0 = performance.now();
  ctx = await createTestApp();
  w = new World(ctx.app, ctx.deps);
  await w.build();
  console.log(
    `authorization matrix: app and fixtures ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );
  // Routes hidden from the document (the document itself) are routes all the same.
  for (const key of declared.keys()) {
    const path = key.split(' ')[1] as string;
    if (path.startsWith('/api/') && !path.startsWith('/api/docs')) routes.add(key);
  }
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

/** The column of requests without a session. */
function anonymousUser(): RoleUser {
  const client: Client = {
    inject: (req) =>
      ctx.app.inject({
        method: (req.method ?? 'GET') as 'GET',
        url: req.url,
        ...(req.payload === undefined ? {} : { payload: req.payload as string }),
        ...(req.headers ? { headers: req.headers } : {}),
        remoteAddress: '192.0.2.1',
      }),
  };
  return {
    code: anonymous,
    permissions: new Set(),
    global: false,
    path: null,
    level: null,
    departmentId: null,
    totpRequired: false,
    userId: '00000000-0000-4000-8000-000000000000',
    home: w.locs.A,
    away: w.locs.A,
    client,
  };
}

/** A path's parameters filled with something well-formed: refused before any handler runs. */
const placeholder = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

describe('authorization matrix', () => {
  it('has a row for every route, and no row for a route that is gone', () => {
    const named = new Set(rows.map((r) => r.route));
    const problems = [
      ...[...routes].filter((r) => !named.has(r)).map((r) => `no row for ${r} (add one in matrix/rows*.ts)`),
      ...[...named].filter((r) => !routes.has(r)).map((r) => `row for ${r}, which no longer exists`),
    ];
    expect(problems.length, `\n${problems.join('\n')}`).toBe(0);
  });

  it('each route declares the access its row was reviewed against', () => {
    const problems = rows
      .filter((r) => routes.has(r.route) && declared.get(r.route)?.access !== r.access)
      .map((r) => `${label(r)}: declares ${declared.get(r.route)?.access}, its row says ${r.access}`);
    expect([...new Set(problems)].length, `\n${[...new Set(problems)].join('\n')}`).toBe(0);
  });

  it('answers every route × role × in/out of jurisdiction as expected', async () => {
    const failures: string[] = [];
    const warnings: string[] = [];
    const skipped = new Set<string>();
    let cells = 0;
    const byOutcome = new Map<string, number>();
    const started = performance.now();
    const columns = [anonymousUser(), ...w.roles];
    // MATRIX_ROUTE=<part of a route> runs only those rows (while working on one route).
    const only = process.env.MATRIX_ROUTE;
    for (const row of rows) {
      if (!routes.has(row.route) || (only && !row.route.includes(only))) continue;
      const allowRestricted = declared.get(row.route)?.allowRestricted === true;
      const t0 = performance.now();
      let rowHoles = 0;
      for (const role of columns) {
        const wheres: Where[] = row.scope && role.code !== anonymous ? ['in', 'out'] : ['in'];
        for (const where of wheres) {
          const c: Cell = { w, role, where, loc: where === 'in' ? role.home : role.away, fresh: false };
          const skip = row.skip?.(c);
          if (skip) {
            skipped.add(`${label(row)}: ${skip}`);
            continue;
          }
          cells += 1;
          const name = `${label(row)} | ${role.code} | ${where}`;
          const want = expected(row, c, allowRestricted);
          c.fresh = passesGate(row, role, allowRestricted) && succeeds(want);
          byOutcome.set(show(want), (byOutcome.get(show(want)) ?? 0) + 1);
          let problem: string | null;
          try {
            const req: Req =
              role.code === anonymous && row.access !== 'public'
                ? { url: placeholder(pathOf(row)) }
                : row.build
                  ? await row.build(c)
                  : {};
            const hidden = row.hides && where === 'in' && succeeds(want) ? await row.hides(c) : null;
            const res = await (req.as ?? role.client).inject({
              method: methodOf(row),
              url: req.url ?? pathOf(row),
              ...(req.payload === undefined ? {} : { payload: req.payload }),
              ...(req.headers ? { headers: req.headers } : {}),
            });
            const got = row.observe ? row.observe(res) : res.statusCode;
            const code = String(res.headers['content-type'] ?? '').includes('problem+json')
              ? ` ${(res.json() as { code?: string }).code}`
              : '';
            problem = matches(want, got) ? null : `expected ${show(want)}, got ${got}${code}`;
            if (!problem && hidden !== null && holdsId(res.json(), hidden))
              problem = `lists ${hidden}, which it may not see (at ${role.away.key} or someone else's)`;
            if (!problem && row.after) problem = await row.after(c, res, req);
          } catch (e) {
            problem = `setup failed: ${(e as Error).message.slice(0, 300)}`;
          }
          const hole = typeof row.knownHole === 'function' ? row.knownHole(c) : row.knownHole;
          if (hole && problem) {
            warnings.push(`known hole (${hole}): ${name} | ${problem}`);
            rowHoles += 1;
          } else if (problem) failures.push(`${name} | ${problem}`);
          else if (hole && typeof row.knownHole === 'function')
            failures.push(`${name} | passes now: remove its knownHole (${hole})`);
        }
      }
      if (typeof row.knownHole === 'string' && rowHoles === 0)
        failures.push(`${label(row)} | every cell passes now: remove its knownHole (${row.knownHole})`);
      if (process.env.MATRIX_DEBUG) console.log(`${Math.round(performance.now() - t0)} ms ${label(row)}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `authorization matrix: ${cells} cells in ${seconds} s, ${failures.length} failing, ${warnings.length} known holes` +
        `\nexpected: ${[...byOutcome].map(([k, v]) => `${k} ×${v}`).join(', ')}` +
        (skipped.size ? `\nskipped:\n  ${[...skipped].join('\n  ')}` : '') +
        (warnings.length ? `\nknown holes (to fix):\n  ${warnings.join('\n  ')}` : ''),
    );
    expect(failures.length, `\n${failures.join('\n')}`).toBe(0);
  }, 600_000);
});
