import {
  camera,
  cameraInput,
  cameraList,
  cameraNearQuery,
  cameraPatch,
  cameraQuery,
} from '@civicgrid/core/api/cameras';
import { intIdParam } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { cameraOf, camerasNear, createCamera, listCameras, updateCamera } from './service.js';

const tags = ['cameras'];

/** 视频监控: the camera registry, its map layer and the cameras near a place. */
export const cameraRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/cameras',
      {
        config: { access: 'camera:read' },
        schema: { tags, querystring: cameraQuery, response: { 200: cameraList } },
      },
      async (req) => listCameras(db, actorOf(req), req.query),
    );
    app.get(
      '/api/cameras/near',
      {
        config: { access: 'camera:read' },
        schema: { tags, querystring: cameraNearQuery, response: { 200: cameraList } },
      },
      async (req) => camerasNear(db, actorOf(req), req.query),
    );
    app.post(
      '/api/cameras',
      { config: { access: 'camera:write' }, schema: { tags, body: cameraInput, response: { 201: camera } } },
      async (req, reply) =>
        reply.status(201).send(await createCamera(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/cameras/:id',
      { config: { access: 'camera:read' }, schema: { tags, params: intIdParam, response: { 200: camera } } },
      async (req) => cameraOf(db, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/cameras/:id',
      {
        config: { access: 'camera:write' },
        schema: { tags, params: intIdParam, body: cameraPatch, response: { 200: camera } },
      },
      async (req) => updateCamera(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
  };
