import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, get, type Page } from '../../common/api.js';
import { zhCN } from '../../common/i18n/zh-CN.js';
import { QueryState } from '../../common/QueryState.js';

interface Entry {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  payload: Record<string, unknown>;
}

interface Filters {
  actor?: string;
  action?: string;
  range?: [Dayjs, Dayjs];
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [verdict, setVerdict] = useState<{
    ok: boolean;
    checked: number;
    firstBadId?: number;
    reason?: string;
  } | null>(null);
  const params = new URLSearchParams({ page: String(page.page), pageSize: String(page.pageSize) });
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.action) params.set('action', filters.action);
  if (filters.range) {
    params.set('from', filters.range[0].startOf('day').toISOString());
    params.set('to', filters.range[1].endOf('day').toISOString());
  }
  const q = useQuery({
    queryKey: ['audit', params.toString()],
    queryFn: () => get<Page<Entry>>(`/api/audit-log?${params}`),
  });
  const actionName = (a: string) => (i18n.language === 'en-US' ? a : (zhCN.auditActions[a] ?? a));
  const verify = async () => {
    try {
      setVerdict(await get('/api/audit-log/verify'));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      title={t('audit.title')}
      extra={
        <Button icon={<SafetyCertificateOutlined />} onClick={verify} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      }
    >
      {verdict && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable
          onClose={() => setVerdict(null)}
          type={verdict.ok ? 'success' : 'error'}
          message={
            verdict.ok
              ? t('audit.intact', { checked: verdict.checked })
              : t('audit.tampered', { id: verdict.firstBadId, reason: verdict.reason })
          }
        />
      )}
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: Filters) => {
          setFilters(v);
          setPage({ ...page, page: 1 });
        }}
      >
        <Form.Item name="actor" label={t('audit.actor')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="action" label={t('audit.action')}>
          <Select
            allowClear
            showSearch
            style={{ width: 180 }}
            options={Object.keys(zhCN.auditActions).map((a) => ({ value: a, label: actionName(a) }))}
          />
        </Form.Item>
        <Form.Item name="range" label={t('audit.range')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form>
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        <Table
          rowKey="id"
          size="small"
          dataSource={q.data?.items ?? []}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: q.data?.total ?? 0,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          expandable={{
            expandedRowRender: (r) => (
              <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
                {JSON.stringify(r.payload, null, 2)}
                {`\n${r.userAgent ?? ''}`}
              </Typography.Text>
            ),
          }}
          columns={[
            {
              title: t('audit.at'),
              dataIndex: 'at',
              width: 170,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
            },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 140 },
            { title: t('audit.action'), dataIndex: 'action', render: actionName },
            {
              title: t('audit.target'),
              render: (_: unknown, r: Entry) => (r.targetType ? `${r.targetType} ${r.targetId ?? ''}` : '—'),
            },
            { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
          ]}
        />
      </QueryState>
    </Card>
  );
}
