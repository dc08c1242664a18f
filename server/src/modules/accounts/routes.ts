import {
  passwordReset,
  permissionList,
  revealedPhone,
  role,
  roleCreate,
  roleList,
  roleUpdate,
  user,
  userCreate,
  userQuery,
  userUpdate,
} from '@civicgrid/core/api/admin';
import { idParam, intIdParam, pageOf } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { mayListRoles } from './policy.js';
import { createRole, deleteRole, listPermissions, listRoles, updateRole } from './roles.js';
import * as accounts from './users.js';

export const accountRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['accounts'];

    app.get(
      '/api/users',
      {
        config: { access: 'user:read' },
        schema: { tags, querystring: userQuery, response: { 200: pageOf(user) } },
      },
      async (req) => accounts.listUsers(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/users/:id',
      { config: { access: 'user:read' }, schema: { tags, params: idParam, response: { 200: user } } },
      async (req) => accounts.getUser(deps, actorOf(req), req.params.id),
    );
    app.post(
      '/api/users',
      { config: { access: 'user:write' }, schema: { tags, body: userCreate, response: { 201: user } } },
      async (req, reply) =>
        reply.status(201).send(await accounts.createUser(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/users/:id',
      {
        config: { access: 'user:write' },
        schema: { tags, params: idParam, body: userUpdate, response: { 200: user } },
      },
      async (req) => accounts.updateUser(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/users/:id/reset-password',
      { config: { access: 'user:write' }, schema: { tags, params: idParam, body: passwordReset } },
      async (req, reply) => {
        await accounts.resetPassword(deps, actorOf(req), req.params.id, req.body.password, requestMeta(req));
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/users/:id/unlock',
      { config: { access: 'user:write' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        await accounts.unlockUser(deps, actorOf(req), req.params.id, requestMeta(req));
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/users/:id/reveal',
      {
        config: { access: 'pii:reveal', rateLimit: 'reveal' },
        schema: { tags, params: idParam, response: { 200: revealedPhone } },
      },
      async (req) => accounts.revealUserPhone(deps, actorOf(req), req.params.id, requestMeta(req)),
    );

    app.get(
      '/api/roles',
      {
        // Two permissions open it (policy.ts mayListRoles), so the route checks itself.
        config: { access: 'authenticated' },
        schema: { tags, response: { 200: roleList } },
      },
      async (req) => {
        if (!mayListRoles(actorOf(req))) throw new AppError('FORBIDDEN');
        return { items: await listRoles(db) };
      },
    );
    app.get(
      '/api/permissions',
      {
        config: { access: 'role:read' },
        schema: { tags, response: { 200: permissionList } },
      },
      async () => ({ items: listPermissions() }),
    );
    app.post(
      '/api/roles',
      { config: { access: 'role:write' }, schema: { tags, body: roleCreate, response: { 201: role } } },
      async (req, reply) => {
        const r = await createRole(db, actorOf(req), req.body, requestMeta(req));
        return reply.status(201).send({ ...r, userCount: 0 });
      },
    );
    app.patch(
      '/api/roles/:id',
      {
        config: { access: 'role:write' },
        schema: { tags, params: intIdParam, body: roleUpdate, response: { 200: role } },
      },
      async (req) => {
        await updateRole(db, actorOf(req), req.params.id, req.body, requestMeta(req));
        const all = await listRoles(db);
        return all.find((r) => r.id === req.params.id) as (typeof all)[number];
      },
    );
    app.delete(
      '/api/roles/:id',
      { config: { access: 'role:write' }, schema: { tags, params: intIdParam } },
      async (req, reply) => {
        await deleteRole(db, actorOf(req), req.params.id, requestMeta(req));
        return reply.status(204).send();
      },
    );
  };
