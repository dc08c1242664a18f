import { idParam } from '@civicgrid/core/api/common';
import {
  myApplication,
  myApplicationList,
  myApplicationQuery,
  myRatingInput,
  onlineApplicationInput,
  publicCommunityList,
  publicServiceQuery,
} from '@civicgrid/core/api/online';
import {
  applicationCreated,
  materialFile,
  maxMaterialFileMb,
  ratingInfo,
  serviceList,
} from '@civicgrid/core/api/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { fieldError } from '../../platform/errors.js';
import { fileStoreFor, readUpload } from '../../platform/files.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { certificatePdf } from './certificates.js';
import { maxMaterialBytes, presentMaterialFile, uploadMaterialFile } from './materialFiles.js';
import {
  applyOnline,
  myApplicationOf,
  myApplicationRow,
  myApplications,
  publicCommunities,
  rateMine,
  searchGuide,
} from './online.js';

const tags = ['services'];

/**
 * The resident portal's side of the service centre (issue 17 item 4): the service guide and
 * the communities, public; applying online, following, the certificate and 好差评 for the
 * signed-in resident, each only on his own applications (another's is 404).
 */
export const onlineServiceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const store = fileStoreFor(deps.config);

    app.get(
      '/api/public/service-guide',
      {
        config: { access: 'public' },
        schema: { tags: ['public'], querystring: publicServiceQuery, response: { 200: serviceList } },
      },
      async (req) => ({ items: await searchGuide(db, req.query) }),
    );
    app.get(
      '/api/public/communities',
      { config: { access: 'public' }, schema: { tags: ['public'], response: { 200: publicCommunityList } } },
      async () => publicCommunities(db),
    );
    app.post(
      '/api/my/material-files',
      { config: { access: 'authenticated' }, schema: { tags, response: { 201: materialFile } } },
      async (req, reply) => {
        const { data } = await readUpload(req, maxMaterialBytes, () =>
          fieldError('file', 'maxSize', 'MATERIAL_FILE_TOO_LARGE', { maxMb: maxMaterialFileMb }),
        );
        const row = await uploadMaterialFile(db, store, actorOf(req), data, requestMeta(req));
        return reply.code(201).send(presentMaterialFile(row));
      },
    );
    app.post(
      '/api/my/applications',
      {
        config: { access: 'authenticated' },
        schema: { tags, body: onlineApplicationInput, response: { 201: applicationCreated } },
      },
      async (req, reply) =>
        reply.code(201).send(await applyOnline(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/my/applications',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: myApplicationQuery, response: { 200: myApplicationList } },
      },
      async (req) => myApplications(db, actorOf(req), req.query),
    );
    app.get(
      '/api/my/applications/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: myApplication } },
      },
      async (req) => myApplicationOf(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/my/applications/:id/certificate.pdf',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const actor = actorOf(req);
        const row = await myApplicationRow(db, actor, req.params.id);
        const origin = deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? `${req.protocol}://${req.host}`;
        const { pdf, number } = await certificatePdf(deps, actor, req.params.id, origin, row);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(`${number}-证明.pdf`, `${number}.pdf`))
          .send(pdf);
      },
    );
    app.post(
      '/api/my/applications/:id/rating',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, body: myRatingInput, response: { 201: ratingInfo } },
      },
      async (req, reply) =>
        reply.code(201).send(await rateMine(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
  };
