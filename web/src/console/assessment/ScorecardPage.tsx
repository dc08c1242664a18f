import { DownloadOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons';
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
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type Key, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { QueryState } from '../../common/QueryState.js';
import { useTrees } from '../cases/shared.js';

type Level = 'worker' | 'grid' | 'community' | 'street' | 'department';

interface Item {
  key: string;
  label: string;
  value: number;
  points: number;
}
export interface ScoreRow {
  id: number | string;
  name: string;
  areaName: string;
  score: number;
  rank: number;
  workers?: number;
  items: Item[];
}
interface Scorecard {
  from: string;
  to: string;
  label: string;
  rows: ScoreRow[];
}

const levels: { value: Level; label: string }[] = [
  { value: 'worker', label: '网格员' },
  { value: 'grid', label: '网格' },
  { value: 'community', label: '社区' },
  { value: 'street', label: '街道' },
  { value: 'department', label: '职能部门' },
];
const periods: { value: AssessmentPeriod; label: string; picker: 'week' | 'month' | 'quarter' | 'year' }[] = [
  { value: 'week', label: '周讲评', picker: 'week' },
  { value: 'month', label: '月通报', picker: 'month' },
  { value: 'quarter', label: '季总结', picker: 'quarter' },
  { value: 'year', label: '年奖惩', picker: 'year' },
];

const medal = ['#d4a017', '#9ea7b0', '#b87333'];
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** 考核计分: the ranking of grid workers, areas or departments for a week, month, quarter or year. */
export default function ScorecardPage() {
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
    queryFn: () => get<Scorecard>(`/api/assessment/scorecards?${qs}`),
  });
  const [expanded, setExpanded] = useState<readonly Key[]>([]);
  const canConfigure = me?.permissions.includes('assessment:configure');
  const picker = periods.find((p) => p.value === period)?.picker ?? 'month';
  const isArea = level === 'grid' || level === 'community' || level === 'street';
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  const all = data.data?.rows ?? [];
  const rows = name ? all.filter((r) => r.name.includes(name) || r.areaName.includes(name)) : all;

  return (
    <Card
      title={
        <Space>
          考核计分
          {data.data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {data.data.label}（{data.data.from} 至 {data.data.to}）
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space wrap>
          {canConfigure && (
            <>
              <Link to="/assessment/evaluations">
                <Button icon={<TeamOutlined />}>部门评议</Button>
              </Link>
              <Link to="/assessment/rules">
                <Button icon={<SettingOutlined />}>计分规则</Button>
              </Link>
            </>
          )}
          <Button
            icon={<DownloadOutlined />}
            href={`/api/assessment/scorecards/export.xlsx?${qs}`}
            disabled={all.length === 0}
          >
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={level}
          options={levels}
          onChange={(v) => {
            // A name of one level means nothing at another.
            setTyped('');
            setName('');
            set('level', v as string);
          }}
          data-testid="score-level"
        />
        <Segmented value={period} options={periods} onChange={(v) => set('period', v as string)} />
        <DatePicker
          picker={picker}
          allowClear={false}
          value={dayjs(day)}
          onChange={(d: Dayjs | null) => set('start', (d ?? dayjs()).format('YYYY-MM-DD'))}
        />
        <Input.Search
          allowClear
          placeholder="按姓名或区域查找"
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
            placeholder="全部辖区"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 220 }}
            treeData={trees.areas}
            value={areaId}
            onChange={(v) => set('orgUnitId', v === undefined ? undefined : String(v))}
          />
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        {level === 'department'
          ? '综合得分＝办件考核、自评、互评、群众评（回访满意率）、第三方评按权重加权；缺项不计，其余权重按比例放大。展开一行查看各项折算分。'
          : isArea
            ? '区域得分为其网格员得分的平均值；各列为人均得分，展开一行查看人均数量。'
            : '各列为该项得分（扣分为负）；展开一行查看数量与得分。加分项按月设上限，周、季、年按比例折算。'}
      </Typography.Paragraph>
      <QueryState loading={data.isLoading} error={data.error} onRetry={() => data.refetch()}>
        <Table<ScoreRow>
          rowKey="id"
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={rows}
          locale={{ emptyText: level === 'worker' ? '辖区内没有网格员' : '暂无数据' }}
          pagination={{
            defaultPageSize: 20,
            hideOnSinglePage: true,
            showSizeChanger: true,
            showTotal: (n) => `共 ${n} 项`,
          }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: setExpanded,
            expandedRowRender: (r) => <ScoreDetail row={r} level={level} />,
          }}
          columns={[
            {
              title: '名次',
              dataIndex: 'rank',
              width: 64,
              render: (n: number) =>
                n <= 3 ? (
                  <Tag color={medal[n - 1]} style={{ fontWeight: 600 }}>
                    {n}
                  </Tag>
                ) : (
                  n
                ),
            },
            { title: levels.find((l) => l.value === level)?.label, dataIndex: 'name', width: 180 },
            ...(level === 'department'
              ? []
              : [{ title: '所属区域', dataIndex: 'areaName', width: 260, ellipsis: true }]),
            ...(isArea ? [{ title: '网格员', dataIndex: 'workers', width: 70 }] : []),
            {
              title: level === 'department' ? '综合得分' : isArea ? '人均得分' : '得分',
              dataIndex: 'score',
              width: 90,
              sorter: (a: ScoreRow, b: ScoreRow) => a.score - b.score,
              render: (s: number) => <Typography.Text strong>{fmt(s)}</Typography.Text>,
            },
            ...(rows[0]?.items ?? []).map((i, k) => ({
              title: level === 'department' ? i.label : `${i.label}`,
              key: i.key,
              width: 80,
              align: 'right' as const,
              render: (_: unknown, r: ScoreRow) => {
                const it = r.items[k];
                if (!it) return null;
                const shown = level === 'department' ? it.value : it.points;
                return (
                  <Typography.Text
                    type={shown < 0 ? 'danger' : undefined}
                    title={`${it.label}：${fmt(it.value)}，计 ${fmt(it.points)} 分`}
                  >
                    {fmt(shown)}
                  </Typography.Text>
                );
              },
            })),
          ]}
        />
      </QueryState>
    </Card>
  );
}

function ScoreDetail({ row, level }: { row: ScoreRow; level: Level }) {
  return (
    <Descriptions size="small" column={4} bordered>
      {row.items.map((i) => (
        <Descriptions.Item key={i.key} label={i.label}>
          {level === 'department' ? (
            <>
              {fmt(i.value)}
              {i.points !== 0 && (
                <Typography.Text type={i.points < 0 ? 'danger' : 'secondary'}>
                  {' '}
                  （计 {fmt(i.points)}）
                </Typography.Text>
              )}
            </>
          ) : (
            <>
              {fmt(i.value)}{' '}
              <Typography.Text type={i.points < 0 ? 'danger' : i.points > 0 ? 'success' : 'secondary'}>
                {i.points > 0 ? '+' : ''}
                {fmt(i.points)} 分
              </Typography.Text>
            </>
          )}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
