import { idParam } from '@civicgrid/core/api/common';
import {
  applicationActionBody,
  applicationActionParam,
  applicationCreated,
  applicationDetail,
  applicationInput,
  applicationList,
  applicationListQuery,
  applicationTodoReply,
  certificateCheck,
  certificateCodeParam,
  certificateInfo,
  certificateRevokeInput,
  materialFile,
  maxMaterialFileMb,
  publicRatingInput,
  ratingInfo,
  ratingInput,
  ratingTokenParam,
  rectificationCloseInput,
  rectificationInfo,
  rectificationList,
  rectificationListQuery,
  serviceCatalogue,
  serviceCatalogueQuery,
  serviceCodeParam,
  serviceItem,
  serviceItemInput,
  serviceItemPatch,
  serviceList,
  serviceMetrics,
  serviceMetricsQuery,
  serviceVersions,
  windowDwellingList,
  windowDwellingQuery,
  windowResident,
  windowResidentInput,
} from '@civicgrid/core/api/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { fieldError } from '../../platform/errors.js';
import { fileStoreFor, readUpload } from '../../platform/files.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import {
  createService,
  listCatalogue,
  listServices,
  serviceGuide,
  serviceVersionsOf,
  updateService,
} from './catalogue.js';
import { certificateInfoOf, certificatePdf, checkCertificate, revokeCertificate } from './certificates.js';
import { type ApplicationDocument, applicationDocument, documentNames } from './documents.js';
import {
  materialFileFor,
  maxMaterialBytes,
  presentMaterialFile,
  uploadMaterialFile,
} from './materialFiles.js';
import { serviceMetricsOf } from './metrics.js';
import { exportServiceMetrics } from './metricsExport.js';
import { closeRectification, listRectifications, rateApplication, rateByToken, ratingOf } from './ratings.js';
import {
  createApplication,
  applicationDetail as detailOf,
  listApplications,
  performAction,
} from './service.js';
import { applicationTodos } from './todos.js';
import { registerAtWindow, windowDwellings } from './window.js';

const tags = ['services'];

/** 便民服务中心: the service catalogue (事项清单), one-window intake and the back office. */
export const serviceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const store = fileStoreFor(deps.config);

    // ——— the catalogue: the service guide is public, its upkeep is the admin's
    app.get(
      '/api/services',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: serviceList } } },
      async () => ({ items: await listServices(db) }),
    );
    app.get(
      '/api/public/services',
      { config: { access: 'public' }, schema: { tags: ['public'], response: { 200: serviceList } } },
      async () => ({ items: await listServices(db) }),
    );
    app.get(
      '/api/public/services/:code',
      {
        config: { access: 'public' },
        schema: { tags: ['public'], params: serviceCodeParam, response: { 200: serviceItem } },
      },
      async (req) => serviceGuide(db, req.params.code),
    );
    app.post(
      '/api/services',
      {
        config: { access: 'service:manage' },
        schema: { tags, body: serviceItemInput, response: { 201: serviceItem } },
      },
      async (req, reply) =>
        reply.status(201).send(await createService(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/services/:code',
      {
        config: { access: 'service:manage' },
        schema: { tags, params: serviceCodeParam, body: serviceItemPatch, response: { 200: serviceItem } },
      },
      async (req) => updateService(db, actorOf(req), req.params.code, req.body, requestMeta(req)),
    );
    app.get(
      '/api/services/catalogue',
      {
        config: { access: 'service:manage' },
        schema: { tags, querystring: serviceCatalogueQuery, response: { 200: serviceCatalogue } },
      },
      async (req) => listCatalogue(db, req.query),
    );
    app.get(
      '/api/services/:code/versions',
      {
        config: { access: 'service:manage' },
        schema: { tags, params: serviceCodeParam, response: { 200: serviceVersions } },
      },
      async (req) => serviceVersionsOf(db, req.params.code),
    );

    // ——— the window: material scans, and a newcomer registered on the spot
    app.post(
      '/api/material-files',
      { config: { access: 'application:intake' }, schema: { tags, response: { 201: materialFile } } },
      async (req, reply) => {
        const { data } = await readUpload(req, maxMaterialBytes, () =>
          fieldError('file', 'maxSize', 'MATERIAL_FILE_TOO_LARGE', { maxMb: maxMaterialFileMb }),
        );
        const row = await uploadMaterialFile(db, store, actorOf(req), data, requestMeta(req));
        return reply.code(201).send(presentMaterialFile(row));
      },
    );
    app.get(
      '/api/material-files/:id',
      // Its uploader, or whoever sees an application holding it (checked in materialFileFor).
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const f = await materialFileFor(db, actorOf(req), req.params.id);
        return reply
          .type(f.mime)
          .header('cache-control', 'private, max-age=86400, immutable')
          .header('content-disposition', 'inline')
          .send(await store.read(f.storageKey));
      },
    );
    app.get(
      '/api/service-window/dwellings',
      {
        config: { access: 'application:intake' },
        schema: { tags, querystring: windowDwellingQuery, response: { 200: windowDwellingList } },
      },
      async (req) => windowDwellings(db, actorOf(req), req.query.q),
    );
    app.post(
      '/api/service-window/residents',
      {
        config: { access: 'application:intake' },
        schema: { tags, body: windowResidentInput, response: { 201: windowResident } },
      },
      async (req, reply) =>
        reply.code(201).send(await registerAtWindow(deps, actorOf(req), req.body, requestMeta(req))),
    );

    // ——— applications
    app.post(
      '/api/applications',
      {
        config: { access: 'application:intake' },
        schema: { tags, body: applicationInput, response: { 201: applicationCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createApplication(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/applications',
      {
        config: { access: 'application:read' },
        schema: { tags, querystring: applicationListQuery, response: { 200: applicationList } },
      },
      async (req) => listApplications(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/applications/todos',
      {
        config: { access: 'application:read' },
        schema: { tags, response: { 200: applicationTodoReply } },
      },
      async (req) => applicationTodos(db, actorOf(req)),
    );
    app.get(
      '/api/applications/:id',
      {
        config: { access: 'application:read' },
        schema: { tags, params: idParam, response: { 200: applicationDetail } },
      },
      async (req) => detailOf(deps, actorOf(req), req.params.id),
    );
    app.post(
      '/api/applications/:id/actions/:action',
      {
        // Each action names its own permission in the workflow table; the policy checks it
        // after the scope (404 before 403, as for cases).
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: applicationActionParam,
          body: applicationActionBody.optional(),
          response: { 200: applicationDetail },
        },
      },
      async (req) =>
        performAction(deps, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );
    for (const kind of ['receipt', 'notice'] as ApplicationDocument[]) {
      app.get(
        `/api/applications/:id/${kind}.pdf`,
        { config: { access: 'application:read' }, schema: { tags, params: idParam } },
        async (req, reply) => {
          const { pdf, code } = await applicationDocument(deps, actorOf(req), req.params.id, kind);
          return reply
            .type('application/pdf')
            .header(
              'content-disposition',
              contentDisposition(`${code}-${documentNames[kind]}.pdf`, `${code}-${kind}.pdf`),
            )
            .send(pdf);
        },
      );
    }

    // ——— certificates: the PDF and its record for staff, the check behind the QR for anyone
    app.get(
      '/api/applications/:id/certificate.pdf',
      { config: { access: 'application:read' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        // The QR leads to the page of the host the PDF was asked from (the public address).
        // The QR's address: the configured public one, so a forged Host header cannot put
        // another site into a certificate; the request's own otherwise (a demo, a test).
        const origin = deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? `${req.protocol}://${req.host}`;
        const { pdf, number } = await certificatePdf(deps, actorOf(req), req.params.id, origin);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(`${number}-证明.pdf`, `${number}.pdf`))
          .send(pdf);
      },
    );
    app.get(
      '/api/applications/:id/certificate',
      {
        config: { access: 'application:read' },
        schema: { tags, params: idParam, response: { 200: certificateInfo } },
      },
      async (req) => certificateInfoOf(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/api/public/certificates/:code',
      {
        config: { access: 'public' },
        schema: { tags: ['public'], params: certificateCodeParam, response: { 200: certificateCheck } },
      },
      async (req) => checkCertificate(deps, req.params.code),
    );
    app.post(
      '/api/certificates/:id/revoke',
      {
        config: { access: 'application:handle' },
        schema: { tags, params: idParam, body: certificateRevokeInput, response: { 200: certificateInfo } },
      },
      async (req) => revokeCertificate(deps, actorOf(req), req.params.id, req.body.reason, requestMeta(req)),
    );

    // ——— 好差评 and the rectifications bad ratings open
    app.post(
      '/api/applications/:id/rating',
      {
        config: { access: 'application:intake' },
        schema: { tags, params: idParam, body: ratingInput, response: { 201: ratingInfo } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await rateApplication(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.post(
      '/api/public/ratings/:token',
      {
        // No session: the token is the right to rate one ended application, once.
        config: { access: 'public', rateLimit: 'loginAddress' },
        schema: { tags, params: ratingTokenParam, body: publicRatingInput, response: { 201: ratingInfo } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await rateByToken(db, deps.crypto, req.params.token, req.body, requestMeta(req))),
    );
    app.get(
      '/api/applications/:id/rating',
      {
        config: { access: 'application:read' },
        schema: { tags, params: idParam, response: { 200: ratingInfo } },
      },
      async (req) => ratingOf(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/rectifications',
      {
        config: { access: 'application:read' },
        schema: { tags, querystring: rectificationListQuery, response: { 200: rectificationList } },
      },
      async (req) => listRectifications(db, actorOf(req), req.query),
    );
    app.post(
      '/api/rectifications/:id/close',
      {
        config: { access: 'application:handle' },
        schema: {
          tags,
          params: idParam,
          body: rectificationCloseInput,
          response: { 200: rectificationInfo },
        },
      },
      async (req) => closeRectification(db, actorOf(req), req.params.id, req.body.note, requestMeta(req)),
    );

    app.get(
      '/api/metrics/services',
      {
        config: { access: 'application:read' },
        schema: { tags, querystring: serviceMetricsQuery, response: { 200: serviceMetrics } },
      },
      async (req) => serviceMetricsOf(db, actorOf(req), req.query),
    );
    app.get(
      '/api/metrics/services/export.xlsx',
      {
        config: { access: 'application:read', rateLimit: 'export' },
        schema: { tags, querystring: serviceMetricsQuery },
      },
      async (req, reply) => {
        const { file, day } = await exportServiceMetrics(db, actorOf(req), req.query, requestMeta(req));
        return sendXlsx(reply, file, `service-metrics-${day}.xlsx`, `服务统计-${day}.xlsx`);
      },
    );
  };
