import { me } from '@civicgrid/core/api/auth';
import {
  residentCodeBody,
  residentCodeSent,
  residentConsentBody,
  residentLoginBody,
  residentProfile,
  residentRealNameBody,
} from '@civicgrid/core/api/resident';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { presentMe } from '../../platform/auth/presenter.js';
import { sessionAbsoluteMs, sessionCookie } from '../../platform/auth/sessions.js';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, invalidateActorCache, requestMeta } from '../../platform/http.js';
import type { SmsSender } from '../../platform/notify.js';
import * as svc from './service.js';

const tags = ['resident'];

/** The resident portal's sign-in by SMS code and the resident's own account (issue 17). */
export const residentAccountRoutes =
  (deps: AppDeps & { sms: SmsSender }): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: deps.config.COOKIE_SECURE,
    };

    app.post(
      '/api/resident-auth/code',
      {
        config: { access: 'public' },
        schema: { tags, body: residentCodeBody, response: { 202: residentCodeSent } },
      },
      async (req, reply) => {
        const expiresIn = await svc.sendCode(deps, req.body.phone, requestMeta(req));
        return reply.code(202).send({ expiresIn });
      },
    );

    app.post(
      '/api/resident-auth/login',
      {
        // Per client address across phones; per code, five tries (service).
        config: { access: 'public', rateLimit: 'loginAddress' },
        schema: { tags, body: residentLoginBody, response: { 200: me } },
      },
      async (req, reply) => {
        const { token, actor } = await svc.loginWithCode(deps, req.body, requestMeta(req));
        reply.setCookie(sessionCookie, token, { ...cookieOptions, maxAge: sessionAbsoluteMs / 1000 });
        return presentMe(actor);
      },
    );

    app.get(
      '/api/me/resident',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: residentProfile } } },
      async (req) => svc.profile(deps, actorOf(req)),
    );

    app.post(
      '/api/me/resident/consent',
      {
        config: { access: 'authenticated' },
        schema: { tags, body: residentConsentBody, response: { 200: residentProfile } },
      },
      async (req) => svc.consent(deps, actorOf(req), req.body.version, requestMeta(req)),
    );

    app.post(
      '/api/me/resident/real-name',
      {
        config: { access: 'authenticated' },
        schema: { tags, body: residentRealNameBody, response: { 200: residentProfile } },
      },
      async (req) => svc.bindRealName(deps, actorOf(req), req.body, requestMeta(req)),
    );

    app.delete(
      '/api/me/resident',
      { config: { access: 'authenticated' }, schema: { tags } },
      async (req, reply) => {
        await svc.deleteAccount(deps, actorOf(req), requestMeta(req));
        invalidateActorCache();
        reply.clearCookie(sessionCookie, cookieOptions);
        return reply.status(204).send();
      },
    );
  };
