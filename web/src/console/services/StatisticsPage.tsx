import type { ServiceMetrics } from '@civicgrid/core/api/services';
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

type RateRow = { name: string; total: number; completed: number; onTimeRate: number | null };

/** Per clerk: applications in the period, the days they took any in, the mean and busiest day. */
function clerkRows(m: ServiceMetrics) {
  const by = new Map<string, { userId: string; name: string; total: number; days: number; max: number }>();
  for (const c of m.byClerk) {
    const r = by.get(c.userId) ?? { userId: c.userId, name: c.name, total: 0, days: 0, max: 0 };
    r.total += c.total;
    r.days += 1;
    r.max = Math.max(r.max, c.total);
    by.set(c.userId, r);
  }
  return [...by.values()].sort((a, b) => b.total - a.total);
}

/** Applications taken in per day of the period, one bar segment per clerk (the busiest eight). */
function dailyOption(m: ServiceMetrics, days: string[], other: string): EChartsCoreOption {
  const top = clerkRows(m).slice(0, 8);
  const named = new Set(top.map((c) => c.userId));
  const count = (userId: string | null) => {
    const per = new Map<string, number>();
    for (const c of m.byClerk)
      if (userId === null ? !named.has(c.userId) : c.userId === userId)
        per.set(c.day, (per.get(c.day) ?? 0) + c.total);
    return days.map((d) => per.get(d) ?? 0);
  };
  const series = top.map((c) => ({ name: c.name, type: 'bar', stack: 'n', data: count(c.userId) }));
  if (m.byClerk.some((c) => !named.has(c.userId)))
    series.push({ name: other, type: 'bar', stack: 'n', data: count(null) });
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
}

const pie = (data: { name: string; value: number }[]): EChartsCoreOption => ({
  tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
  legend: { bottom: 0, type: 'scroll' },
  series: [{ type: 'pie', radius: ['40%', '68%'], center: ['50%', '44%'], data, label: { show: false } }],
});

/** 服务统计: the service centre's figures for an area and a period, with charts and an Excel export. */
export default function StatisticsPage() {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const areaTree = useMemo(() => (tree.data ?? []).map(orgTreeSelect), [tree.data]);
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>();
  // The platform's day is China's (core's localDay), whatever the browser's time zone says.
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs(localDay(Date.now()));
    return [today.subtract(29, 'day'), today];
  });
  const query = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    ...(orgUnitId === undefined ? {} : { orgUnitId }),
  };
  const q = useQuery({
    queryKey: ['service-metrics', query],
    queryFn: () => call('GET /api/metrics/services', { query }),
  });
  const m = q.data;
  const days = useMemo(() => {
    const out: string[] = [];
    for (let d = range[0]; !d.isAfter(range[1], 'day'); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
    return out;
  }, [range]);
  const kpis: [string, string, string | number][] = m
    ? [
        ['total', t('serviceStats.kpi.total'), m.total],
        ['completed', t('serviceStats.kpi.completed'), m.completed],
        ['onTimeRate', t('serviceStats.kpi.onTimeRate'), pct(m.onTimeRate)],
        ['goodRatingRate', t('serviceStats.kpi.goodRatingRate'), pct(m.goodRatingRate)],
        ['meanWorkingDays', t('serviceStats.kpi.meanWorkingDays'), m.meanWorkingDays ?? '—'],
        ['proxyShare', t('serviceStats.kpi.proxyShare'), pct(m.proxyShare)],
        ['overdue', t('serviceStats.kpi.overdue'), m.overdue],
        ['warning', t('serviceStats.kpi.warning'), m.warning],
      ]
    : [];
  const rateColumns = [
    { title: t('serviceStats.total'), dataIndex: 'total', width: 80, align: 'right' as const },
    { title: t('serviceStats.completed'), dataIndex: 'completed', width: 80, align: 'right' as const },
    {
      title: t('serviceStats.onTimeRate'),
      dataIndex: 'onTimeRate',
      width: 100,
      align: 'right' as const,
      render: pct,
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="service-stats-page">
      <Card
        title={t('serviceStats.title')}
        extra={
          <Space wrap>
            <TreeSelect
              placeholder={t('serviceStats.allAreas')}
              allowClear
              showSearch
              treeNodeFilterProp="title"
              style={{ width: 200 }}
              value={orgUnitId}
              onChange={setOrgUnitId}
              treeData={areaTree}
              data-testid="service-stats-area"
            />
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
            />
            <ExportButton
              url="/api/metrics/services/export.xlsx"
              query={new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}
              fileName="service-metrics.xlsx"
              testId="service-stats-export"
            />
          </Space>
        }
      >
        <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
          <Row gutter={[16, 16]}>
            {kpis.map(([key, title, value]) => (
              <Col key={key} xs={12} md={6} xl={3}>
                <Card size="small" data-testid={`service-stat-${key}`} style={{ height: '100%' }}>
                  <Statistic title={title} value={value} />
                </Card>
              </Col>
            ))}
          </Row>
        </QueryState>
      </Card>
      {m && m.total === 0 && (
        <Card>
          <Empty description={t('serviceStats.empty')} />
        </Card>
      )}
      {m && m.total > 0 && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Card title={t('serviceStats.daily')} size="small">
                <Chart option={dailyOption(m, days, t('serviceStats.others'))} height={300} />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('serviceStats.byChannel')} size="small">
                <Chart
                  option={pie(
                    m.byChannel.map((c) => ({ name: t(`services.channels.${c.channel}`), value: c.total })),
                  )}
                  height={300}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Card title={t('serviceStats.topServices')} size="small">
                <Chart
                  height={Math.max(220, Math.min(m.byService.length, 12) * 26 + 40)}
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { top: 0 },
                    grid: { left: 150, right: 24, top: 28, bottom: 20 },
                    xAxis: { type: 'value', minInterval: 1 },
                    yAxis: {
                      type: 'category',
                      inverse: true,
                      data: m.byService.slice(0, 12).map((s) => s.name),
                      axisLabel: { width: 140, overflow: 'truncate' },
                    },
                    series: [
                      {
                        name: t('serviceStats.total'),
                        type: 'bar',
                        data: m.byService.slice(0, 12).map((s) => s.total),
                      },
                      {
                        name: t('serviceStats.completed'),
                        type: 'bar',
                        data: m.byService.slice(0, 12).map((s) => s.completed),
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('serviceStats.byStatus')} size="small">
                <Chart
                  option={pie(
                    m.byStatus.map((s) => ({ name: t(`services.states.${s.status}`), value: s.total })),
                  )}
                  height={300}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title={t('serviceStats.byService')} size="small">
                <Table<RateRow>
                  size="small"
                  rowKey="name"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  dataSource={m.byService}
                  data-testid="service-stats-by-service"
                  columns={[
                    { title: t('serviceStats.service'), dataIndex: 'name', ellipsis: true },
                    ...rateColumns,
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('serviceStats.byUnit')} size="small">
                <Table<RateRow>
                  size="small"
                  rowKey="name"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  dataSource={m.byUnit}
                  columns={[
                    { title: t('serviceStats.unit'), dataIndex: 'name', ellipsis: true },
                    ...rateColumns,
                  ]}
                />
              </Card>
              <Card title={t('serviceStats.byClerk')} size="small" style={{ marginTop: 16 }}>
                <Table
                  size="small"
                  rowKey="userId"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  dataSource={clerkRows(m)}
                  columns={[
                    { title: t('serviceStats.clerk'), dataIndex: 'name' },
                    { title: t('serviceStats.total'), dataIndex: 'total', align: 'right' },
                    { title: t('serviceStats.days'), dataIndex: 'days', align: 'right' },
                    {
                      title: t('serviceStats.perDay'),
                      key: 'perDay',
                      align: 'right',
                      render: (_, r) => (r.total / r.days).toFixed(1),
                    },
                    { title: t('serviceStats.busiest'), dataIndex: 'max', align: 'right' },
                  ]}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('serviceStats.clerkNote')}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}
