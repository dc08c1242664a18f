import { idParam } from '@civicgrid/core/api/common';
import {
  incidentAcknowledged,
  incidentCloseInput,
  incidentCreated,
  incidentDetail,
  incidentInput,
  incidentList,
  incidentListQuery,
  incidentLogInput,
  incidentTaskDone,
  incidentTaskInput,
  incidentTaskParam,
  rosterCandidates,
  rosterCandidatesQuery,
  rosterDay,
  rosterQuery,
  rosterReply,
} from '@civicgrid/core/api/incidents';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { incidentReportPdf } from './report.js';
import { rosterCandidates as candidatesOf } from './rosterCandidates.js';
import {
  acknowledge,
  addLog,
  addTask,
  closeIncident,
  incidentDetail as detailOf,
  finishTask,
  type IncidentDeps,
  listIncidents,
  reportIncident,
  roster,
  setRoster,
} from './service.js';

const tags = ['incidents'];

/** 突发事件 and 值班表: report and notify, acknowledge, command log, tasks, closure and its report. */
export const incidentRoutes =
  (deps: IncidentDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.post(
      '/api/incidents',
      {
        config: { access: 'incident:report' },
        schema: { tags, body: incidentInput, response: { 201: incidentCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await reportIncident(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/incidents',
      {
        config: { access: 'incident:read' },
        schema: { tags, querystring: incidentListQuery, response: { 200: incidentList } },
      },
      async (req) => listIncidents(db, actorOf(req), req.query),
    );
    app.get(
      '/api/incidents/:id',
      {
        config: { access: 'incident:read' },
        schema: { tags, params: idParam, response: { 200: incidentDetail } },
      },
      async (req) => detailOf(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/incidents/:id/acknowledge',
      // Whoever was told: the notice is found by incident and user (404 for anyone else).
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: incidentAcknowledged } },
      },
      async (req) => acknowledge(db, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.post(
      '/api/incidents/:id/logs',
      {
        config: { access: 'incident:command' },
        schema: { tags, params: idParam, body: incidentLogInput, response: { 200: incidentDetail } },
      },
      async (req) => {
        await addLog(db, actorOf(req), req.params.id, req.body, requestMeta(req));
        return detailOf(db, actorOf(req), req.params.id);
      },
    );
    app.post(
      '/api/incidents/:id/tasks',
      {
        config: { access: 'incident:command' },
        schema: { tags, params: idParam, body: incidentTaskInput, response: { 200: incidentDetail } },
      },
      async (req) => {
        await addTask(db, actorOf(req), req.params.id, req.body, requestMeta(req));
        return detailOf(db, actorOf(req), req.params.id);
      },
    );
    app.post(
      '/api/incidents/:id/tasks/:taskId/done',
      {
        config: { access: 'incident:command' },
        schema: {
          tags,
          params: incidentTaskParam,
          body: incidentTaskDone.optional(),
          response: { 200: incidentDetail },
        },
      },
      async (req) => {
        await finishTask(
          db,
          actorOf(req),
          req.params.id,
          req.params.taskId,
          req.body?.note,
          requestMeta(req),
        );
        return detailOf(db, actorOf(req), req.params.id);
      },
    );
    app.post(
      '/api/incidents/:id/close',
      {
        config: { access: 'incident:command' },
        schema: { tags, params: idParam, body: incidentCloseInput, response: { 200: incidentDetail } },
      },
      async (req) => {
        await closeIncident(db, actorOf(req), req.params.id, req.body.summary, requestMeta(req));
        return detailOf(db, actorOf(req), req.params.id);
      },
    );
    app.get(
      '/api/incidents/:id/report.pdf',
      { config: { access: 'incident:read' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const { pdf, code } = await incidentReportPdf(db, actorOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(`${code}-处置总结报告.pdf`, `${code}-report.pdf`))
          .send(pdf);
      },
    );
    app.get(
      '/api/rosters/candidates',
      {
        config: { access: 'roster:write' },
        schema: { tags, querystring: rosterCandidatesQuery, response: { 200: rosterCandidates } },
      },
      async (req) => candidatesOf(db, actorOf(req), req.query.orgUnitId),
    );
    app.get(
      '/api/rosters',
      {
        config: { access: 'incident:read' },
        schema: { tags, querystring: rosterQuery, response: { 200: rosterReply } },
      },
      async (req) => roster(db, actorOf(req), req.query.orgUnitId, req.query.from, req.query.to),
    );
    app.put(
      '/api/rosters',
      {
        config: { access: 'roster:write' },
        schema: { tags, body: rosterDay, response: { 200: rosterReply } },
      },
      async (req) => setRoster(db, actorOf(req), req.body, requestMeta(req)),
    );
  };
