import {
  monthlyBulletinQuery,
  type ReportContent,
  type ReportFormat,
  weeklyReviewQuery,
} from '@civicgrid/core/api/reports';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readDbOf } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { reportPdf } from './pdf.js';
import { monthlyBulletin, recordReportTaken, weeklyReview } from './service.js';
import { reportXlsx } from './xlsx.js';

const tags = ['assessment'];

async function send(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  r: ReportContent,
  format: ReportFormat,
  ascii: string,
) {
  await recordReportTaken(deps.db, actorOf(req), requestMeta(req), r, format);
  const name = `${r.area.name}${r.kind === 'weeklyReview' ? '周讲评' : '月通报'}-${r.period.from}`;
  if (format === 'xlsx') return sendXlsx(reply, await reportXlsx(r), `${ascii}.xlsx`, `${name}.xlsx`);
  return reply
    .type('application/pdf')
    .header('content-disposition', contentDisposition(`${name}.pdf`, `${ascii}.pdf`))
    .send(await reportPdf(r));
}

export const reportRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/reports/weekly-review',
      {
        config: { access: 'assessment:read', rateLimit: 'export' },
        schema: { tags, summary: '周讲评（PDF / Excel）', querystring: weeklyReviewQuery },
      },
      async (req, reply) => {
        const r = await weeklyReview(readDbOf(deps), actorOf(req), req.query);
        return send(deps, req, reply, r, req.query.format, `weekly-review-${r.area.id}-${r.period.from}`);
      },
    );
    app.get(
      '/api/reports/monthly-bulletin',
      {
        config: { access: 'assessment:read', rateLimit: 'export' },
        schema: { tags, summary: '月通报（PDF / Excel）', querystring: monthlyBulletinQuery },
      },
      async (req, reply) => {
        const r = await monthlyBulletin(readDbOf(deps), actorOf(req), req.query);
        return send(
          deps,
          req,
          reply,
          r,
          req.query.format,
          `monthly-bulletin-${r.area.id}-${r.period.from.slice(0, 7)}`,
        );
      },
    );
  };
