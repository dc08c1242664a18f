import { type CaseState, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { useQuery } from '@tanstack/react-query';
import {
  Card,
  Col,
  DatePicker,
  Empty,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { orgTreeSelect, useOrgTree } from './shared.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function Bars({
  rows,
  limit = 10,
}: {
  rows: { key: string; name: string; count: number }[];
  limit?: number;
}) {
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const max = Math.max(...rows.map((r) => r.count));
  return (
    <div>
      {rows.slice(0, limit).map((r) => (
        <div key={r.key} style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 6 }}>
          <Typography.Text ellipsis style={{ width: 140 }}>
            {r.name}
          </Typography.Text>
          <Progress
            percent={(r.count / max) * 100}
            status="normal"
            strokeColor="#1677ff"
            showInfo={false}
            style={{ flex: 1, margin: 0 }}
          />
          <Typography.Text style={{ width: 56, textAlign: 'right' }}>{r.count}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** 统计分析: the indicators computed from the trail, for an area and a period. */
export default function MetricsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  const tree = useOrgTree();
  const areaTree = useMemo(() => (tree.data ?? []).map(orgTreeSelect), [tree.data]);
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(89, 'day'), dayjs()]);
  const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), orgUnitId };
  const m = useQuery({
    queryKey: ['metrics', query],
    queryFn: () => call('GET /api/metrics/cases', { query }),
  });
  const d = m.data;
  const kpis: [string, string, string | number][] = d
    ? [
        ['total', t('caseForms.metrics.kpi.total'), d.total],
        ['onTimeRate', t('caseForms.metrics.kpi.onTimeRate'), pct(d.onTimeRate)],
        ['fulfilmentRate', t('caseForms.metrics.kpi.fulfilmentRate'), pct(d.fulfilmentRate)],
        ['satisfactionRate', t('caseForms.metrics.kpi.satisfactionRate'), pct(d.satisfactionRate)],
        ['reworkRate', t('caseForms.metrics.kpi.reworkRate'), pct(d.reworkRate)],
        ['gridResolvedShare', t('caseForms.metrics.kpi.gridResolvedShare'), pct(d.gridResolvedShare)],
        ['overdue', t('caseForms.metrics.kpi.overdue'), d.overdue],
        ['supervised', t('caseForms.metrics.kpi.supervised'), d.supervised],
      ]
    : [];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('caseForms.metrics.title')}
        extra={
          <Space wrap>
            <TreeSelect
              placeholder={t('caseForms.metrics.allAreas')}
              allowClear
              showSearch
              treeNodeFilterProp="title"
              style={{ width: 200 }}
              value={orgUnitId}
              onChange={setOrgUnitId}
              treeData={areaTree}
            />
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
            />
          </Space>
        }
      >
        <QueryState loading={m.isLoading} error={m.error} onRetry={() => m.refetch()}>
          <Row gutter={[16, 16]}>
            {kpis.map(([key, title, value]) => (
              <Col key={key} xs={12} md={6} xl={3}>
                <Card size="small" data-testid={`metric-${key}`} style={{ height: '100%' }}>
                  <Statistic title={title} value={value} />
                </Card>
              </Col>
            ))}
          </Row>
        </QueryState>
      </Card>
      {d && (
        <Row gutter={16}>
          <Col xs={24} lg={8}>
            <Card title={t('caseForms.metrics.byStatus')} size="small">
              <Table
                size="small"
                pagination={false}
                rowKey="state"
                dataSource={Object.entries(d.byStatus)
                  .filter(([, n]) => n > 0)
                  .map(([state, n]) => ({ state, n }))}
                columns={[
                  {
                    title: t('caseForms.metrics.state'),
                    dataIndex: 'state',
                    render: (s: CaseState) => caseStateNames[s]?.[lang] ?? s,
                  },
                  { title: t('caseForms.metrics.count'), dataIndex: 'n', align: 'right' },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('caseForms.metrics.meanHours')}
              </Typography.Title>
              <Table
                size="small"
                pagination={false}
                rowKey="k"
                dataSource={[
                  { k: t('caseForms.metrics.steps.accept'), v: d.meanHours.accept },
                  { k: t('caseForms.metrics.steps.dispatch'), v: d.meanHours.dispatch },
                  { k: t('caseForms.metrics.steps.claim'), v: d.meanHours.claim },
                  { k: t('caseForms.metrics.steps.resolve'), v: d.meanHours.resolve },
                  { k: t('caseForms.metrics.steps.close'), v: d.meanHours.close },
                ]}
                columns={[
                  { title: t('caseForms.metrics.step'), dataIndex: 'k' },
                  {
                    title: t('caseForms.metrics.hours'),
                    dataIndex: 'v',
                    align: 'right',
                    render: (v: number | null) => v ?? '—',
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={t('caseForms.metrics.byCategory')} size="small">
              <Bars rows={d.byCategory} />
            </Card>
            <Card title={t('caseForms.metrics.byChannel')} size="small" style={{ marginTop: 16 }}>
              <Bars
                rows={d.byChannel.map((r) => ({
                  ...r,
                  name: t(`cases.channels.${r.key}`, { defaultValue: r.name }),
                }))}
              />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={t('caseForms.metrics.byArea')} size="small">
              <Bars rows={d.byArea} limit={20} />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
