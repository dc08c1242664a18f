import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { tileSource } from './securityHeaders.js';

let t: TestContext;
let web: FastifyInstance;
let root: string;
const fieldScript = "import('/assets/map-abc.js');document.body.dataset.ready='1';";

/** The directives of a CSP header, by name. */
function directives(header: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of String(header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  // A built web app in miniature: the console shell and the field shell with its inline entry.
  root = mkdtempSync(join(tmpdir(), 'cg-web-'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><script type="module" crossorigin src="/assets/main.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(
    join(root, 'm.html'),
    `<!doctype html><html><head><script type="module">${fieldScript}</script><style>body{margin:0}</style></head><body></body></html>`,
  );
  web = await buildApp(
    {
      ...t.deps,
      config: {
        ...t.deps.config,
        COOKIE_SECURE: true,
        MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png',
      },
    },
    { serveWeb: true, webRoot: root },
  );
  await web.ready();
});
afterAll(async () => {
  await web?.close();
  await t?.close();
});

describe('security headers', () => {
  it('are on every API reply, with a policy that allows no inline or evaluated script', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    // MapLibre: its tile worker, and tiles decoded into blob: images.
    expect(csp.get('worker-src')).toEqual(expect.arrayContaining(["'self'", 'blob:']));
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(['data:', 'blob:']));
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['permissions-policy']).toContain('geolocation=(self)');
    expect(res.headers['permissions-policy']).toContain('camera=(self)');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Plain HTTP (COOKIE_SECURE unset): no HSTS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Error replies carry them too.
    const missing = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(missing.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
  });

  it('are on the web shells; the field shell’s inline entry script is allowed by its hash alone', async () => {
    const hash = `'sha256-${createHash('sha256').update(fieldScript).digest('base64')}'`;
    // A check-in code's address ends in a signed token (its MAC may be letters and digits only).
    const checkIn = '/m/checkin/5cbd5ff4-aecd-4247-bae6-734074d9dbed.tphgs0.tgzSEbRlCZCS1qzHZIGShynu';
    for (const url of ['/', '/screen', '/m/', checkIn]) {
      const res = await web.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      const csp = directives(res.headers['content-security-policy']);
      expect(csp.get('script-src'), url).toEqual(["'self'", hash]);
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    }
    // The configured tile server may be fetched and drawn.
    const csp = directives(
      (await web.inject({ method: 'GET', url: '/m/' })).headers['content-security-policy'],
    );
    expect(csp.get('img-src')).toContain('https://*.tiles.example.cn');
    expect(csp.get('connect-src')).toContain('https://*.tiles.example.cn');
  });

  it('follows a new build put in place under the running server', async () => {
    const next = "import('/assets/map-def.js');document.body.dataset.ready='2';//v2";
    writeFileSync(
      join(root, 'm.html'),
      `<!doctype html><html><head><script type="module">${next}</script></head></html>`,
    );
    await new Promise((r) => setTimeout(r, 1100));
    const csp = directives(
      (await web.inject({ method: 'GET', url: '/m/' })).headers['content-security-policy'],
    );
    expect(csp.get('script-src')).toEqual([
      "'self'",
      `'sha256-${createHash('sha256').update(next).digest('base64')}'`,
    ]);
  });

  it('turns a tile URL template into the narrowest source CSP can say', () => {
    expect(tileSource('https://tiles.example.cn/{z}/{x}/{y}.png')).toBe('https://tiles.example.cn');
    expect(tileSource('https://t{s}.example.cn:8443/{z}/{x}/{y}')).toBe('https://*.example.cn:8443');
    expect(tileSource('https://tile.{region}.example.cn/{z}/{x}/{y}')).toBe('https:');
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileSource('')).toBeNull();
  });
});
