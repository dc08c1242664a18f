import { SettingOutlined, TeamOutlined } from '@ant-design/icons';
import type { AssessmentPeriod } from '@civicgrid/core/assessment/rules';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Input,
  Segmented,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type Key, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ExportButton, ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { useTrees } from '../cases/shared.js';

type Level = 'worker' | 'grid' | 'community' | 'street' | 'department';

interface Item {
  key: string;
  label: string;
  /** Null: nothing to measure (a department's rate with nothing closed), shown as —. */
  value: number | null;
  points: number;
}
export interface ScoreRow {
  id: number | string;
  name: string;
  areaName: string;
  /** Null: nothing to score on (a department without cases or entered scores), unranked. */
  score: number | null;
  rank: number | null;
  workers?: number;
  items: Item[];
}

const levels: Level[] = ['worker', 'grid', 'community', 'street', 'department'];
const periods: AssessmentPeriod[] = ['week', 'month', 'quarter', 'year'];

const medal = ['#d4a017', '#9ea7b0', '#b87333'];
const fmt = (n: number | null) =>
  n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '');

/** An item's label: the server's (Chinese), or in English the one kept for its key where there is one. */
export function useItemLabel() {
  const { t, i18n } = useTranslation();
  return (i: { key: string; label: string }) =>
    i18n.language === 'en-US' ? t(`assessment.itemLabels.${i.key}`, { defaultValue: i.label }) : i.label;
}

/** 考核计分: the ranking of grid workers, areas or departments for a week, month, quarter or year. */
export default function ScorecardPage() {
  const { t } = useTranslation();
  const itemLabel = useItemLabel();
  const { me } = useAuth();
  const trees = useTrees();
  const [params, setParams] = useSearchParams();
  const level = (params.get('level') as Level | null) ?? 'worker';
  const period = (params.get('period') as AssessmentPeriod | null) ?? 'month';
  const day = params.get('start') ?? dayjs().format('YYYY-MM-DD');
  const areaId = params.get('orgUnitId') ? Number(params.get('orgUnitId')) : undefined;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v === undefined) next.delete(k);
    else next.set(k, v);
    setParams(next, { replace: true });
  };
  const qs = new URLSearchParams({
    level,
    period,
    start: day,
    ...(areaId ? { orgUnitId: String(areaId) } : {}),
  }).toString();
  const data = useQuery({
    queryKey: ['scorecard', qs],
    queryFn: () =>
      call('GET /api/assessment/scorecards', {
        query: { level, period, start: day, orgUnitId: areaId || undefined },
      }),
  });
  const [expanded, setExpanded] = useState<readonly Key[]>([]);
  const canConfigure = me?.permissions.includes('assessment:configure');
  const picker = periods.includes(period) ? period : 'month';
  const isArea = level === 'grid' || level === 'community' || level === 'street';
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  const all = data.data?.rows ?? [];
  const rows = name ? all.filter((r) => r.name.includes(name) || r.areaName.includes(name)) : all;
  const list = useWholeList(data, rows, { pageSize: 20, sizeChanger: true });

  return (
    <Card
      title={
        <Space>
          {t('assessment.scorecard.title')}
          {data.data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('assessment.periodTitle', {
                label: data.data.label,
                from: data.data.from,
                to: data.data.to,
              })}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space wrap>
          {canConfigure && (
            <>
              <Link to="/assessment/evaluations">
                <Button icon={<TeamOutlined />}>{t('assessment.scorecard.evaluations')}</Button>
              </Link>
              <Link to="/assessment/rules">
                <Button icon={<SettingOutlined />}>{t('assessment.scorecard.rules')}</Button>
              </Link>
            </>
          )}
          <ExportButton
            url="/api/assessment/scorecards/export.xlsx"
            query={qs.toString()}
            fileName="考核计分.xlsx"
            label={t('assessment.scorecard.export')}
            disabled={all.length === 0}
          />
        </Space>
      }
    >
      <ListView<ScoreRow>
        list={list}
        filters={
          <>
            <Segmented
              value={level}
              options={levels.map((l) => ({ value: l, label: t(`assessment.scorecard.levels.${l}`) }))}
              onChange={(v) => {
                // A name of one level means nothing at another.
                setTyped('');
                setName('');
                set('level', v as string);
              }}
              data-testid="score-level"
            />
            <Segmented
              value={period}
              options={periods.map((p) => ({ value: p, label: t(`assessment.scorecard.periods.${p}`) }))}
              onChange={(v) => set('period', v as string)}
            />
            <DatePicker
              picker={picker}
              allowClear={false}
              value={dayjs(day)}
              onChange={(d: Dayjs | null) => set('start', (d ?? dayjs()).format('YYYY-MM-DD'))}
            />
            <Input.Search
              allowClear
              placeholder={t('assessment.scorecard.find')}
              style={{ width: 200 }}
              value={typed}
              onSearch={setName}
              onChange={(e) => {
                setTyped(e.target.value);
                if (!e.target.value) setName('');
              }}
            />
            {level !== 'department' && (
              <TreeSelect
                placeholder={t('assessment.scorecard.allAreas')}
                allowClear
                showSearch
                treeNodeFilterProp="title"
                style={{ width: 220 }}
                treeData={trees.areas}
                value={areaId}
                onChange={(v) => set('orgUnitId', v === undefined ? undefined : String(v))}
              />
            )}
          </>
        }
        notice={
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            {level === 'department'
              ? t('assessment.scorecard.hintDepartment')
              : isArea
                ? t('assessment.scorecard.hintArea')
                : t('assessment.scorecard.hintWorker')}
          </Typography.Paragraph>
        }
        totalText={(n) => t('assessment.scorecard.total', { count: n })}
        table={{
          rowKey: 'id',
          size: 'small',
          scroll: { x: 'max-content' },
          locale: {
            emptyText: t(
              level === 'worker' ? 'assessment.scorecard.noWorkers' : 'assessment.scorecard.empty',
            ),
          },
          expandable: {
            expandedRowKeys: expanded,
            onExpandedRowsChange: setExpanded,
            expandedRowRender: (r) => <ScoreDetail row={r} level={level} itemLabel={itemLabel} />,
          },
          columns: [
            {
              title: t('assessment.scorecard.rank'),
              dataIndex: 'rank',
              width: 64,
              render: (n: number | null) =>
                n === null ? (
                  <Typography.Text type="secondary">—</Typography.Text>
                ) : n <= 3 ? (
                  <Tag color={medal[n - 1]} style={{ fontWeight: 600 }}>
                    {n}
                  </Tag>
                ) : (
                  n
                ),
            },
            { title: t(`assessment.scorecard.levels.${level}`), dataIndex: 'name', width: 180 },
            ...(level === 'department'
              ? []
              : [
                  {
                    title: t('assessment.scorecard.area'),
                    dataIndex: 'areaName',
                    width: 260,
                    ellipsis: true,
                  },
                ]),
            ...(isArea
              ? [{ title: t('assessment.scorecard.workers'), dataIndex: 'workers', width: 70 }]
              : []),
            {
              title: t(
                level === 'department'
                  ? 'assessment.scorecard.overall'
                  : isArea
                    ? 'assessment.scorecard.perWorker'
                    : 'assessment.scorecard.score',
              ),
              dataIndex: 'score',
              width: 90,
              sorter: (a: ScoreRow, b: ScoreRow) => (a.score ?? -1) - (b.score ?? -1),
              render: (s: number | null) =>
                s === null ? (
                  <Typography.Text type="secondary">—</Typography.Text>
                ) : (
                  <Typography.Text strong>{fmt(s)}</Typography.Text>
                ),
            },
            ...(rows[0]?.items ?? []).map((i, k) => ({
              title: itemLabel(i),
              key: i.key,
              width: 80,
              align: 'right' as const,
              render: (_: unknown, r: ScoreRow) => {
                const it = r.items[k];
                if (!it) return null;
                const shown = level === 'department' ? it.value : it.points;
                return (
                  <Typography.Text
                    type={shown !== null && shown < 0 ? 'danger' : undefined}
                    title={t('assessment.scorecard.cellTitle', {
                      label: itemLabel(it),
                      value: fmt(it.value),
                      points: fmt(it.points),
                    })}
                  >
                    {fmt(shown)}
                  </Typography.Text>
                );
              },
            })),
          ],
        }}
      />
    </Card>
  );
}

function ScoreDetail({
  row,
  level,
  itemLabel,
}: {
  row: ScoreRow;
  level: Level;
  itemLabel: (i: Item) => string;
}) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={4} bordered>
      {row.items.map((i) => (
        <Descriptions.Item key={i.key} label={itemLabel(i)}>
          {level === 'department' ? (
            <>
              {fmt(i.value)}
              {i.points !== 0 && (
                <Typography.Text type={i.points < 0 ? 'danger' : 'secondary'}>
                  {' '}
                  {t('assessment.scorecard.counted', { points: fmt(i.points) })}
                </Typography.Text>
              )}
            </>
          ) : (
            <>
              {fmt(i.value)}{' '}
              <Typography.Text type={i.points < 0 ? 'danger' : i.points > 0 ? 'success' : 'secondary'}>
                {t('assessment.scorecard.points', { points: `${i.points > 0 ? '+' : ''}${fmt(i.points)}` })}
              </Typography.Text>
            </>
          )}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
