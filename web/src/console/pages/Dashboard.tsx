import type { DashboardCount } from '@civicgrid/core/api/dashboard';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { Chart } from '../../common/Chart.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { useTrees } from '../cases/shared.js';

type Count = DashboardCount;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Another area than the user's own: a street, community or grid of their jurisdiction. */
function AreaPicker(props: { value: number | undefined; onChange(v: number | undefined): void }) {
  const { t } = useTranslation();
  const trees = useTrees();
  return (
    <TreeSelect
      placeholder={t('assessment.dashboard.ownArea')}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      style={{ width: 220 }}
      treeData={trees.areas}
      value={props.value}
      onChange={(v) => props.onChange(v ?? undefined)}
      data-testid="dash-area"
    />
  );
}

/**
 * 指挥看板: the jurisdiction's cases at a glance; every number opens the cases behind it.
 * A department handler, who has no jurisdiction, sees the department's cases instead:
 * no area to pick, no 小事不出网格 share and no rankings of areas or departments.
 */
export function DashboardPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rawNavigate = useNavigate();
  const { can } = useAuth();
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
    queryFn: () => call('GET /api/dashboard', { query: { orgUnitId: areaId } }),
    // Live through the event stream (see NotificationBell); the poll is a fallback.
    refetchInterval: 60_000,
  });
  const d = data.data;
  const ofArea = d?.scope === 'area';
  const rateSpan = ofArea ? 6 : 8;
  const reported = t('assessment.dashboard.reported');
  const closed = t('assessment.dashboard.closed');
  const trend = useMemo(
    () =>
      d && {
        tooltip: { trigger: 'axis' },
        legend: { data: [reported, closed], top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: d.trend.map((x) => x.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: reported, type: 'line', smooth: true, data: d.trend.map((x) => x.reported) },
          { name: closed, type: 'line', smooth: true, data: d.trend.map((x) => x.closed) },
        ],
      },
    [d, reported, closed],
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
            name: reported,
            type: 'bar',
            data: d.months.map((m) => m.reported),
            itemStyle: { color: '#1677ff' },
          },
        ],
      },
    [d, reported],
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
            // Channel names come from the server in Chinese; in English, the module's by code.
            data: d.byChannel.map((c) => ({
              name: lang === 'en-US' ? t(`cases.channels.${c.key}`, { defaultValue: c.name }) : c.name,
              value: c.count,
            })),
          },
        ],
      },
    [d, lang, t],
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
            {ofArea && (
              <Space style={{ float: 'right' }}>
                {can('org:read') && <AreaPicker value={areaId} onChange={setAreaId} />}
                <Button href="/screen" target="_blank" data-testid="dash-screen">
                  {t('assessment.dashboard.screen')}
                </Button>
              </Space>
            )}
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t(ofArea ? 'assessment.dashboard.title' : 'assessment.dashboard.titleDepartment', {
                area: d.area.name,
              })}
            </Typography.Title>
          </Col>
          {tile(
            t('assessment.dashboard.today'),
            d.today.reported,
            `/cases?from=${d.trend.at(-1)?.day ?? ''}`,
            'dash-today',
          )}
          {tile(
            t('assessment.dashboard.open'),
            d.today.open,
            '/cases?status=reported,accepted,dispatched,in_progress,resolved,rework,verified',
            'dash-open',
          )}
          {tile(
            t('assessment.dashboard.overdue'),
            d.today.overdue,
            '/cases?view=overdue',
            'dash-overdue',
            d.today.overdue > 0,
          )}
          {tile(
            t('assessment.dashboard.supervised'),
            d.today.supervised,
            '/cases?view=supervised',
            'dash-supervised',
          )}
          <Col xs={12} md={rateSpan}>
            <Card size="small">
              <Statistic title={t('assessment.dashboard.onTimeRate')} value={pct(d.rates.onTimeRate)} />
            </Card>
          </Col>
          <Col xs={12} md={rateSpan}>
            <Card size="small">
              <Statistic
                title={t('assessment.dashboard.fulfilmentRate')}
                value={pct(d.rates.fulfilmentRate)}
              />
            </Card>
          </Col>
          <Col xs={12} md={rateSpan}>
            <Card size="small">
              <Statistic
                title={t('assessment.dashboard.satisfactionRate')}
                value={pct(d.rates.satisfactionRate)}
              />
            </Card>
          </Col>
          {ofArea && (
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('assessment.dashboard.gridResolvedShare')}
                  value={pct(d.rates.gridResolvedShare)}
                />
              </Card>
            </Col>
          )}
          <Col xs={24} xl={14}>
            <Card
              size="small"
              title={t(
                span === 'days' ? 'assessment.dashboard.trendDays' : 'assessment.dashboard.trendMonths',
              )}
              extra={
                <Segmented
                  size="small"
                  value={span}
                  onChange={(v) => setSpan(v as 'days' | 'months')}
                  options={[
                    { value: 'days', label: t('assessment.dashboard.byDay') },
                    { value: 'months', label: t('assessment.dashboard.byMonth') },
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
            <Card size="small" title={t('assessment.dashboard.channels')}>
              <Chart
                option={channels}
                onClick={(p) => {
                  const c = d.byChannel[p.dataIndex];
                  if (c) navigate(`/cases?channel=${c.key}`);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} xl={ofArea ? 12 : 24}>
            <Card size="small" title={t('assessment.dashboard.categories')}>
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
          {ofArea && (
            <>
              <Col xs={24} xl={6}>
                <Card size="small" title={t('assessment.dashboard.areas')}>
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
                      { title: t('assessment.dashboard.area'), dataIndex: 'name', ellipsis: true },
                      {
                        title: t('assessment.dashboard.count'),
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
                <Card size="small" title={t('assessment.dashboard.departments')}>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    scroll={{ y: 260 }}
                    dataSource={d.departments}
                    locale={{ emptyText: t('assessment.dashboard.noDispatch') }}
                    columns={[
                      { title: t('assessment.dashboard.department'), dataIndex: 'name', ellipsis: true },
                      {
                        title: t('assessment.dashboard.count'),
                        dataIndex: 'count',
                        width: 60,
                        align: 'right',
                      },
                      {
                        title: t('assessment.dashboard.onTime'),
                        dataIndex: 'onTimeRate',
                        width: 72,
                        align: 'right',
                        render: pct,
                      },
                    ]}
                  />
                </Card>
              </Col>
            </>
          )}
        </Row>
      )}
    </QueryState>
  );
}
