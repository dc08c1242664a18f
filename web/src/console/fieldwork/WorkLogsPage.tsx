import type { workLog } from '@civicgrid/core/api/fieldwork';
import { type Week, weekOfDay } from '@civicgrid/core/calendar/weeks';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Space, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { useTrees } from '../cases/shared.js';
import { chinaToday } from './PatrolsPage.js';

type Log = z.infer<typeof workLog>;

/** 工作日志 for the weekly review (周讲评): the logs of a week and who missed which working day. */
export default function WorkLogsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US'; // English headers are longer
  const trees = useTrees();
  // One week everywhere (core/calendar/weeks): Monday to Sunday in Beijing, ISO-numbered;
  // the picker, the rows and the missing-log alert all read this one value.
  const [week, setWeek] = useState<Week>(() => weekOfDay(chinaToday()));
  const [areaId, setAreaId] = useState<number | undefined>();
  const { from, to } = week;
  const weekLabel = t('fieldwork.worklogs.weekLabel', { ...week, from: from.slice(5), to: to.slice(5) });
  const data = useQuery({
    queryKey: ['worklogs', from, to, areaId],
    queryFn: () => call('GET /api/worklogs', { query: { from, to, orgUnitId: areaId } }),
  });
  const rows = useWholeList(data, data.data?.items, { pageSize: 20 });
  const missingBy = new Map<string, string[]>();
  for (const m of data.data?.missing ?? [])
    missingBy.set(m.userName, [...(missingBy.get(m.userName) ?? []), m.day]);
  return (
    <Card
      title={
        <Space>
          {t('fieldwork.worklogs.title')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="worklog-week-label">
            {weekLabel}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          <DatePicker
            picker="week"
            allowClear={false}
            value={dayjs(from)}
            format={(d) => t('fieldwork.worklogs.weekPicker', { ...weekOfDay(d.format('YYYY-MM-DD')) })}
            disabledDate={(d) => d.format('YYYY-MM-DD') > chinaToday()}
            onChange={(d) => setWeek(weekOfDay(d ? d.format('YYYY-MM-DD') : chinaToday()))}
            style={{ width: 170 }}
            data-testid="worklog-week"
          />
          <TreeSelect
            placeholder={t('fieldwork.area')}
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
      <ListView<Log>
        list={rows}
        empty={t('fieldwork.worklogs.empty')}
        notice={
          missingBy.size > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('fieldwork.worklogs.missing', { count: missingBy.size, week: weekLabel })}
              description={
                <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0 }}>
                  {[...missingBy.entries()]
                    .map(([name, days]) =>
                      t('fieldwork.worklogs.missingItem', {
                        name,
                        days: days.map((d) => d.slice(5)).join(t('fieldwork.worklogs.daySeparator')),
                      }),
                    )
                    .join(t('fieldwork.worklogs.itemSeparator'))}
                </Typography.Paragraph>
              }
            />
          )
        }
        table={{
          rowKey: (l) => `${l.userId}-${l.day}`,
          size: 'small',
          columns: [
            { title: t('fieldwork.worklogs.day'), dataIndex: 'day', width: 100 },
            { title: t('fieldwork.worklogs.worker'), dataIndex: 'userName', width: en ? 110 : 90 },
            {
              title: t('fieldwork.worklogs.patrol'),
              width: 150,
              render: (_, l) =>
                t('fieldwork.worklogs.patrolSummary', {
                  count: l.summary.patrols,
                  km: (l.summary.patrolDistanceM / 1000).toFixed(1),
                }),
            },
            {
              title: t('fieldwork.worklogs.cases'),
              width: en ? 260 : 200,
              render: (_, l) => (
                <Space size={4}>
                  <Tag>{t('fieldwork.worklogs.reported', { count: l.summary.casesReported })}</Tag>
                  <Tag>{t('fieldwork.worklogs.selfResolved', { count: l.summary.casesSelfResolved })}</Tag>
                  <Tag>{t('fieldwork.worklogs.handled', { count: l.summary.casesHandled })}</Tag>
                </Space>
              ),
            },
            { title: t('fieldwork.worklogs.visits'), width: 60, render: (_, l) => l.summary.visits },
            { title: t('fieldwork.worklogs.notes'), dataIndex: 'notes', ellipsis: true },
          ],
        }}
      />
    </Card>
  );
}
