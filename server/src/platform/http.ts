import { errorCodes, type FieldError, type Permission } from '@civicgrid/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Actor, RequestMeta } from './auth/actor.js';
import { loadActor } from './auth/load.js';
import { resolveAccessToken, resolveSession, sessionCookie, tokenPrefix } from './auth/sessions.js';
import type { FieldCrypto } from './crypto.js';
import { type Db, unreachable } from './db.js';
import { AppError, problemOf } from './errors.js';
import { errorForLog } from './logging.js';
import { hitRateLimit, RateLimitedError, type RateLimitPolicy } from './rateLimit.js';
import { contentDisposition } from './spreadsheet.js';

/**
 * What a route needs: a permission, any logged-in user, or nobody. Every /api route
 * must say (checked when it is registered), so a forgotten check fails closed.
 */
export type Access = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Reachable while the account must first change its password or enrol TOTP — and by a
     * read-only account (screen:display), since these routes touch only its own credentials.
     */
    allowRestricted?: boolean;
    /** Counted per user (per address on a public route) under this policy; over it → 429. */
    rateLimit?: RateLimitPolicy;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

/** The actor of a route that declared a permission: always present there. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAccessControl(app: FastifyInstance, deps: { db: Db; crypto: FieldCrypto }): void {
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access && !route.url.startsWith('/api/docs')) {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
    // Reveals and exports are how personal data is harvested: each must name its limit.
    const bulk = route.config?.access === 'pii:reveal' || /\/export\.[a-z]+$/.test(route.url);
    if (bulk && !route.config?.rateLimit) {
      throw new Error(`route ${route.method} ${route.url} reveals or exports and declares no rate limit`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const access = config?.access;
    if (!access) return;
    if (access === 'public') {
      if (config.rateLimit) await hitRateLimit(deps.db, config.rateLimit, `ip:${req.ip}`);
      return;
    }
    req.actor = await authenticate(req, deps);
    if (!req.actor) throw new AppError('UNAUTHENTICATED');
    const actor = req.actor;
    // A wall display's account reads with its session only: a token would outlive the screen.
    if (actor.via === 'token' && actor.readOnly) throw new AppError('FORBIDDEN');
    if (actor.via === 'session' && !safeMethods.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || header !== actor.csrfToken) throw new AppError('CSRF');
    }
    // A wall display only shows, whatever its session: it may log out and, away from the
    // wall, keep its own credentials (first password change, TOTP enrolment); nothing else writes.
    if (actor.readOnly && !safeMethods.has(req.method)) {
      const ownCredentials = config.allowRestricted === true && !actor.display;
      if (req.routeOptions.url !== '/api/auth/logout' && !ownCredentials) throw new AppError('FORBIDDEN');
    }
    if (actor.restricted && !config.allowRestricted) {
      throw new AppError(
        actor.restricted === 'mustChangePassword' ? 'PASSWORD_CHANGE_REQUIRED' : 'TOTP_ENROLMENT_REQUIRED',
      );
    }
    if (access !== 'authenticated' && !actor.permissions.has(access)) throw new AppError('FORBIDDEN');
    if (config.rateLimit) await hitRateLimit(deps.db, config.rateLimit, `user:${actor.userId}`);
  });

  app.addHook('onResponse', async (req) => {
    if (!safeMethods.has(req.method) && actorChangingPrefixes.some((p) => req.url.startsWith(p)))
      invalidateActorCache();
  });
}

/**
 * Actors resolved in the last few seconds, by credential. Loading an actor costs four
 * queries; a busy console polls several endpoints a second. A change to accounts, roles,
 * sessions or the org tree clears the cache at once in this process (see the onResponse
 * hook); another process sees it within `actorCacheMs`.
 */
const actorCache = new Map<string, { actor: Actor; at: number }>();
const actorCacheMs = 5_000;
const actorCacheMax = 10_000;
const actorChangingPrefixes = [
  '/api/auth',
  '/api/users',
  '/api/roles',
  '/api/org',
  '/api/departments',
  '/api/me',
];

export function invalidateActorCache(): void {
  actorCache.clear();
}

async function authenticate(
  req: FastifyRequest,
  deps: { db: Db; crypto: FieldCrypto },
): Promise<Actor | null> {
  const auth = req.headers.authorization;
  const credential = auth?.startsWith('Bearer ') ? `t:${auth}` : `c:${req.cookies[sessionCookie] ?? ''}`;
  const hit = actorCache.get(credential);
  const now = Date.now();
  if (hit && now - hit.at < actorCacheMs) return hit.actor;
  const actor = await loadFreshActor(req, deps);
  if (actor) {
    if (actorCache.size >= actorCacheMax) actorCache.clear();
    actorCache.set(credential, { actor, at: now });
  } else actorCache.delete(credential);
  return actor;
}

async function loadFreshActor(
  req: FastifyRequest,
  deps: { db: Db; crypto: FieldCrypto },
): Promise<Actor | null> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice(7).trim();
    if (!token.startsWith(tokenPrefix)) return null;
    const found = await resolveAccessToken(deps.db, deps.crypto, token);
    return found ? loadActor(deps.db, found.user, 'token', null) : null;
  }
  const cookie = req.cookies[sessionCookie];
  if (!cookie) return null;
  const found = await resolveSession(deps.db, deps.crypto, cookie);
  if (!found) return null;
  return loadActor(deps.db, found.user, 'session', found.session);
}

interface ZodIssueLike {
  code?: string;
  message: string;
  path?: PropertyKey[];
  instancePath?: string;
  keyword?: string;
  params?: { issue?: { code?: string; path?: PropertyKey[] } };
}

function fieldErrorsOf(err: FastifyError): FieldError[] {
  const issues = (err.validation ?? []) as unknown as ZodIssueLike[];
  const where = err.validationContext ?? 'body';
  return issues.map((i) => {
    const issue = i.params?.issue;
    const path = issue?.path ?? i.path;
    const fromInstance = i.instancePath?.replace(/^\//, '').replaceAll('/', '.');
    const field = path?.length ? path.map(String).join('.') : fromInstance || where;
    return { field, rule: issue?.code ?? i.keyword ?? i.code ?? 'invalid', message: i.message };
  });
}

function send(reply: FastifyReply, problem: ReturnType<typeof problemOf>) {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** What a 503 DATABASE_UNAVAILABLE asks the client to wait before retrying. */
export const databaseRetryAfterSeconds = 5;

/** Turns every failure into RFC 9457 problem+json; nothing a client sends becomes a 5xx. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof AppError) return send(reply, problemOf(err.code, err.message, err.errors));
    if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      return send(reply, problemOf('VALIDATION', err.message, fieldErrorsOf(err)));
    }
    // The database restarting or out of reach: a clean 503 the client may retry; the pool
    // replaces the dead connections, so the server recovers without a restart.
    if (unreachable(err)) {
      req.log.warn({ err: errorForLog(err) }, 'database unavailable');
      reply.header('retry-after', String(databaseRetryAfterSeconds));
      return send(reply, problemOf('DATABASE_UNAVAILABLE'));
    }
    // No room left for a file (local disk full, quota): nothing was saved.
    const fsCode = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
    if (fsCode === 'ENOSPC' || fsCode === 'EDQUOT') {
      req.log.error({ err: errorForLog(err) }, 'file store full');
      return send(reply, problemOf('FILE_STORE_FULL'));
    }
    // Drizzle wraps driver errors; the PostgreSQL SQLSTATE is on the cause.
    const pgCode = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
    if (pgCode === '23505') return send(reply, problemOf('CONFLICT'));
    // Bad text (22021: a NUL byte, 22P05: untranslatable), bad numbers, dates or syntax.
    if (['22P02', '22003', '22008', '22021', '22P05'].includes(pgCode ?? ''))
      return send(reply, problemOf('VALIDATION'));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return send(reply, problemOf('PAYLOAD_TOO_LARGE'));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      return send(reply, problemOf('BAD_JSON'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .status(status)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: err.message, status, code: 'VALIDATION' });
    }
    req.log.error({ err: errorForLog(err) }, 'unhandled error');
    return send(reply, problemOf('INTERNAL'));
  });
}

export function sendRouteNotFound(req: FastifyRequest, reply: FastifyReply) {
  return send(reply, problemOf('ROUTE_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`));
}

export const statusOf = (code: keyof typeof errorCodes) => errorCodes[code].status;

/** A spreadsheet download: an ASCII file name for old clients, the Chinese one per RFC 6266. */
export function sendXlsx(reply: FastifyReply, data: Buffer, asciiName: string, name = asciiName) {
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', contentDisposition(name, asciiName))
    .send(data);
}
