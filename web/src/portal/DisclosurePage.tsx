import type { ServiceDisclosure } from '@civicgrid/core/api/disclosure';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Empty, Layout, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { call } from '../common/client.js';
import { QueryState } from '../common/QueryState.js';

interface Row {
  street: string;
  cases: number;
  closed: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  gridResolvedShare: number | null;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** 办件公开 (no login): each street's month — counts and rates, nothing about any person. */
export default function DisclosurePage() {
  // Unchosen, the server's default: the last full month, not the current, nearly empty one.
  const [month, setMonth] = useState<string | undefined>();
  const data = useQuery({
    queryKey: ['disclosure', month ?? 'default'],
    queryFn: () => call('GET /api/public/disclosure', { query: { month: month || undefined } }),
  });
  const services = useQuery({
    queryKey: ['disclosure-services', month ?? 'default'],
    queryFn: () => call('GET /api/public/disclosure/services', { query: { month: month || undefined } }),
  });
  const shown = month ?? data.data?.month;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Content style={{ maxWidth: 960, width: '100%', margin: '32px auto', padding: '0 16px' }}>
        <Card
          styles={{ header: { paddingBlock: 16 } }}
          title={
            <Space orientation="vertical" size={0}>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {data.data?.district ?? ''}群众诉求办理情况公开
              </Typography.Title>
              <Typography.Text type="secondary">按街道统计，每十分钟更新；不含任何个人信息</Typography.Text>
            </Space>
          }
          extra={
            <DatePicker
              picker="month"
              allowClear={false}
              value={shown ? dayjs(`${shown}-01`) : undefined}
              data-testid="disclosure-month"
              disabledDate={(d) => d.isAfter(dayjs())}
              onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
            />
          }
        >
          <QueryState loading={data.isLoading} error={data.error} onRetry={() => data.refetch()}>
            {data.data && data.data.streets.length === 0 ? (
              <Empty description="暂无数据" />
            ) : (
              <Table<Row>
                rowKey="street"
                size="middle"
                pagination={false}
                dataSource={data.data?.streets}
                data-testid="disclosure-table"
                columns={[
                  { title: '街道', dataIndex: 'street' },
                  { title: '受理诉求', dataIndex: 'cases', align: 'right' },
                  { title: '已办结', dataIndex: 'closed', align: 'right' },
                  { title: '按时办结率', dataIndex: 'onTimeRate', align: 'right', render: pct },
                  { title: '群众满意率', dataIndex: 'satisfactionRate', align: 'right', render: pct },
                  { title: '小事不出网格', dataIndex: 'gridResolvedShare', align: 'right', render: pct },
                ]}
              />
            )}
          </QueryState>
        </Card>
        <ServiceDisclosureCard q={services} />
      </Layout.Content>
    </Layout>
  );
}

type ServiceStreet = ServiceDisclosure['streets'][number];

/** 便民服务公开: the service centre's month per street and its busiest items, aggregates only. */
function ServiceDisclosureCard({ q }: { q: UseQueryResult<ServiceDisclosure> }) {
  return (
    <Card
      style={{ marginTop: 16 }}
      title={
        <Space orientation="vertical" size={0}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            便民服务办件情况公开
          </Typography.Title>
          <Typography.Text type="secondary">
            按受理街道统计；好评率为“非常满意”“满意”占评价件数的比例
          </Typography.Text>
        </Space>
      }
    >
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        <Table<ServiceStreet>
          rowKey="street"
          size="middle"
          pagination={false}
          dataSource={q.data?.streets}
          data-testid="disclosure-services-table"
          columns={[
            { title: '街道', dataIndex: 'street' },
            { title: '受理', dataIndex: 'applications', align: 'right' },
            { title: '办结', dataIndex: 'completed', align: 'right' },
            { title: '按时办结率', dataIndex: 'onTimeRate', align: 'right', render: pct },
            { title: '好评率', dataIndex: 'goodRatingRate', align: 'right', render: pct },
            { title: '帮办代办占比', dataIndex: 'proxyShare', align: 'right', render: pct },
          ]}
        />
        {q.data && q.data.items.length > 0 && (
          <>
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              办件量较多的事项
            </Typography.Title>
            <Table
              rowKey="name"
              size="small"
              pagination={false}
              dataSource={q.data.items}
              columns={[
                { title: '事项', dataIndex: 'name' },
                { title: '受理', dataIndex: 'applications', align: 'right' },
                { title: '办结', dataIndex: 'completed', align: 'right' },
              ]}
            />
          </>
        )}
      </QueryState>
    </Card>
  );
}
