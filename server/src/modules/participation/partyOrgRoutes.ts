import { idParam } from '@civicgrid/core/api/common';
import {
  gridIdParam,
  gridPartyBranch,
  partyHousehold,
  partyHouseholdInput,
  partyHouseholdParam,
  partyMember,
  partyMemberInput,
  partyMemberList,
  partyMemberParam,
  partyMemberPatch,
  partyMemberQuery,
  partyOrgDetail,
  partyOrgInput,
  partyOrgPatch,
  partyOrgTree,
  partyOrgTreeQuery,
} from '@civicgrid/core/api/partyOrgs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  addMember,
  listMembers,
  markHousehold,
  removeMember,
  unmarkHousehold,
  updateMember,
} from './partyMembers.js';
import {
  gridPartyBranch as branchOf,
  createPartyOrg,
  partyOrgDetail as detailOf,
  partyTree,
  retirePartyOrg,
  updatePartyOrg,
} from './partyOrgs.js';

/**
 * 党组织 on the grid (seed 004's five levels): read by the staff of the area (partyOrg:read),
 * kept by the street and the community (partyOrg:manage). Scope by the bound unit's path.
 */
export const partyOrgRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['participation'];
    const read = { config: { access: 'partyOrg:read' as const } };
    const manage = { config: { access: 'partyOrg:manage' as const } };

    app.get(
      '/api/party-orgs',
      { ...read, schema: { tags, querystring: partyOrgTreeQuery, response: { 200: partyOrgTree } } },
      async (req) => partyTree(deps, actorOf(req), req.query),
    );
    app.post(
      '/api/party-orgs',
      { ...manage, schema: { tags, body: partyOrgInput, response: { 201: partyOrgDetail } } },
      async (req, reply) =>
        reply.status(201).send(await createPartyOrg(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/party-orgs/:id',
      { ...read, schema: { tags, params: idParam, response: { 200: partyOrgDetail } } },
      async (req) => detailOf(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/party-orgs/:id',
      {
        ...manage,
        schema: { tags, params: idParam, body: partyOrgPatch, response: { 200: partyOrgDetail } },
      },
      async (req) => updatePartyOrg(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/party-orgs/:id/retire',
      { ...manage, schema: { tags, params: idParam, response: { 200: partyOrgDetail } } },
      async (req) => retirePartyOrg(deps, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.get(
      '/api/party-orgs/:id/members',
      {
        ...read,
        schema: { tags, params: idParam, querystring: partyMemberQuery, response: { 200: partyMemberList } },
      },
      async (req) => listMembers(deps, actorOf(req), req.params.id, req.query),
    );
    app.post(
      '/api/party-orgs/:id/members',
      {
        ...manage,
        schema: { tags, params: idParam, body: partyMemberInput, response: { 201: partyMember } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await addMember(deps, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.patch(
      '/api/party-orgs/:id/members/:memberId',
      {
        ...manage,
        schema: { tags, params: partyMemberParam, body: partyMemberPatch, response: { 200: partyMember } },
      },
      async (req) =>
        updateMember(deps, actorOf(req), req.params.id, req.params.memberId, req.body, requestMeta(req)),
    );
    app.delete(
      '/api/party-orgs/:id/members/:memberId',
      { ...manage, schema: { tags, params: partyMemberParam, response: { 200: partyMember } } },
      async (req) => removeMember(deps, actorOf(req), req.params.id, req.params.memberId, requestMeta(req)),
    );
    app.post(
      '/api/party-orgs/:id/households',
      {
        ...manage,
        schema: { tags, params: idParam, body: partyHouseholdInput, response: { 201: partyHousehold } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await markHousehold(deps, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.delete(
      '/api/party-orgs/:id/households/:householdId',
      { ...manage, schema: { tags, params: partyHouseholdParam, response: { 200: partyHousehold } } },
      async (req) =>
        unmarkHousehold(deps, actorOf(req), req.params.id, req.params.householdId, requestMeta(req)),
    );
    app.get(
      '/api/grids/:id/party-branch',
      { ...read, schema: { tags, params: gridIdParam, response: { 200: gridPartyBranch } } },
      async (req) => branchOf(deps, actorOf(req), req.params.id),
    );
  };
