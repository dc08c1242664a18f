import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * CSP sources (`'sha256-…'`) of the inline scripts of a page. The field app's shell carries
 * its entry script inline (scripts/inline-m.mjs), so the policy allows exactly that script
 * and no other inline one. A script element's text is hashed as written: HTML does not
 * decode entities inside it.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1] ?? '') || !m[2]) continue;
    hashes.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The hashes of every inline script of the built pages (`*.html` at the root of the build). */
export function builtPageScriptHashes(webRoot: string): string[] {
  if (!existsSync(webRoot)) return [];
  const pages = readdirSync(webRoot).filter((f) => f.endsWith('.html'));
  // A page may vanish while a build is being put in place; the next look finds the new one.
  const read = (page: string) => {
    try {
      return readFileSync(join(webRoot, page), 'utf8');
    } catch {
      return '';
    }
  };
  return [...new Set(pages.flatMap((p) => inlineScriptHashes(read(p))))];
}

/** What changes when a build is put in place: each page's name, time and size. */
function pagesStamp(webRoot: string): string {
  try {
    return readdirSync(webRoot)
      .filter((f) => f.endsWith('.html'))
      .map((f) => {
        const st = statSync(join(webRoot, f));
        return `${f}:${st.mtimeMs}:${st.size}`;
      })
      .join('|');
  } catch {
    return '';
  }
}

/** Pages are looked at again at most this often. */
const recheckMs = 1000;

/**
 * The policy of the pages now on disk. A new web build put in place under a running server
 * brings a new inline script; with the old hash the field app would not start.
 */
function currentPolicy(opts: { mapTileUrl: string; webRoot: string | null }): () => string {
  let stamp: string | null = null;
  let csp = '';
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (stamp !== null && now - checkedAt < recheckMs) return csp;
    checkedAt = now;
    const next = opts.webRoot ? pagesStamp(opts.webRoot) : '';
    if (next !== stamp) {
      stamp = next;
      const scriptHashes = opts.webRoot ? builtPageScriptHashes(opts.webRoot) : [];
      csp = contentSecurityPolicy({ scriptHashes, mapTileUrl: opts.mapTileUrl });
    }
    return csp;
  };
}

/**
 * The CSP source of a map tile URL template (`https://t{s}.example.cn/{z}/{x}/{y}.png`): its
 * origin, a templated left-most label as `*`. Null for a same-origin (relative) template.
 */
export function tileSource(template: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(template.trim());
  if (!m) return null;
  const scheme = (m[1] as string).toLowerCase();
  const labels = (m[2] as string).toLowerCase().split('.');
  if (labels[0]?.includes('{')) labels[0] = '*';
  const host = labels.join('.');
  // A template anywhere else in the host has no CSP form narrower than the scheme.
  if (!/^(\*\.)?[a-z0-9.:[\]-]+$/.test(host)) return `${scheme}:`;
  return `${scheme}://${host}`;
}

export function contentSecurityPolicy(opts: { scriptHashes: string[]; mapTileUrl: string }): string {
  const tiles = tileSource(opts.mapTileUrl);
  const extra = tiles ? [tiles] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...opts.scriptHashes],
    'script-src-attr': ["'none'"],
    // Ant Design writes its styles at run time (CSS-in-JS) and the field app's shell
    // inlines its stylesheet; styles cannot run code, so inline styles are allowed.
    'style-src': ["'self'", "'unsafe-inline'"],
    // Photo previews and MapLibre's decoded tiles are blob: URLs; Ant Design icons data: ones.
    'img-src': ["'self'", 'data:', 'blob:', ...extra],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...extra],
    // MapLibre's tile worker; the field app's service worker.
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** One year, without includeSubDomains: other hosts of the domain are not ours to decide. */
const hstsSeconds = 365 * 24 * 3600;

/**
 * The security headers of every reply, API and web pages alike. Strict-Transport-Security
 * only behind HTTPS (COOKIE_SECURE): over plain HTTP it would be ignored or, worse, stick
 * to a host that later serves both.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  opts: { cookieSecure: boolean; mapTileUrl: string; webRoot: string | null },
): void {
  const csp = currentPolicy(opts);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', csp());
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // The field app takes photos and reads the position; nothing else may, and nothing embedded.
    reply.header(
      'permissions-policy',
      'camera=(self), geolocation=(self), microphone=(), payment=(), usb=()',
    );
    if (opts.cookieSecure) reply.header('strict-transport-security', `max-age=${hstsSeconds}`);
  });
}
