import { idParam, intIdParam } from '@civicgrid/core/api/common';
import {
  committee,
  committeeInput,
  committeeList,
  committeeListQuery,
  committeeMediatorParam,
  committeeStatusAction,
  committeeUpdate,
  disputeActionBody,
  disputeActionParam,
  disputeCreated,
  disputeDetail,
  disputeInput,
  disputeList,
  disputeListQuery,
  disputeToCaseInput,
  mediatorAccountList,
  mediatorAccountQuery,
  mediatorInput,
  reception,
  receptionFinishInput,
  receptionInput,
  receptionList,
  receptionListQuery,
  receptionSummary,
  receptionSummaryQuery,
  receptionToCaseInput,
  receptionToGrievanceInput,
  screeningInput,
  screeningReport,
  screeningStatus,
  screeningStatusQuery,
} from '@civicgrid/core/api/disputes';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventBus } from '../../platform/bus.js';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { logSmsSender } from '../../platform/notify.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { agreementPdf } from './agreement.js';
import {
  addMediator,
  createCommittee,
  listCommittees,
  mediatorAccounts,
  retireMediator,
  setCommitteeStatus,
  updateCommittee,
} from './committees.js';
import {
  finishReception,
  listReceptions,
  recordReception,
  receptionSummary as summaryOf,
} from './reception.js';
import { receptionToCase, receptionToGrievance } from './receptionHandOff.js';
import { reportScreening, screeningStatus as statusOf } from './screening.js';
import { createDispute, disputeDetail as detailOf, listDisputes, performAction } from './service.js';
import { disputeToCase } from './toCase.js';

const tags = ['disputes'];

/** 综治中心: disputes and mediation (矛盾纠纷排查调处), the bodies that mediate, 排查, 群众接待. */
export const disputeRoutes =
  (appDeps: AppDeps & { bus: EventBus | null }): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = { db: appDeps.db, crypto: appDeps.crypto, bus: appDeps.bus };
    const { db } = deps;

    app.post(
      '/api/disputes',
      {
        config: { access: 'dispute:register' },
        schema: { tags, body: disputeInput, response: { 201: disputeCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createDispute(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/disputes',
      {
        config: { access: 'dispute:read' },
        schema: { tags, querystring: disputeListQuery, response: { 200: disputeList } },
      },
      async (req) => listDisputes(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/disputes/:id',
      {
        config: { access: 'dispute:read' },
        schema: { tags, params: idParam, response: { 200: disputeDetail } },
      },
      async (req) => detailOf(deps, actorOf(req), req.params.id),
    );
    app.post(
      '/api/disputes/:id/actions/:action',
      {
        // Each action names its permission in the workflow table; the policy checks it after
        // the scope (404 before 403, as for cases).
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: disputeActionParam,
          body: disputeActionBody.optional(),
          response: { 200: disputeDetail },
        },
      },
      async (req) =>
        performAction(deps, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );
    app.get(
      '/api/disputes/:id/agreement.pdf',
      { config: { access: 'dispute:read' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const { pdf, code } = await agreementPdf(deps, actorOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            contentDisposition(`${code}-人民调解协议书.pdf`, `${code}-agreement.pdf`),
          )
          .send(pdf);
      },
    );

    app.post(
      '/api/disputes/:id/case',
      {
        // Reporting a case is the cases module's; it checks the category and the place.
        config: { access: 'case:report' },
        schema: { tags, params: idParam, body: disputeToCaseInput, response: { 200: disputeDetail } },
      },
      async (req) => {
        if (!appDeps.bus) throw new Error('the event bus is required to report a case');
        const caseDeps = { ...deps, bus: appDeps.bus, sms: logSmsSender(app.log), log: app.log };
        return disputeToCase(caseDeps, actorOf(req), req.params.id, req.body.categoryCode, requestMeta(req));
      },
    );

    // ——— mediation bodies and their mediators
    app.get(
      '/api/mediation-committees',
      {
        config: { access: 'dispute:read' },
        schema: { tags, querystring: committeeListQuery, response: { 200: committeeList } },
      },
      async (req) => listCommittees(db, actorOf(req), req.query),
    );
    app.post(
      '/api/mediation-committees',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, body: committeeInput, response: { 201: committee } },
      },
      async (req, reply) =>
        reply.status(201).send(await createCommittee(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/mediation-committees/:id',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, params: intIdParam, body: committeeUpdate, response: { 200: committee } },
      },
      async (req) => updateCommittee(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/mediation-committees/:id/actions/:action',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, params: committeeStatusAction, response: { 200: committee } },
      },
      async (req) => setCommitteeStatus(db, actorOf(req), req.params.id, req.params.action, requestMeta(req)),
    );
    app.post(
      '/api/mediation-committees/:id/mediators',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, params: intIdParam, body: mediatorInput, response: { 201: committee } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await addMediator(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.get(
      '/api/mediator-accounts',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, querystring: mediatorAccountQuery, response: { 200: mediatorAccountList } },
      },
      async (req) => mediatorAccounts(db, actorOf(req), req.query),
    );
    app.delete(
      '/api/mediation-committees/:id/mediators/:mediatorId',
      {
        config: { access: 'dispute:configure' },
        schema: { tags, params: committeeMediatorParam, response: { 200: committee } },
      },
      async (req) => retireMediator(db, actorOf(req), req.params.id, req.params.mediatorId, requestMeta(req)),
    );

    // ——— 排查: weekly reports per grid, and who has not reported
    app.post(
      '/api/dispute-screenings',
      {
        config: { access: 'dispute:register' },
        schema: { tags, body: screeningInput, response: { 201: screeningReport } },
      },
      async (req, reply) =>
        reply.status(201).send(await reportScreening(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/dispute-screenings',
      {
        config: { access: 'dispute:read' },
        schema: { tags, querystring: screeningStatusQuery, response: { 200: screeningStatus } },
      },
      async (req) => statusOf(db, actorOf(req), req.query),
    );

    // ——— 群众接待
    app.post(
      '/api/receptions',
      {
        config: { access: 'reception:record' },
        schema: { tags, body: receptionInput, response: { 201: reception } },
      },
      async (req, reply) =>
        reply.status(201).send(await recordReception(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/receptions',
      {
        config: { access: 'dispute:read' },
        schema: { tags, querystring: receptionListQuery, response: { 200: receptionList } },
      },
      async (req) => listReceptions(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/receptions/summary',
      {
        config: { access: 'dispute:read' },
        schema: { tags, querystring: receptionSummaryQuery, response: { 200: receptionSummary } },
      },
      async (req) => summaryOf(db, actorOf(req), req.query),
    );
    app.post(
      '/api/receptions/:id/finish',
      {
        config: { access: 'reception:record' },
        schema: { tags, params: idParam, body: receptionFinishInput, response: { 200: reception } },
      },
      async (req) => finishReception(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/receptions/:id/grievance',
      {
        // Registering it is the grievances module's; handing the visit on needs reception:record.
        config: { access: 'grievance:intake' },
        schema: { tags, params: idParam, body: receptionToGrievanceInput, response: { 200: reception } },
      },
      async (req) => receptionToGrievance(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/receptions/:id/case',
      {
        config: { access: 'case:report' },
        schema: { tags, params: idParam, body: receptionToCaseInput, response: { 200: reception } },
      },
      async (req) => {
        if (!appDeps.bus) throw new Error('the event bus is required to report a case');
        const caseDeps = { ...deps, bus: appDeps.bus, sms: logSmsSender(app.log), log: app.log };
        return receptionToCase(caseDeps, actorOf(req), req.params.id, req.body, requestMeta(req));
      },
    );
  };
