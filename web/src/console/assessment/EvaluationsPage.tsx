import type { AssessmentPeriod } from '@civicgrid/core/assessment/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, DatePicker, InputNumber, Segmented, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fieldMessage } from '../../common/api.js';
import { type Body, call, type Reply } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import type { ScoreRow } from './ScorecardPage.js';

type Kind = Body<'PUT /api/assessment/department-evaluations'>['kind'];
type EvaluationRow = Reply<'GET /api/assessment/department-evaluations'>['items'][number];

const kinds: Kind[] = ['self', 'peer', 'thirdParty'];
const periods: AssessmentPeriod[] = ['month', 'quarter', 'year', 'week'];

/** 部门评议: enter the self, peer and third-party scores; see the combined result beside them. */
export default function EvaluationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [period, setPeriod] = useState<AssessmentPeriod>('month');
  const [day, setDay] = useState(dayjs().format('YYYY-MM-DD'));
  const list = useQuery({
    queryKey: ['evaluations', period, day],
    queryFn: () => call('GET /api/assessment/department-evaluations', { query: { period, start: day } }),
  });
  const rows = useWholeList(list, list.data?.items);
  const card = useQuery({
    queryKey: ['scorecard', 'department', period, day],
    queryFn: () =>
      call('GET /api/assessment/scorecards', { query: { level: 'department', period, start: day } }),
  });
  const enter = useMutation({
    mutationFn: (b: { departmentId: number; kind: Kind; score: number }) =>
      call('PUT /api/assessment/department-evaluations', { body: { ...b, period, start: day } }),
    onSuccess: () => {
      message.success(t('assessment.evaluations.saved'));
      qc.invalidateQueries({ queryKey: ['evaluations'] });
      qc.invalidateQueries({ queryKey: ['scorecard'] });
    },
    onError: (e) =>
      message.error(e instanceof ApiError && e.errors[0] ? fieldMessage(e.errors[0]) : errorMessage(e)),
  });
  const scoreOf = new Map((card.data?.rows ?? []).map((r) => [r.id, r]));

  return (
    <Card
      title={
        <Space>
          {t('assessment.evaluations.title')}
          {list.data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('assessment.periodTitle', {
                label: list.data.label,
                from: list.data.from,
                to: list.data.to,
              })}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space>
          <Segmented
            value={period}
            options={periods.map((p) => ({ value: p, label: t(`assessment.evaluations.periods.${p}`) }))}
            onChange={(v) => setPeriod(v as AssessmentPeriod)}
          />
          <DatePicker
            picker={period}
            allowClear={false}
            value={dayjs(day)}
            onChange={(d: Dayjs | null) => setDay((d ?? dayjs()).format('YYYY-MM-DD'))}
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('assessment.evaluations.intro')}</Typography.Paragraph>
      <ListView<EvaluationRow>
        list={rows}
        table={{
          rowKey: 'departmentId',
          size: 'small',
          locale: { emptyText: t('assessment.evaluations.empty') },
          columns: [
            { title: t('assessment.evaluations.department'), dataIndex: 'departmentName', width: 160 },
            ...kinds.map((k) => ({
              title: (
                <span title={t(`assessment.evaluations.hints.${k}`)}>
                  {t(`assessment.evaluations.kinds.${k}`)}
                </span>
              ),
              key: k,
              width: 130,
              render: (_: unknown, r: EvaluationRow) => (
                <ScoreInput
                  key={`${period}-${day}-${r.departmentId}-${k}-${r[k]?.score ?? ''}`}
                  value={r[k]?.score ?? null}
                  label={t('assessment.evaluations.inputLabel', {
                    department: r.departmentName,
                    kind: t(`assessment.evaluations.kinds.${k}`),
                  })}
                  placeholder={t('assessment.evaluations.notScored')}
                  onSave={(score) => enter.mutate({ departmentId: r.departmentId, kind: k, score })}
                />
              ),
            })),
            {
              title: t('assessment.evaluations.caseWork'),
              width: 90,
              render: (_: unknown, r: EvaluationRow) => (
                <Item row={scoreOf.get(r.departmentId)} itemKey="caseWork" />
              ),
            },
            {
              title: t('assessment.evaluations.public'),
              width: 90,
              render: (_: unknown, r: EvaluationRow) => (
                <Item row={scoreOf.get(r.departmentId)} itemKey="public" />
              ),
            },
            {
              title: t('assessment.evaluations.overall'),
              width: 100,
              render: (_: unknown, r: EvaluationRow) => {
                const s = scoreOf.get(r.departmentId);
                // No data is no score and no place in the ranking, not "0 (3rd)".
                return s && s.score !== null && s.rank !== null ? (
                  <Typography.Text strong data-testid={`evaluation-overall-${r.departmentId}`}>
                    {t('assessment.evaluations.scoreRank', { score: s.score, rank: s.rank })}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary" data-testid={`evaluation-overall-${r.departmentId}`}>
                    —
                  </Typography.Text>
                );
              },
            },
          ],
        }}
      />
    </Card>
  );
}

function Item({ row, itemKey }: { row: ScoreRow | undefined; itemKey: string }) {
  const { t } = useTranslation();
  const i = row?.items.find((x) => x.key === itemKey);
  // No value is no data (无); a measured 0 is shown as 0.
  return i && i.value !== null ? (
    i.value
  ) : (
    <Typography.Text type="secondary">{t('assessment.evaluations.none')}</Typography.Text>
  );
}

function ScoreInput(props: {
  value: number | null;
  label: string;
  placeholder: string;
  onSave(score: number): void;
}) {
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
      placeholder={props.placeholder}
      value={v}
      onChange={setV}
      onBlur={commit}
      onPressEnter={commit}
      style={{ width: 100 }}
    />
  );
}
