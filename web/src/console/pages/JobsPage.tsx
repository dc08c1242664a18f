import { ReloadOutlined } from '@ant-design/icons';
import type { JobList, JobSchedule, JobView } from '@civicgrid/core/api/jobs';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { get } from '../../common/api.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm:ss') : '—');

function scheduleText(t: TFunction, s: JobSchedule): string {
  if ('dailyAt' in s) return t('jobs.schedule.daily', { time: s.dailyAt });
  const seconds = Math.round(s.everyMs / 1000);
  if (seconds % 3600 === 0) return t('jobs.schedule.hours', { n: seconds / 3600 });
  if (seconds % 60 === 0) return t('jobs.schedule.minutes', { n: seconds / 60 });
  return t('jobs.schedule.seconds', { n: seconds });
}

function durationText(t: TFunction, ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? t('jobs.durationMs', { n: ms }) : t('jobs.durationS', { n: (ms / 1000).toFixed(1) });
}

/** The run's state as a tag; a failure shows its error on hover, a success what it counted. */
function Result({ job }: { job: JobView }) {
  const { t } = useTranslation();
  if (job.running) return <Tag color="processing">{t('jobs.status.running')}</Tag>;
  const run = job.lastRun;
  if (!run || run.ok === null) return <Tag>{t('jobs.status.never')}</Tag>;
  if (!run.ok)
    return (
      <Tooltip title={run.error}>
        <Tag color="error">{t('jobs.status.failed')}</Tag>
      </Tooltip>
    );
  const counts = Object.entries(run.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => t(`jobs.counts.${k}`, { n, defaultValue: `${k} ${n}` }));
  return (
    <Space size={4} wrap>
      <Tag color="success">{t('jobs.status.ok')}</Tag>
      {counts.length > 0 && <Typography.Text type="secondary">{counts.join('，')}</Typography.Text>}
    </Space>
  );
}

/** 系统管理 → 定时任务: the platform's timed jobs, their last and next run (read-only). */
export default function JobsPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['admin-jobs'],
    queryFn: () => get<JobList>('/api/admin/jobs'),
    refetchInterval: 30_000,
  });
  const rows = useWholeList(q, q.data?.items);
  return (
    <Card
      title={t('jobs.title')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
          {t('jobs.refresh')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('jobs.hint')}</Typography.Paragraph>
      <ListView<JobView>
        list={rows}
        table={{
          rowKey: 'name',
          columns: [
            {
              title: t('jobs.columns.name'),
              dataIndex: 'name',
              render: (name: string) => (
                <Space orientation="vertical" size={0}>
                  <span>{t(`jobs.names.${name}`, { defaultValue: name })}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {name}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('jobs.columns.schedule'),
              key: 'schedule',
              render: (_, j) => scheduleText(t, j.schedule),
            },
            {
              title: t('jobs.columns.lastRun'),
              key: 'lastRun',
              render: (_, j) => fmt(j.lastRun?.startedAt ?? null),
            },
            {
              title: t('jobs.columns.duration'),
              key: 'duration',
              render: (_, j) => durationText(t, j.lastRun?.durationMs ?? null),
            },
            { title: t('jobs.columns.result'), key: 'result', render: (_, j) => <Result job={j} /> },
            { title: t('jobs.columns.nextRun'), dataIndex: 'nextRunAt', render: fmt },
          ],
        }}
      />
    </Card>
  );
}
