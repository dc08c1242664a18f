import type { GovernanceStats, StatsBucket } from '@civicgrid/core/api/governanceStats';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Row, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../common/Chart.js';
import { call } from '../../common/client.js';
import { ExportButton } from '../../common/list/ListPage.js';
import { QueryState } from '../../common/QueryState.js';
import { orgTreeSelect, useOrgTree } from '../cases/shared.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : v);

const riskColours: Record<string, string> = {
  red: '#cf1322',
  orange: '#fa8c16',
  yellow: '#fadb14',
  green: '#52c41a',
};

const pie = (data: StatsBucket[], colours?: Record<string, string>): EChartsCoreOption => ({
  tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
  legend: { bottom: 0, type: 'scroll' },
  series: [
    {
      type: 'pie',
      radius: ['40%', '68%'],
      center: ['50%', '44%'],
      label: { show: false },
      data: data
        .filter((b) => b.count > 0)
        .map((b) => ({
          name: b.name,
          value: b.count,
          ...(colours?.[b.key] ? { itemStyle: { color: colours[b.key] } } : {}),
        })),
    },
  ],
});

const bars = (data: StatsBucket[], name: string): EChartsCoreOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: 90, right: 24, top: 12, bottom: 20 },
  xAxis: { type: 'value', minInterval: 1 },
  yAxis: { type: 'category', inverse: true, data: data.map((b) => b.name) },
  series: [{ name, type: 'bar', data: data.map((b) => b.count) }],
});

function Kpi({
  id,
  title,
  value,
  note,
}: {
  id: string;
  title: string;
  value: string | number;
  note?: string;
}) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" data-testid={`gov-stat-${id}`} style={{ height: '100%' }}>
        <Statistic title={title} value={value} />
        {note && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {note}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );
}

type StepKey = 'acknowledge' | 'answer' | 'review';

/** 综治统计: disputes, grievances and emergencies of an area and period, with charts and an Excel export. */
export default function GovernanceStatsPage() {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const areaTree = useMemo(() => (tree.data ?? []).map(orgTreeSelect), [tree.data]);
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>();
  // The platform's day is China's (core's localDay), whatever the browser's time zone says.
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs(localDay(Date.now()));
    return [today.subtract(89, 'day'), today];
  });
  const query = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    ...(orgUnitId === undefined ? {} : { orgUnitId }),
  };
  const q = useQuery({
    queryKey: ['governance-stats', query],
    queryFn: () => call('GET /api/governance/stats', { query }),
  });
  const s: GovernanceStats | undefined = q.data;
  const empty = s && s.disputes.total === 0 && s.grievances.total === 0 && s.incidents.total === 0;
  const d = s?.disputes;
  const g = s?.grievances;
  const e = s?.incidents;
  const steps = g ? (['acknowledge', 'answer', 'review'] as StepKey[]).map((k) => ({ key: k, ...g[k] })) : [];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="gov-stats-page">
      <Card
        title={t('govStats.title')}
        extra={
          <Space wrap>
            <TreeSelect
              placeholder={t('govStats.allAreas')}
              allowClear
              showSearch
              treeNodeFilterProp="title"
              style={{ width: 200 }}
              value={orgUnitId}
              onChange={setOrgUnitId}
              treeData={areaTree}
              data-testid="gov-stats-area"
            />
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
              data-testid="gov-stats-range"
            />
            <ExportButton
              url="/api/governance/stats/export.xlsx"
              query={new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}
              fileName="governance-stats.xlsx"
              testId="gov-stats-export"
            />
          </Space>
        }
      >
        <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
          {d && g && e && (
            <Row gutter={[16, 16]}>
              <Kpi id="disputes" title={t('govStats.kpi.disputes')} value={d.total} />
              <Kpi
                id="successRate"
                title={t('govStats.kpi.successRate')}
                value={pct(d.successRate)}
                note={t('govStats.rateNote.success', { agreed: d.agreed, ended: d.ended })}
              />
              <Kpi
                id="performanceRate"
                title={t('govStats.kpi.performanceRate')}
                value={pct(d.performanceRate)}
                note={t('govStats.rateNote.performance', d)}
              />
              <Kpi
                id="meanDaysToClose"
                title={t('govStats.kpi.meanDaysToClose')}
                value={num(d.meanDaysToClose)}
              />
              <Kpi id="disputesOverdue" title={t('govStats.kpi.disputesOverdue')} value={d.overdue} />
              <Kpi id="grievances" title={t('govStats.kpi.grievances')} value={g.total} />
              <Kpi id="grievancesOverdue" title={t('govStats.kpi.grievancesOverdue')} value={g.overdue} />
              <Kpi
                id="answerOnTime"
                title={t('govStats.kpi.answerOnTime')}
                value={pct(g.answer.onTimeRate)}
              />
              <Kpi id="incidents" title={t('govStats.kpi.incidents')} value={e.total} />
              <Kpi
                id="ackMedian"
                title={t('govStats.kpi.ackMedian')}
                value={num(e.ackMedianMinutes)}
                note={t('govStats.notified', e)}
              />
              <Kpi id="ackP90" title={t('govStats.kpi.ackP90')} value={num(e.ackP90Minutes)} />
            </Row>
          )}
        </QueryState>
      </Card>
      {empty && (
        <Card>
          <Empty description={t('govStats.empty')} data-testid="gov-stats-empty" />
        </Card>
      )}
      {s && d && g && e && !empty && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={10}>
              <Card title={`${t('govStats.disputes')} · ${t('govStats.byType')}`} size="small">
                <Chart option={bars(d.byType, t('govStats.count'))} height={300} />
              </Card>
            </Col>
            <Col xs={24} md={12} lg={7}>
              <Card title={`${t('govStats.disputes')} · ${t('govStats.byRisk')}`} size="small">
                <Chart option={pie(d.byRisk, riskColours)} height={300} />
              </Card>
            </Col>
            <Col xs={24} md={12} lg={7}>
              <Card title={`${t('govStats.disputes')} · ${t('govStats.byOutcome')}`} size="small">
                <Chart option={pie(d.byOutcome)} height={300} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <Card title={`${t('govStats.disputes')} · ${t('govStats.bySource')}`} size="small">
                <Chart option={pie(d.bySource)} height={280} />
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card title={t('govStats.steps')} size="small">
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={steps}
                  data-testid="gov-stats-steps"
                  columns={[
                    {
                      title: t('govStats.step'),
                      dataIndex: 'key',
                      render: (k: StepKey) => t(`govStats.stepNames.${k}`),
                    },
                    { title: t('govStats.done'), dataIndex: 'done', align: 'right' },
                    { title: t('govStats.onTime'), dataIndex: 'onTime', align: 'right' },
                    { title: t('govStats.late'), dataIndex: 'late', align: 'right' },
                    { title: t('govStats.overdue'), dataIndex: 'overdue', align: 'right' },
                    { title: t('govStats.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', render: pct },
                  ]}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('govStats.stepNote')}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={8}>
              <Card title={t('govStats.byChannel')} size="small">
                <Chart option={pie(g.byChannel)} height={260} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card title={t('govStats.incidentByType')} size="small">
                <Chart option={pie(e.byType)} height={260} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card title={t('govStats.incidentByLevel')} size="small">
                <Chart option={bars(e.byLevel, t('govStats.count'))} height={260} />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}
