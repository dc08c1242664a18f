import { idParam, okReply } from '@civicgrid/core/api/common';
import {
  commentCreated,
  commentHideInput,
  commentInput,
  commentListQuery,
  commentParam,
  council,
  councilCreated,
  councilIdParam,
  councilInput,
  councilList,
  councilListQuery,
  councilMemberCreated,
  councilMemberInput,
  councilMemberParam,
  publicCommentList,
  publicDeliberationPage,
  publicDeliberationPageList,
  publicDeliberationPageQuery,
  staffComment,
  staffCommentList,
  suggestionCreated,
  suggestionInput,
  suggestionList,
  suggestionListQuery,
  suggestionProposed,
  suggestionProposeInput,
  supportReply,
} from '@civicgrid/core/api/deliberationPublic';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  addCouncilMember,
  councilDetail,
  createCouncil,
  listCouncils,
  retireCouncilMember,
} from './councils.js';
import { listSuggestions, postSuggestion, proposeFromSuggestion, setSupport } from './suggestions.js';
import {
  hideComment,
  publicDeliberationPage as pageOf,
  postComment,
  publicComments,
  publicOpenDeliberations,
  staffComments,
} from './supervision.js';

/**
 * 议事协商 around the five steps: residents' suggestions and their supports (居民建议、附议),
 * the public supervision page and its comments (居民群众全程监督), street councils (街道议事会).
 */
export const deliberationPublicRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, crypto } = deps;
    const tags = ['participation'];

    app.post(
      '/api/deliberation-suggestions',
      {
        config: { access: 'deliberation:participate' },
        schema: { tags, body: suggestionInput, response: { 201: suggestionCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await postSuggestion(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/deliberation-suggestions',
      // A resident reads every community's (texts and counts only); staff their jurisdiction's.
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: suggestionListQuery, response: { 200: suggestionList } },
      },
      async (req) => listSuggestions(db, actorOf(req), req.query),
    );
    app.post(
      '/api/deliberation-suggestions/:id/support',
      {
        config: { access: 'deliberation:participate' },
        schema: { tags, params: idParam, response: { 200: supportReply } },
      },
      async (req) => setSupport(db, actorOf(req), req.params.id, true),
    );
    app.delete(
      '/api/deliberation-suggestions/:id/support',
      {
        config: { access: 'deliberation:participate' },
        schema: { tags, params: idParam, response: { 200: supportReply } },
      },
      async (req) => setSupport(db, actorOf(req), req.params.id, false),
    );
    app.post(
      '/api/deliberation-suggestions/:id/actions/propose',
      {
        config: { access: 'deliberation:manage' },
        schema: {
          tags,
          params: idParam,
          body: suggestionProposeInput,
          response: { 201: suggestionProposed },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await proposeFromSuggestion(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );

    app.get(
      '/api/public/open-deliberations',
      {
        config: { access: 'public' },
        schema: {
          tags,
          querystring: publicDeliberationPageQuery,
          response: { 200: publicDeliberationPageList },
        },
      },
      async (req) => publicOpenDeliberations(db, req.query),
    );
    app.get(
      '/api/public/deliberations/:id',
      {
        config: { access: 'public' },
        schema: { tags, params: idParam, response: { 200: publicDeliberationPage } },
      },
      async (req) => pageOf(db, req.params.id),
    );
    app.get(
      '/api/public/deliberations/:id/comments',
      {
        config: { access: 'public' },
        schema: {
          tags,
          params: idParam,
          querystring: commentListQuery,
          response: { 200: publicCommentList },
        },
      },
      async (req) => publicComments(db, req.params.id, req.query),
    );
    app.post(
      '/api/deliberations/:id/comments',
      {
        config: { access: 'deliberation:participate' },
        schema: { tags, params: idParam, body: commentInput, response: { 201: commentCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await postComment(db, actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/api/deliberations/:id/comments',
      {
        config: { access: 'deliberation:read' },
        schema: { tags, params: idParam, querystring: commentListQuery, response: { 200: staffCommentList } },
      },
      async (req) => staffComments(db, actorOf(req), req.params.id, req.query),
    );
    app.post(
      '/api/deliberations/:id/comments/:commentId/actions/hide',
      {
        config: { access: 'deliberation:manage' },
        schema: { tags, params: commentParam, body: commentHideInput, response: { 200: staffComment } },
      },
      async (req) =>
        hideComment(db, actorOf(req), req.params.id, req.params.commentId, req.body, requestMeta(req)),
    );

    app.get(
      '/api/street-councils',
      {
        config: { access: 'deliberation:read' },
        schema: { tags, querystring: councilListQuery, response: { 200: councilList } },
      },
      async (req) => listCouncils(db, actorOf(req), req.query),
    );
    app.post(
      '/api/street-councils',
      {
        config: { access: 'deliberation:manage' },
        schema: { tags, body: councilInput, response: { 201: councilCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createCouncil(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/street-councils/:id',
      {
        config: { access: 'deliberation:read' },
        schema: { tags, params: councilIdParam, response: { 200: council } },
      },
      async (req) => councilDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/street-councils/:id/members',
      {
        config: { access: 'deliberation:manage' },
        schema: {
          tags,
          params: councilIdParam,
          body: councilMemberInput,
          response: { 201: councilMemberCreated },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await addCouncilMember(db, crypto, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.delete(
      '/api/street-councils/:id/members/:memberId',
      {
        config: { access: 'deliberation:manage' },
        schema: { tags, params: councilMemberParam, response: { 200: okReply } },
      },
      async (req) => {
        await retireCouncilMember(db, actorOf(req), req.params.id, req.params.memberId, requestMeta(req));
        return { ok: true as const };
      },
    );
  };
