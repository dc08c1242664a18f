import type { GovernanceStats, GovernanceStatsQuery, StatsBucket } from '@civicgrid/core/api/governanceStats';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { exportXlsx, type Sheet } from '../../platform/spreadsheet.js';
import { governanceStatsOf } from './service.js';

const pct = (x: number | null) => (x === null ? null : { value: x, format: '0.0%' });

const bucketSheet = (name: string, head: string, rows: StatsBucket[]): Sheet => ({
  name,
  columns: [
    { header: head, width: 20 },
    { header: '件数', width: 10 },
  ],
  rows: rows.map((b) => [b.name, b.count]),
});

/**
 * 综治统计 as a workbook: the figures of `governanceStatsOf` for the same area and period.
 * Aggregates only, yet a download leaves the platform like every other export: it is read
 * and audited in one transaction (a download that fails to be recorded is not served).
 */
export async function exportGovernanceStats(
  db: Db,
  actor: Actor,
  q: GovernanceStatsQuery,
  meta: RequestMeta,
): Promise<{ file: Buffer; day: string }> {
  const s: GovernanceStats = await db.transaction(async (tx) => {
    const figures = await governanceStatsOf(tx, actor, q);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'governanceStats.exported',
      payload: { orgUnitId: q.orgUnitId ?? null, from: q.from ?? null, to: q.to ?? null },
    });
    return figures;
  });
  const period = `${q.from ?? '开始'} 至 ${q.to ?? '今天'}`;
  const d = s.disputes;
  const g = s.grievances;
  const e = s.incidents;
  const stepRow = (label: string, x: GovernanceStats['grievances']['acknowledge']) => [
    label,
    x.done,
    x.onTime,
    x.late,
    x.overdue,
    pct(x.onTimeRate),
  ];
  const sheets: Sheet[] = [
    {
      name: '总览',
      title: `综治统计 ${s.area.name ?? ''}（${period}）`,
      columns: [
        { header: '指标', width: 26 },
        { header: '数值', width: 14 },
      ],
      rows: [
        ['矛盾纠纷（件）', d.total],
        ['调解终结（件）', d.ended],
        ['达成协议（件）', d.agreed],
        ['调解成功率', pct(d.successRate)],
        ['回访（件）', d.followedUp],
        ['已履行（件）', d.performed],
        ['部分履行（件）', d.partly],
        ['未履行（件）', d.notPerformed],
        ['协议履行率', pct(d.performanceRate)],
        ['受理至结案平均天数', d.meanDaysToClose],
        ['超期未结纠纷（件）', d.overdue],
        ['信访事项（件）', g.total],
        ['信访超期在办（件）', g.overdue],
        ['突发事件（起）', e.total],
        ['通知人次', e.notified],
        ['已确认人次', e.acknowledged],
        ['确认用时中位数（分钟）', e.ackMedianMinutes],
        ['确认用时 P90（分钟）', e.ackP90Minutes],
      ],
    },
    bucketSheet('纠纷按类型', '类型', d.byType),
    bucketSheet('纠纷按风险等级', '风险等级', d.byRisk),
    bucketSheet('纠纷按来源', '来源渠道', d.bySource),
    bucketSheet('纠纷按结果', '调解结果', d.byOutcome),
    {
      name: '信访按期',
      columns: [
        { header: '环节', width: 22 },
        { header: '已办', width: 10 },
        { header: '按期', width: 10 },
        { header: '逾期办理', width: 10 },
        { header: '超期未办', width: 10 },
        { header: '按期率', width: 10, format: '0.0%' },
      ],
      rows: [
        stepRow('告知（15 日）', g.acknowledge),
        stepRow('答复（60 日，可延 30 日）', g.answer),
        stepRow('复查（30 日）', g.review),
      ],
    },
    bucketSheet('信访按渠道', '渠道', g.byChannel),
    bucketSheet('突发事件按类型', '类型', e.byType),
    bucketSheet('突发事件按级别', '级别', e.byLevel),
  ];
  const file = await exportXlsx(sheets, { title: '综治统计' });
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { file, day };
}
