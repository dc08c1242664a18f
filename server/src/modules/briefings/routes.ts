import {
  agendaQuery,
  agendaReply,
  briefingCreated,
  briefingDetail,
  briefingInput,
  briefingList,
  briefingListQuery,
  briefingTask,
  briefingTaskDone,
  briefingTaskList,
  briefingTaskQuery,
  hotspotQuery,
  hotspotReply,
} from '@civicgrid/core/api/briefings';
import { idParam, intIdParam } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { minutesPdf } from './minutes.js';
import {
  agenda,
  type BriefingDeps,
  briefingDetail as detailOf,
  finishTask,
  holdBriefing,
  hotspotsOf,
  listBriefings,
  listTasks,
} from './service.js';

const tags = ['briefings'];

/** 会商研判: the agenda the platform draws up, hot spots (专项治理), meetings and their supervised decisions. */
export const briefingRoutes =
  (deps: BriefingDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/briefings/agenda',
      {
        config: { access: 'briefing:read' },
        schema: { tags, querystring: agendaQuery, response: { 200: agendaReply } },
      },
      async (req) => agenda(deps, actorOf(req), req.query.orgUnitId),
    );
    app.get(
      '/api/hotspots',
      {
        config: { access: 'briefing:read' },
        schema: { tags, querystring: hotspotQuery, response: { 200: hotspotReply } },
      },
      async (req) => hotspotsOf(db, actorOf(req), req.query.orgUnitId, req.query.days),
    );
    app.post(
      '/api/briefings',
      {
        config: { access: 'briefing:manage' },
        schema: { tags, body: briefingInput, response: { 201: briefingCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await holdBriefing(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/briefings',
      {
        config: { access: 'briefing:read' },
        schema: { tags, querystring: briefingListQuery, response: { 200: briefingList } },
      },
      async (req) => listBriefings(db, actorOf(req), req.query),
    );
    app.get(
      '/api/briefings/:id',
      {
        config: { access: 'briefing:read' },
        schema: { tags, params: idParam, response: { 200: briefingDetail } },
      },
      async (req) => detailOf(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/briefings/:id/minutes.pdf',
      { config: { access: 'briefing:read' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const { pdf, heldOn } = await minutesPdf(db, actorOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            contentDisposition(`会商研判纪要-${heldOn}.pdf`, `briefing-${heldOn}.pdf`),
          )
          .send(pdf);
      },
    );
    app.get(
      '/api/briefing-tasks',
      // The meetings' unit reads them (briefing:read); an owner sees his own without it.
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: briefingTaskQuery, response: { 200: briefingTaskList } },
      },
      async (req) => listTasks(db, actorOf(req), req.query),
    );
    app.post(
      '/api/briefing-tasks/:id/done',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: intIdParam, body: briefingTaskDone, response: { 200: briefingTask } },
      },
      async (req) => finishTask(db, actorOf(req), req.params.id, req.body.note, requestMeta(req)),
    );
  };
