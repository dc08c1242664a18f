import {
  changePasswordBody,
  loginBody,
  me,
  tokenCreateBody,
  tokenCreated,
  tokenList,
  totpConfirmBody,
  totpConfirmReply,
  totpSetupReply,
} from '@civicgrid/core/api/auth';
import { idParam } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';
import { actorOf, requestMeta } from '../http.js';
import { hitRateLimit } from '../rateLimit.js';
import { presentMe, presentToken } from './presenter.js';
import * as auth from './service.js';
import { sessionAbsoluteMs, sessionCookie } from './sessions.js';

export const authRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: deps.config.COOKIE_SECURE,
    };

    app.post(
      '/api/auth/login',
      {
        // Per client address here (before the body is read), per account below.
        config: { access: 'public', rateLimit: 'loginAddress' },
        schema: { tags: ['auth'], body: loginBody, response: { 200: me } },
      },
      async (req, reply) => {
        await hitRateLimit(deps.db, 'loginAccount', `name:${req.body.username}`);
        const { token: t, actor } = await auth.login(deps, req.body, requestMeta(req));
        reply.setCookie(sessionCookie, t, { ...cookieOptions, maxAge: sessionAbsoluteMs / 1000 });
        return presentMe(actor);
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { access: 'authenticated', allowRestricted: true }, schema: { tags: ['auth'] } },
      async (req, reply) => {
        await auth.logout(deps, actorOf(req), requestMeta(req));
        reply.clearCookie(sessionCookie, cookieOptions);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/me',
      {
        config: { access: 'authenticated', allowRestricted: true },
        schema: { tags: ['auth'], response: { 200: me } },
      },
      async (req) => presentMe(actorOf(req)),
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: 'authenticated', allowRestricted: true },
        schema: { tags: ['auth'], body: changePasswordBody },
      },
      async (req, reply) => {
        await auth.changePassword(deps, actorOf(req), req.body, requestMeta(req));
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/auth/totp/setup',
      {
        config: { access: 'authenticated', allowRestricted: true },
        schema: { tags: ['auth'], response: { 200: totpSetupReply } },
      },
      async (req) => auth.startTotpSetup(deps, actorOf(req)),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        config: { access: 'authenticated', allowRestricted: true },
        schema: { tags: ['auth'], body: totpConfirmBody, response: { 200: totpConfirmReply } },
      },
      async (req) => auth.confirmTotp(deps, actorOf(req), req.body.code, requestMeta(req)),
    );

    app.post(
      '/api/auth/totp/disable',
      { config: { access: 'authenticated' }, schema: { tags: ['auth'], body: totpConfirmBody } },
      async (req, reply) => {
        await auth.disableTotp(deps, actorOf(req), req.body.code, requestMeta(req));
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/auth/tokens',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], response: { 200: tokenList } },
      },
      async (req) => ({ items: (await auth.listTokens(deps, actorOf(req))).map(presentToken) }),
    );

    app.post(
      '/api/auth/tokens',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], body: tokenCreateBody, response: { 201: tokenCreated } },
      },
      async (req, reply) => {
        const { row, token: secret } = await auth.createToken(deps, actorOf(req), req.body, requestMeta(req));
        return reply.status(201).send({ ...presentToken(row), token: secret });
      },
    );

    app.delete(
      '/api/auth/tokens/:id',
      { config: { access: 'authenticated' }, schema: { tags: ['auth'], params: idParam } },
      async (req, reply) => {
        await auth.revokeToken(deps, actorOf(req), req.params.id, requestMeta(req));
        return reply.status(204).send();
      },
    );
  };
