import { idParam, pageQuery } from '@civicgrid/core/api/common';
import { open311KeyCreate, open311KeyCreated, open311KeyList } from '@civicgrid/core/api/integrations';
import {
  open311Discovery,
  open311Errors,
  open311FormatParam,
  open311JurisdictionQuery,
  open311Posted,
  open311RequestList,
  open311RequestParam,
  open311RequestPost,
  open311RequestsQuery,
  open311ServiceDefinition,
  open311ServiceList,
  open311ServiceParam,
  open311TokenParam,
  open311TokenReply,
} from '@civicgrid/core/api/open311';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, problemOf } from '../../platform/errors.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { errorForLog } from '../../platform/logging.js';
import { hitRateLimit, RateLimitedError } from '../../platform/rateLimit.js';
import type { CaseDeps } from '../cases/actions/apply.js';
import { type Format, fieldsOfXml, Open311Error, render, renderErrors, splitFormat } from './format.js';
import {
  checkJurisdiction,
  listRequests,
  type PostFields,
  postRequest,
  type RequestQuery,
  requestById,
  requestByToken,
  serviceDefinition,
  services,
} from './georeport.js';
import { createKey, listKeys, revokeKey } from './keys.js';

const keyAccess = 'system:configure' as const;
const tags = ['integrations'];

/** Open311 API keys: an admin issues one per outside client (the key shown once), lists and revokes them. */
export const open311KeyRoutes =
  (deps: CaseDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, crypto } = deps;
    app.get(
      '/api/open311/keys',
      {
        config: { access: keyAccess },
        schema: { tags, querystring: pageQuery, response: { 200: open311KeyList } },
      },
      async (req) => listKeys(db, req.query.page, req.query.pageSize),
    );
    app.post(
      '/api/open311/keys',
      {
        config: { access: keyAccess },
        schema: { tags, body: open311KeyCreate, response: { 201: open311KeyCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createKey(db, crypto, actorOf(req), req.body.name, requestMeta(req))),
    );
    app.delete(
      '/api/open311/keys/:id',
      { config: { access: keyAccess }, schema: { tags, params: idParam } },
      async (req, reply) => {
        await revokeKey(db, actorOf(req), req.params.id, requestMeta(req));
        return reply.status(204).send();
      },
    );
  };

/** The format a request asked for, kept on the request so an error answers in it too. */
const formats = new WeakMap<FastifyRequest, Format>();

function send(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) {
  const { type, body } = render(format, root, value);
  return reply.status(status).type(type).send(body);
}

/** The route's `.:format` suffix: json or xml, anything else a 400 (in JSON). */
function formatOf(req: FastifyRequest, suffix: string): Format {
  const format = suffix.toLowerCase();
  if (format !== 'json' && format !== 'xml')
    throw new Open311Error(
      400,
      suffix === ''
        ? 'a format suffix (.json or .xml) is required'
        : `format .${suffix.slice(0, 20)} is not supported; use .json or .xml`,
    );
  formats.set(req, format);
  return format;
}

/** What a body parser, a limit or the platform refused, as GeoReport's status and words. */
function open311ErrorOf(err: FastifyError | Error): Open311Error {
  if (err instanceof Open311Error) return err;
  if (err instanceof RateLimitedError) return new Open311Error(429, 'Too many requests; try again later');
  if (err instanceof AppError) {
    const p = problemOf(err.code, err.message);
    const status = p.status >= 500 ? 500 : p.status === 403 || p.status === 404 ? p.status : 400;
    return new Open311Error(status, errorDescription(err));
  }
  const e = err as FastifyError;
  // GeoReport: 404 for what does not exist, 403 for a wrong or missing api_key, "and basically
  // 400 for any other error" — a body too large or of a type not taken included.
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413)
    return new Open311Error(400, 'The request body is too large');
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
    return new Open311Error(400, 'Malformed JSON body');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new Open311Error(400, 'POST as application/x-www-form-urlencoded, JSON or XML');
  if (e.statusCode === 404 || e.statusCode === 403) return new Open311Error(e.statusCode, e.message);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new Open311Error(400, e.message);
  return new Open311Error(500, 'Internal error');
}

function errorDescription(err: AppError): string {
  const field = err.errors?.[0]?.field;
  return `${problemOf(err.code).title}${field ? ` (${field})` : ''}`;
}

/** Form values as strings; a field sent twice takes its first value, a non-string is refused. */
function fieldsOf(body: unknown): PostFields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new Open311Error(400, 'The body must be a form or an object');
  const out: PostFields = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v)) out[`attribute[${ak}]`] = String(av);
    } else throw new Open311Error(400, `${k} must be a plain value`);
  }
  return out;
}

/**
 * GeoReport v2 under /open311/v2/: every endpoint in .json and .xml, errors as GeoReport's
 * list of {code, description} in the asked format. Outside /api/, so none of the console's
 * session machinery applies: reads are public (rate-limited per address), POST needs an
 * api_key. Registered in its own context, so its error handler and body parsers are its own.
 */
export const open311Routes =
  (deps: CaseDeps, publicUrl?: string): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        const params = new URLSearchParams(body as string);
        const out: PostFields = {};
        for (const [k, v] of params) if (!(k in out)) out[k] = v;
        done(null, out);
      },
    );
    app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, fieldsOfXml(body as string));
      } catch (e) {
        done(e as Error);
      }
    });

    app.setErrorHandler((err: FastifyError, req, reply) => {
      const e = open311ErrorOf(err);
      // As the platform's handler does: a database error's statement and parameters stay out of the log.
      if (e.status >= 500) req.log.error({ err: errorForLog(err) }, 'open311 error');
      if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
      const { type, body } = renderErrors(formats.get(req) ?? 'json', e.status, e.description);
      return reply.status(e.status).type(type).send(body);
    });

    // Reads: per client address, as any public page. The suffix is read first, so even a
    // body refused before any handler runs is answered in the format the client asked for.
    app.addHook('onRequest', async (req) => {
      const last = req.url.split('?')[0]?.split('/').pop() ?? '';
      const { format } = splitFormat(last);
      if (format) formats.set(req, format);
      if (req.method === 'GET') await hitRateLimit(db, 'open311Read', `ip:${req.ip}`);
    });

    const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
    /**
     * Documented (OpenAPI, from core/api/open311.ts) but not validated by the platform: the
     * handlers check their input themselves, so every refusal is GeoReport's error list in
     * the format asked for. Public: reads are rate-limited per address (onRequest above),
     * POST needs an api_key.
     */
    const documented = <S extends object>(summary: string, schema: S) => ({
      config: { access: 'public' as const },
      schema: { tags: ['open311'], summary, ...schema },
      validatorCompiler: () => (value: unknown) => ({ value }),
    });
    type Fmt = { format: string };

    app.get<{ Params: Fmt }>(
      '/open311/v2/discovery.:format',
      documented('GeoReport v2 service discovery', {
        params: open311FormatParam,
        response: { 200: open311Discovery, 400: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        return send(reply, format, 'discovery', discovery(req));
      },
    );
    app.get<{ Params: Fmt }>(
      '/open311/v2/services.:format',
      documented('GeoReport v2 service list: the resident-facing categories', {
        params: open311FormatParam,
        querystring: open311JurisdictionQuery,
        response: { 200: open311ServiceList, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        await checkJurisdiction(db, query(req).jurisdiction_id);
        return send(reply, format, 'services', await services(db));
      },
    );
    app.get<{ Params: Fmt & { service_code: string } }>(
      '/open311/v2/services/:service_code.:format',
      documented('GeoReport v2 service definition (attributes)', {
        params: open311ServiceParam,
        querystring: open311JurisdictionQuery,
        response: { 200: open311ServiceDefinition, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        await checkJurisdiction(db, query(req).jurisdiction_id);
        return send(
          reply,
          format,
          'service_definition',
          await serviceDefinition(db, req.params.service_code),
        );
      },
    );
    app.get<{ Params: Fmt }>(
      '/open311/v2/requests.:format',
      documented('GeoReport v2 service requests, filtered', {
        params: open311FormatParam,
        querystring: open311RequestsQuery,
        response: { 200: open311RequestList, 400: open311Errors, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        const q = query(req);
        await checkJurisdiction(db, q.jurisdiction_id);
        const filters: RequestQuery = {};
        for (const k of ['service_request_id', 'service_code', 'start_date', 'end_date', 'status'] as const) {
          const v = q[k];
          if (typeof v === 'string') filters[k] = v;
        }
        return send(reply, format, 'service_requests', await listRequests(db, filters));
      },
    );
    app.get<{ Params: Fmt & { service_request_id: string } }>(
      '/open311/v2/requests/:service_request_id.:format',
      documented('GeoReport v2 one service request', {
        params: open311RequestParam,
        querystring: open311JurisdictionQuery,
        response: { 200: open311RequestList, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        await checkJurisdiction(db, query(req).jurisdiction_id);
        return send(reply, format, 'service_requests', await requestById(db, req.params.service_request_id));
      },
    );
    app.get<{ Params: Fmt & { token: string } }>(
      '/open311/v2/tokens/:token.:format',
      documented('GeoReport v2 service_request_id from a token', {
        params: open311TokenParam,
        querystring: open311JurisdictionQuery,
        response: { 200: open311TokenReply, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        await checkJurisdiction(db, query(req).jurisdiction_id);
        return send(reply, format, 'service_requests', await requestByToken(db, req.params.token));
      },
    );
    app.post<{ Params: Fmt }>(
      '/open311/v2/requests.:format',
      documented('GeoReport v2 POST a service request (needs an api_key)', {
        params: open311FormatParam,
        body: open311RequestPost,
        response: { 200: open311Posted, 400: open311Errors, 403: open311Errors, 404: open311Errors },
      }),
      async (req, reply) => {
        const format = formatOf(req, req.params.format);
        // GeoReport clients send the form in the body; some put api_key or jurisdiction_id in the query.
        const fields = { ...fieldsOf(req.query), ...fieldsOf(req.body) };
        return send(reply, format, 'service_requests', await postRequest(deps, fields, requestMeta(req)));
      },
    );
    // Anything else under the prefix is GeoReport's error, not the web app's shell: an
    // endpoint without its suffix (or with another) a 400, what does not exist a 404.
    app.all('/open311/v2/*', { schema: { hide: true } }, async (req) => {
      const path = (req.url.split('?')[0] ?? '').replace(/^\/open311\/v2\//, '');
      const last = path.split('/').pop() ?? '';
      const { name, format } = splitFormat(last);
      const endpoint = `${path.slice(0, path.length - last.length)}${name}`;
      if (!format && /^(?:discovery|services|requests|(?:services|requests|tokens)\/[^/]+)$/.test(endpoint))
        throw new Open311Error(400, 'a format suffix (.json or .xml) is required');
      throw new Open311Error(404, 'no such endpoint');
    });

    function discovery(req: FastifyRequest) {
      // PUBLIC_URL when set: a forged Host header must not put another site into the answer.
      const base = publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.host}`;
      return {
        changeset: changeset,
        contact: '本平台运维值班（通过区网格化服务管理中心联系）',
        key_service: '请联系平台管理员在控制台“开放接口密钥”中签发 api_key',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${base}/open311/v2`,
            changeset: changeset,
            type: 'production',
            formats: ['application/json', 'text/xml'],
          },
        ],
      };
    }
  };

/** When this endpoint's behaviour last changed (GeoReport discovery's changeset). */
const changeset = '2026-12-02T00:00:00+08:00';
