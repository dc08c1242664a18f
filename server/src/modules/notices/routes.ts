import { idParam } from '@civicgrid/core/api/common';
import {
  myNotice,
  myNoticeList,
  myNoticeQuery,
  notice,
  noticeCommunityList,
  noticeCommunityPick,
  noticeInput,
  noticeList,
  noticeListQuery,
  noticePatch,
  noticePinInput,
  noticeWithdrawInput,
} from '@civicgrid/core/api/notices';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  createNotice,
  listNotices,
  myNotice as myNoticeOf,
  myNotices,
  noticeDetail,
  pickableCommunities,
  pickCommunity,
  pinNotice,
  updateNotice,
  withdrawNotice,
} from './service.js';

const tags = ['notices'];

/** 通知公告: staff publish to an area of their jurisdiction; residents read their community's. */
export const noticeRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/notices',
      {
        config: { access: 'notice:manage' },
        schema: { tags, querystring: noticeListQuery, response: { 200: noticeList } },
      },
      async (req) => listNotices(db, actorOf(req), req.query),
    );
    app.post(
      '/api/notices',
      { config: { access: 'notice:manage' }, schema: { tags, body: noticeInput, response: { 201: notice } } },
      async (req, reply) =>
        reply.status(201).send(await createNotice(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/notices/:id',
      { config: { access: 'notice:manage' }, schema: { tags, params: idParam, response: { 200: notice } } },
      async (req) => noticeDetail(db, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/notices/:id',
      {
        config: { access: 'notice:manage' },
        schema: { tags, params: idParam, body: noticePatch, response: { 200: notice } },
      },
      async (req) => updateNotice(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/notices/:id/actions/withdraw',
      {
        config: { access: 'notice:manage' },
        schema: { tags, params: idParam, body: noticeWithdrawInput, response: { 200: notice } },
      },
      async (req) => withdrawNotice(db, actorOf(req), req.params.id, req.body.reason, requestMeta(req)),
    );
    app.post(
      '/api/notices/:id/actions/pin',
      {
        config: { access: 'notice:manage' },
        schema: { tags, params: idParam, body: noticePinInput, response: { 200: notice } },
      },
      async (req) => pinNotice(db, actorOf(req), req.params.id, req.body.pinned, requestMeta(req)),
    );

    // The resident's side: whoever is signed in reads the notices of where he lives.
    app.get(
      '/api/my/notices',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: myNoticeQuery, response: { 200: myNoticeList } },
      },
      async (req) => myNotices(db, actorOf(req), req.query),
    );
    app.get(
      '/api/my/notices/:id',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam, response: { 200: myNotice } } },
      async (req) => myNoticeOf(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/my/notice-communities',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: noticeCommunityList } } },
      async () => pickableCommunities(db),
    );
    app.put(
      '/api/my/notice-community',
      {
        config: { access: 'authenticated' },
        schema: { tags, body: noticeCommunityPick, response: { 200: myNoticeList } },
      },
      async (req) => pickCommunity(db, actorOf(req), req.body.communityId),
    );
  };
