import type { Dashboard, DashboardCount } from '@civicgrid/core/api/dashboard';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { get } from '../../common/api.js';
import { Chart } from '../../common/Chart.js';
import { QueryState } from '../../common/QueryState.js';
import { useTrees } from '../cases/shared.js';

type Count = DashboardCount;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** 指挥看板: the jurisdiction's cases at a glance; every number opens the cases behind it. */
export function DashboardPanel() {
  const rawNavigate = useNavigate();
  const trees = useTrees();
  // Another area than the user's own: a street or community of it, chosen or drilled into.
  const [areaId, setAreaId] = useState<number | undefined>();
  const navigate = (to: string) =>
    rawNavigate(
      areaId === undefined || to.includes('orgUnitId=')
        ? to
        : `${to}${to.includes('?') ? '&' : '?'}orgUnitId=${areaId}`,
    );
  const data = useQuery({
    queryKey: ['dashboard', areaId ?? 'own'],
    queryFn: () => get<Dashboard>(`/api/dashboard${areaId ? `?orgUnitId=${areaId}` : ''}`),
    // Live through the event stream (see NotificationBell); the poll is a fallback.
    refetchInterval: 60_000,
  });
  const d = data.data;
  const trend = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'axis' },
        legend: { data: ['上报', '办结'], top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: d.trend.map((t) => t.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: '上报', type: 'line', smooth: true, data: d.trend.map((t) => t.reported) },
          { name: '办结', type: 'line', smooth: true, data: d.trend.map((t) => t.closed) },
        ],
      },
    [d],
  );
  const [span, setSpan] = useState<'days' | 'months'>('days');
  const months = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 16, top: 16, bottom: 28 },
        xAxis: { type: 'category', data: d.months.map((m) => m.month) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: '上报',
            type: 'bar',
            data: d.months.map((m) => m.reported),
            itemStyle: { color: '#1677ff' },
          },
        ],
      },
    [d],
  );
  const categories = useMemo(
    () =>
      d && {
        tooltip: {},
        grid: { left: 120, right: 24, top: 8, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: d.byCategory.map((c) => c.name) },
        series: [{ type: 'bar', data: d.byCategory.map((c) => c.count), itemStyle: { color: '#1677ff' } }],
      },
    [d],
  );
  const channels = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'pie',
            radius: ['40%', '70%'],
            data: d.byChannel.map((c) => ({ name: c.name, value: c.count })),
          },
        ],
      },
    [d],
  );
  const tile = (title: string, value: number | string, to: string, testId: string, danger = false) => (
    <Col xs={12} md={6}>
      <Card hoverable size="small" onClick={() => navigate(to)} data-testid={testId}>
        <Statistic title={title} value={value} valueStyle={danger ? { color: '#cf1322' } : undefined} />
      </Card>
    </Col>
  );
  return (
    <QueryState loading={data.isLoading} error={data.error} onRetry={() => data.refetch()}>
      {d && trend && months && categories && channels && (
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Space style={{ float: 'right' }}>
              <TreeSelect
                placeholder="本辖区"
                allowClear
                showSearch
                treeNodeFilterProp="title"
                style={{ width: 220 }}
                treeData={trees.areas}
                value={areaId}
                onChange={(v) => setAreaId(v ?? undefined)}
                data-testid="dash-area"
              />
              <Button href="/screen" target="_blank" data-testid="dash-screen">
                大屏
              </Button>
            </Space>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {d.area.name} · 指挥看板
            </Typography.Title>
          </Col>
          {tile('今日新增', d.today.reported, `/cases?from=${d.trend.at(-1)?.day ?? ''}`, 'dash-today')}
          {tile(
            '在办',
            d.today.open,
            '/cases?status=reported,accepted,dispatched,in_progress,resolved,rework,verified',
            'dash-open',
          )}
          {tile('超期', d.today.overdue, '/cases?view=overdue', 'dash-overdue', d.today.overdue > 0)}
          {tile('督办', d.today.supervised, '/cases?view=supervised', 'dash-supervised')}
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="按时办结率（近30天）" value={pct(d.rates.onTimeRate)} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="落实到位率" value={pct(d.rates.fulfilmentRate)} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="回访满意率" value={pct(d.rates.satisfactionRate)} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="小事不出网格" value={pct(d.rates.gridResolvedShare)} />
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card
              size="small"
              title={span === 'days' ? '近30天上报与办结' : '近12个月上报'}
              extra={
                <Segmented
                  size="small"
                  value={span}
                  onChange={(v) => setSpan(v as 'days' | 'months')}
                  options={[
                    { value: 'days', label: '按日' },
                    { value: 'months', label: '按月' },
                  ]}
                />
              }
            >
              {span === 'days' ? (
                <Chart
                  option={trend}
                  testId="dash-trend"
                  onClick={(p) => {
                    const day = d.trend[p.dataIndex]?.day;
                    if (day) navigate(`/cases?from=${day}&to=${day}`);
                  }}
                />
              ) : (
                <Chart
                  option={months}
                  testId="dash-months"
                  onClick={(p) => {
                    const m = d.months[p.dataIndex]?.month;
                    if (m)
                      navigate(
                        `/cases?from=${m}-01&to=${dayjs(`${m}-01`).endOf('month').format('YYYY-MM-DD')}`,
                      );
                  }}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card size="small" title="来源渠道">
              <Chart
                option={channels}
                onClick={(p) => {
                  const c = d.byChannel[p.dataIndex];
                  if (c) navigate(`/cases?channel=${c.key}`);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title="事件类别（近30天）">
              <Chart
                option={categories}
                height={300}
                onClick={(p) => {
                  const c = d.byCategory[p.dataIndex];
                  if (c) navigate(`/cases?categoryCode=${c.key}`);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} xl={6}>
            <Card size="small" title="区域排名（近30天事件量，点击下钻）">
              <Table<Count>
                size="small"
                rowKey="key"
                pagination={false}
                scroll={{ y: 260 }}
                dataSource={d.areas}
                onRow={(r) => ({
                  onClick: () => setAreaId(Number(r.key)),
                  style: { cursor: 'pointer' },
                })}
                columns={[
                  { title: '#', width: 40, render: (_, __, i) => i + 1 },
                  { title: '区域', dataIndex: 'name', ellipsis: true },
                  {
                    title: '件数',
                    dataIndex: 'count',
                    width: 64,
                    align: 'right',
                    render: (n: number, r) => (
                      <Typography.Link
                        onClick={(e) => {
                          e.stopPropagation();
                          rawNavigate(`/cases?orgUnitId=${r.key}`);
                        }}
                      >
                        {n}
                      </Typography.Link>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={6}>
            <Card size="small" title="职能部门（近30天）">
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ y: 260 }}
                dataSource={d.departments}
                locale={{ emptyText: '暂无派遣' }}
                columns={[
                  { title: '部门', dataIndex: 'name', ellipsis: true },
                  { title: '件数', dataIndex: 'count', width: 60, align: 'right' },
                  { title: '按时率', dataIndex: 'onTimeRate', width: 72, align: 'right', render: pct },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </QueryState>
  );
}
