import type { AssessmentPeriod } from '@civicgrid/core/assessment/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, DatePicker, InputNumber, Segmented, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage, get, put } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';
import type { ScoreRow } from './ScorecardPage.js';

type Kind = 'self' | 'peer' | 'thirdParty';
interface Entered {
  score: number;
  note: string | null;
  enteredByName: string;
}
interface EvaluationRow {
  departmentId: number;
  departmentName: string;
  self: Entered | null;
  peer: Entered | null;
  thirdParty: Entered | null;
}

const kinds: { key: Kind; label: string; hint: string }[] = [
  { key: 'self', label: '自评', hint: '部门自评分' },
  { key: 'peer', label: '互评', hint: '其他部门评分的平均值' },
  { key: 'thirdParty', label: '第三方评', hint: '第三方测评机构评分' },
];
const periods: { value: AssessmentPeriod; label: string }[] = [
  { value: 'month', label: '月度' },
  { value: 'quarter', label: '季度' },
  { value: 'year', label: '年度' },
  { value: 'week', label: '周' },
];

/** 部门评议: enter the self, peer and third-party scores; see the combined result beside them. */
export default function EvaluationsPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [period, setPeriod] = useState<AssessmentPeriod>('month');
  const [day, setDay] = useState(dayjs().format('YYYY-MM-DD'));
  const qs = `period=${period}&start=${day}`;
  const list = useQuery({
    queryKey: ['evaluations', qs],
    queryFn: () =>
      get<{ from: string; to: string; label: string; items: EvaluationRow[] }>(
        `/api/assessment/department-evaluations?${qs}`,
      ),
  });
  const card = useQuery({
    queryKey: ['scorecard', `level=department&${qs}`],
    queryFn: () => get<{ rows: ScoreRow[] }>(`/api/assessment/scorecards?level=department&${qs}`),
  });
  const enter = useMutation({
    mutationFn: (b: { departmentId: number; kind: Kind; score: number }) =>
      put('/api/assessment/department-evaluations', { ...b, period, start: day }),
    onSuccess: () => {
      message.success('评分已保存');
      qc.invalidateQueries({ queryKey: ['evaluations'] });
      qc.invalidateQueries({ queryKey: ['scorecard'] });
    },
    onError: (e) =>
      message.error(e instanceof ApiError && e.errors[0] ? e.errors[0].message : errorMessage(e)),
  });
  const scoreOf = new Map((card.data?.rows ?? []).map((r) => [r.id, r]));

  return (
    <Card
      title={
        <Space>
          部门评议
          {list.data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {list.data.label}（{list.data.from} 至 {list.data.to}）
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space>
          <Segmented value={period} options={periods} onChange={(v) => setPeriod(v as AssessmentPeriod)} />
          <DatePicker
            picker={period}
            allowClear={false}
            value={dayjs(day)}
            onChange={(d: Dayjs | null) => setDay((d ?? dayjs()).format('YYYY-MM-DD'))}
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        自评、互评、第三方评在此录入（0–100
        分，输入后按回车或离开输入框即保存）；办件考核与群众评（回访满意率）由系统按办件记录计算。
      </Typography.Paragraph>
      <QueryState loading={list.isLoading} error={list.error} onRetry={() => list.refetch()}>
        <Table<EvaluationRow>
          rowKey="departmentId"
          size="small"
          dataSource={list.data?.items}
          pagination={false}
          locale={{ emptyText: '尚未建立职能部门' }}
          columns={[
            { title: '部门', dataIndex: 'departmentName', width: 160 },
            ...kinds.map((k) => ({
              title: <span title={k.hint}>{k.label}</span>,
              key: k.key,
              width: 130,
              render: (_: unknown, r: EvaluationRow) => (
                <ScoreInput
                  key={`${qs}-${r.departmentId}-${k.key}-${r[k.key]?.score ?? ''}`}
                  value={r[k.key]?.score ?? null}
                  label={`${r.departmentName}${k.label}`}
                  onSave={(score) => enter.mutate({ departmentId: r.departmentId, kind: k.key, score })}
                />
              ),
            })),
            {
              title: '办件考核',
              width: 90,
              render: (_: unknown, r: EvaluationRow) => item(scoreOf.get(r.departmentId), 'caseWork'),
            },
            {
              title: '群众评',
              width: 90,
              render: (_: unknown, r: EvaluationRow) => item(scoreOf.get(r.departmentId), 'public'),
            },
            {
              title: '综合得分',
              width: 100,
              render: (_: unknown, r: EvaluationRow) => {
                const s = scoreOf.get(r.departmentId);
                return s ? (
                  <Typography.Text strong>
                    {s.score}（第 {s.rank} 名）
                  </Typography.Text>
                ) : (
                  '—'
                );
              },
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}

function item(row: ScoreRow | undefined, key: string) {
  const i = row?.items.find((x) => x.key === key);
  return i && (i.value !== 0 || i.points !== 0) ? (
    i.value
  ) : (
    <Typography.Text type="secondary">无</Typography.Text>
  );
}

function ScoreInput(props: { value: number | null; label: string; onSave(score: number): void }) {
  const [v, setV] = useState<number | null>(props.value);
  const commit = () => {
    if (v !== null && v !== props.value) props.onSave(v);
  };
  return (
    <InputNumber
      aria-label={props.label}
      min={0}
      max={100}
      precision={1}
      placeholder="未评"
      value={v}
      onChange={setV}
      onBlur={commit}
      onPressEnter={commit}
      style={{ width: 100 }}
    />
  );
}
