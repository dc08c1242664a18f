import type { ServiceMetrics, serviceMetricsQuery } from '@civicgrid/core/api/services';
import { applicationStateNames } from '@civicgrid/core/services/stateMachine';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { exportXlsx, type Sheet } from '../../platform/spreadsheet.js';
import { serviceMetricsOf } from './metrics.js';

const channelNames: Record<ServiceMetrics['byChannel'][number]['channel'], string> = {
  window: '窗口受理',
  proxy: '帮办代办',
  online: '网上申请',
};

const pct = { format: '0.0%' };
const rateColumn = (header: string, key: string) => ({ header, key, width: 12, ...pct });

/**
 * 服务统计 as a workbook: the figures of `serviceMetricsOf` for the same area and period, one
 * sheet per breakdown. Aggregates only (the clerks' names are staff, not applicants), yet a
 * download leaves the platform like every other export: it is audited, read and recorded in
 * one transaction (a download that fails to be recorded is not served).
 */
export async function exportServiceMetrics(
  db: Db,
  actor: Actor,
  q: z.infer<typeof serviceMetricsQuery>,
  meta: RequestMeta,
): Promise<{ file: Buffer; day: string }> {
  const m = await db.transaction(async (tx) => {
    const figures = await serviceMetricsOf(tx, actor, q);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'serviceMetrics.exported',
      payload: { orgUnitId: q.orgUnitId ?? null, from: q.from ?? null, to: q.to ?? null },
    });
    return figures;
  });
  const period = `${q.from ?? '开始'} 至 ${q.to ?? '今天'}`;
  const rated = (rows: ServiceMetrics['byService'] | ServiceMetrics['byUnit']) =>
    rows.map((r) => ({ name: r.name, total: r.total, completed: r.completed, onTimeRate: r.onTimeRate }));
  const sheets: Sheet[] = [
    {
      name: '总览',
      title: `服务统计（${period}）`,
      columns: [
        { header: '指标', width: 18 },
        { header: '数值', width: 14 },
      ],
      rows: [
        ['受理件数', m.total],
        ['办结件数', m.completed],
        ['按时办结率', m.onTimeRate === null ? null : { value: m.onTimeRate, format: '0.0%' }],
        ['好评率', m.goodRatingRate === null ? null : { value: m.goodRatingRate, format: '0.0%' }],
        ['评价件数', m.rated],
        ['平均办理工作日', m.meanWorkingDays],
        ['帮办代办占比', m.proxyShare === null ? null : { value: m.proxyShare, format: '0.0%' }],
        ['超期在办', m.overdue],
        ['临期在办', m.warning],
      ],
    },
    {
      name: '按事项',
      columns: [
        { header: '事项', key: 'name', width: 30 },
        { header: '受理', key: 'total', width: 10 },
        { header: '办结', key: 'completed', width: 10 },
        rateColumn('按时办结率', 'onTimeRate'),
      ],
      rows: rated(m.byService),
    },
    {
      name: '按受理单位',
      columns: [
        { header: '单位', key: 'name', width: 24 },
        { header: '受理', key: 'total', width: 10 },
        { header: '办结', key: 'completed', width: 10 },
        rateColumn('按时办结率', 'onTimeRate'),
      ],
      rows: rated(m.byUnit),
    },
    {
      name: '按渠道',
      columns: [
        { header: '渠道', width: 14 },
        { header: '受理', width: 10 },
      ],
      rows: m.byChannel.map((c) => [channelNames[c.channel], c.total]),
    },
    {
      name: '按状态',
      columns: [
        { header: '状态', width: 14 },
        { header: '件数', width: 10 },
      ],
      rows: m.byStatus.map((s) => [applicationStateNames[s.status].zh, s.total]),
    },
    {
      name: '窗口人员每日受理',
      columns: [
        { header: '日期', key: 'day', width: 12 },
        { header: '受理人', key: 'name', width: 16 },
        { header: '受理件数', key: 'total', width: 10 },
      ],
      rows: m.byClerk.map((c) => ({ day: c.day, name: c.name, total: c.total })),
    },
  ];
  const file = await exportXlsx(sheets, { title: '服务统计' });
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { file, day };
}
