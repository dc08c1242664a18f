import type { Patrol } from '@civicgrid/core/api/fieldwork';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Progress, Row, Space, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { CaseMap } from '../cases/CaseMap.js';
import { useGridsOf, useTrees } from '../cases/shared.js';

export const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** HH:mm of an instant in Beijing, like the day it belongs to. */
const chinaClock = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);

/** 巡查轨迹: the day's patrols in the jurisdiction; a patrol's track; a grid's coverage. */
export default function PatrolsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US'; // English headers are longer
  // No track, no distance: a patrol without points shows a dash, not a length.
  const km = (m: number | null) => (m === null ? '—' : t('fieldwork.km', { km: (m / 1000).toFixed(2) }));
  const minutes = (s: number) => t('fieldwork.minutes', { count: Math.round(s / 60) });
  const trees = useTrees();
  // Days are China's days (the server counts them so), whatever the browser's zone.
  const [day, setDay] = useState(chinaToday());
  const [areaId, setAreaId] = useState<number | undefined>();
  const [selected, setSelected] = useState<Patrol | null>(null);
  const list = useQuery({
    queryKey: ['patrols', day, areaId],
    queryFn: () => call('GET /api/patrols', { query: { day, orgUnitId: areaId } }),
  });
  const rows = useWholeList(list, list.data?.items, { pageSize: 12 });
  const track = useQuery({
    queryKey: ['patrol-track', selected?.id],
    queryFn: () => call('GET /api/patrols/:id/track', { params: { id: selected?.id as string } }),
    enabled: !!selected,
  });
  const coverage = useQuery({
    queryKey: ['patrol-coverage', selected?.gridId, day],
    queryFn: () => call('GET /api/patrols/coverage', { query: { gridId: selected?.gridId as number, day } }),
    enabled: !!selected?.gridId,
  });
  const grids = useGridsOf(selected?.gridId ? selected.gridId : (areaId ?? trees.root));
  const lines = useMemo(() => track.data?.track.geometry.coordinates ?? [], [track.data]);
  return (
    <Card
      title={t('fieldwork.patrols.title')}
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
            placeholder={t('fieldwork.area')}
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
          <ListView<Patrol>
            list={rows}
            table={{
              rowKey: 'id',
              size: 'small',
              locale: { emptyText: t('fieldwork.patrols.empty') },
              rowClassName: (p) => (p.id === selected?.id ? 'ant-table-row-selected' : ''),
              onRow: (p) => ({ onClick: () => setSelected(p), style: { cursor: 'pointer' } }),
              'data-testid': 'patrol-list',
              columns: [
                { title: t('fieldwork.patrols.worker'), dataIndex: 'userName', width: en ? 110 : 90 },
                { title: t('fieldwork.patrols.grid'), dataIndex: 'gridName', ellipsis: true },
                {
                  title: t('fieldwork.patrols.start'),
                  dataIndex: 'startedAt',
                  width: 70,
                  render: chinaClock,
                },
                { title: t('fieldwork.patrols.distance'), dataIndex: 'distanceM', width: 90, render: km },
                {
                  title: t('fieldwork.patrols.duration'),
                  dataIndex: 'durationS',
                  width: 80,
                  render: minutes,
                },
                {
                  title: t('fieldwork.patrols.status'),
                  dataIndex: 'endedAt',
                  width: 70,
                  render: (e: string | null) => t(`fieldwork.patrols.${e ? 'ended' : 'ongoing'}`),
                },
              ],
            }}
          />
        </Col>
        <Col xs={24} xl={13}>
          {selected ? (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text data-testid="patrol-selected">
                {selected.userName} · {selected.gridName ?? ''} · {km(selected.distanceM)} ·{' '}
                {minutes(selected.durationS)} · {t('fieldwork.patrols.points', { count: selected.points })}
              </Typography.Text>
              {coverage.data && (
                <Space>
                  <span>{t('fieldwork.patrols.coverage')}</span>
                  <Progress
                    percent={Math.round(coverage.data.coverage * 100)}
                    size="small"
                    style={{ width: 200 }}
                    data-testid="patrol-coverage"
                  />
                  <span className="muted">
                    {t('fieldwork.patrols.patrolCount', { count: coverage.data.patrols.length })}
                  </span>
                </Space>
              )}
              <div data-testid="patrol-map">
                <CaseMap height={480} areas={grids.data?.items} lines={lines} />
              </div>
            </Space>
          ) : (
            <Empty description={t('fieldwork.patrols.pick')} style={{ marginTop: 80 }} />
          )}
        </Col>
      </Row>
    </Card>
  );
}
