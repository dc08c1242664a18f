import type { Patrol } from '@civicgrid/core/api/fieldwork';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Progress, Row, Space, Table, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { get } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';
import { useGridsOf, useTrees } from '../cases/shared.js';

type Track = { type: 'Feature'; geometry: { type: 'MultiLineString'; coordinates: [number, number][][] } };

export const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const km = (m: number) => `${(m / 1000).toFixed(2)} 公里`;
const minutes = (s: number) => `${Math.round(s / 60)} 分钟`;

/** 巡查轨迹: the day's patrols in the jurisdiction; a patrol's track; a grid's coverage. */
export default function PatrolsPage() {
  const trees = useTrees();
  // Days are China's days (the server counts them so), whatever the browser's zone.
  const [day, setDay] = useState(chinaToday());
  const [areaId, setAreaId] = useState<number | undefined>();
  const [selected, setSelected] = useState<Patrol | null>(null);
  const qs = new URLSearchParams({ day, ...(areaId ? { orgUnitId: String(areaId) } : {}) }).toString();
  const list = useQuery({
    queryKey: ['patrols', qs],
    queryFn: () => get<{ items: Patrol[] }>(`/api/patrols?${qs}`),
  });
  const track = useQuery({
    queryKey: ['patrol-track', selected?.id],
    queryFn: () => get<{ track: Track }>(`/api/patrols/${selected?.id}/track`),
    enabled: !!selected,
  });
  const coverage = useQuery({
    queryKey: ['patrol-coverage', selected?.gridId, day],
    queryFn: () =>
      get<{ coverage: number; patrols: Patrol[] }>(
        `/api/patrols/coverage?gridId=${selected?.gridId}&day=${day}`,
      ),
    enabled: !!selected?.gridId,
  });
  const grids = useGridsOf(selected?.gridId ? selected.gridId : (areaId ?? trees.root));
  const lines = useMemo(() => track.data?.track.geometry.coordinates ?? [], [track.data]);
  return (
    <Card
      title="巡查轨迹"
      extra={
        <Space>
          <DatePicker
            allowClear={false}
            value={dayjs(day)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > chinaToday()}
            onChange={(d) => {
              setDay(d ? d.format('YYYY-MM-DD') : chinaToday());
              setSelected(null);
            }}
          />
          <TreeSelect
            placeholder="区域"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={trees.areas}
            onChange={(v) => {
              setAreaId(v);
              setSelected(null);
            }}
          />
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={11}>
          <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
            <Table<Patrol>
              rowKey="id"
              size="small"
              loading={list.isLoading}
              dataSource={list.data?.items}
              locale={{ emptyText: '当天没有巡查记录' }}
              pagination={{ pageSize: 12, hideOnSinglePage: true }}
              rowClassName={(p) => (p.id === selected?.id ? 'ant-table-row-selected' : '')}
              onRow={(p) => ({ onClick: () => setSelected(p), style: { cursor: 'pointer' } })}
              data-testid="patrol-list"
              columns={[
                { title: '网格员', dataIndex: 'userName', width: 90 },
                { title: '网格', dataIndex: 'gridName', ellipsis: true },
                {
                  title: '开始',
                  dataIndex: 'startedAt',
                  width: 70,
                  render: (t: string) => dayjs(t).format('HH:mm'),
                },
                { title: '里程', dataIndex: 'distanceM', width: 90, render: km },
                { title: '用时', dataIndex: 'durationS', width: 80, render: minutes },
                {
                  title: '状态',
                  dataIndex: 'endedAt',
                  width: 70,
                  render: (e: string | null) => (e ? '已结束' : '进行中'),
                },
              ]}
            />
          </QueryState>
        </Col>
        <Col xs={24} xl={13}>
          {selected ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text data-testid="patrol-selected">
                {selected.userName} · {selected.gridName ?? ''} · {km(selected.distanceM)} ·{' '}
                {minutes(selected.durationS)} · 轨迹点 {selected.points}
              </Typography.Text>
              {coverage.data && (
                <Space>
                  <span>当日网格巡查覆盖率</span>
                  <Progress
                    percent={Math.round(coverage.data.coverage * 100)}
                    size="small"
                    style={{ width: 200 }}
                    data-testid="patrol-coverage"
                  />
                  <span className="muted">（{coverage.data.patrols.length} 次巡查）</span>
                </Space>
              )}
              <div data-testid="patrol-map">
                <CaseMap height={480} areas={grids.data?.items} lines={lines} />
              </div>
            </Space>
          ) : (
            <Empty description="选择一次巡查，查看轨迹与网格覆盖" style={{ marginTop: 80 }} />
          )}
        </Col>
      </Row>
    </Card>
  );
}
