import type { WorkLogSummary } from '@civicgrid/core/api/fieldwork';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { get } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';
import { useTrees } from '../cases/shared.js';
import { chinaToday } from './PatrolsPage.js';

interface Log {
  day: string;
  userId: string;
  userName: string;
  summary: WorkLogSummary;
  notes: string;
  submittedAt: string | null;
}

/** 工作日志 for the weekly review (周讲评): the logs of a week and who missed which working day. */
export default function WorkLogsPage() {
  const trees = useTrees();
  const [week, setWeek] = useState(dayjs(chinaToday()).startOf('week'));
  const [areaId, setAreaId] = useState<number | undefined>();
  const from = week.format('YYYY-MM-DD');
  const to = week.add(6, 'day').format('YYYY-MM-DD');
  const qs = new URLSearchParams({ from, to, ...(areaId ? { orgUnitId: String(areaId) } : {}) }).toString();
  const data = useQuery({
    queryKey: ['worklogs', qs],
    queryFn: () =>
      get<{ items: Log[]; missing: { userId: string; userName: string; day: string }[] }>(
        `/api/worklogs?${qs}`,
      ),
  });
  const missingBy = new Map<string, string[]>();
  for (const m of data.data?.missing ?? [])
    missingBy.set(m.userName, [...(missingBy.get(m.userName) ?? []), m.day]);
  return (
    <Card
      title="工作日志（周讲评）"
      extra={
        <Space>
          <DatePicker
            picker="week"
            allowClear={false}
            value={week}
            onChange={(d) => setWeek((d ?? dayjs()).startOf('week'))}
          />
          <TreeSelect
            placeholder="区域"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={trees.areas}
            onChange={setAreaId}
          />
        </Space>
      }
    >
      <QueryState loading={data.isLoading} error={data.error} onRetry={() => data.refetch()}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {missingBy.size > 0 && (
            <Alert
              type="warning"
              showIcon
              message={`本周 ${missingBy.size} 名网格员有工作日未提交日志`}
              description={
                <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0 }}>
                  {[...missingBy.entries()]
                    .map(([name, days]) => `${name}（${days.map((d) => d.slice(5)).join('、')}）`)
                    .join('；')}
                </Typography.Paragraph>
              }
            />
          )}
          <Table<Log>
            rowKey={(l) => `${l.userId}-${l.day}`}
            size="small"
            dataSource={data.data?.items}
            locale={{ emptyText: '本周暂无日志' }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '日期', dataIndex: 'day', width: 100 },
              { title: '网格员', dataIndex: 'userName', width: 90 },
              {
                title: '巡查',
                width: 150,
                render: (_, l) =>
                  `${l.summary.patrols} 次 · ${(l.summary.patrolDistanceM / 1000).toFixed(1)} 公里`,
              },
              {
                title: '事件',
                width: 200,
                render: (_, l) => (
                  <Space size={4}>
                    <Tag>上报 {l.summary.casesReported}</Tag>
                    <Tag>自处置 {l.summary.casesSelfResolved}</Tag>
                    <Tag>办理 {l.summary.casesHandled}</Tag>
                  </Space>
                ),
              },
              { title: '走访', width: 60, render: (_, l) => l.summary.visits },
              { title: '工作记录', dataIndex: 'notes', ellipsis: true },
            ]}
          />
        </Space>
      </QueryState>
    </Card>
  );
}
