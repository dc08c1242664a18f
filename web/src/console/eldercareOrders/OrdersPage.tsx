import {
  type OrderSummary,
  orderStateNames,
  orderStates,
  serviceKindNames,
  serviceKinds,
} from '@civicgrid/core/api/eldercareOrders';
import type { Resident } from '@civicgrid/core/api/residents';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Rate,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, get, type Page } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { downloadExport } from '../../common/download.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { OrderDrawer, stateColors } from './OrderDrawer.js';

interface CallForm {
  residentId: string;
  serviceCode: string;
  requestedAt: Dayjs;
  note?: string;
  callerName?: string;
  callerPhone?: string;
  callerRelation?: string;
}

/** 受理来电: the elder looked up by name or ID (masked), the need, the time, who called. */
function TakeCallModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CallForm>();
  const [q, setQ] = useState('');
  const elders = useQuery({
    queryKey: ['elder-lookup', q],
    queryFn: () =>
      get<Page<Resident>>(
        `/api/residents?${new URLSearchParams({ ...(/^\d{6,}[\dXx]*$/.test(q) ? { idNumber: q } : { q }), ageFrom: '60', pageSize: '20' })}`,
      ),
    enabled: q.trim().length >= 1,
  });
  const services = useQuery({
    queryKey: ['elder-services'],
    queryFn: () => call('GET /api/eldercare/services'),
    staleTime: 600_000,
  });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: CallForm) =>
      call('POST /api/eldercare/orders', {
        body: {
          residentId: v.residentId,
          serviceCode: v.serviceCode,
          requestedAt: v.requestedAt.toISOString(),
          ...(v.note ? { note: v.note } : {}),
          ...(v.callerName ? { callerName: v.callerName } : {}),
          ...(v.callerPhone ? { callerPhone: v.callerPhone } : {}),
          ...(v.callerRelation ? { callerRelation: v.callerRelation } : {}),
        },
      }),
    {
      success: t('elderOrders.done'),
      onDone: (o) => onCreated(o.id),
    },
  );
  const grouped = serviceKinds.map((k) => ({
    label: serviceKindNames[k],
    options: (services.data?.items ?? [])
      .filter((s) => s.kind === k)
      .map((s) => ({ value: s.code, label: `${s.name}（¥${s.price}/${s.unit}，${s.subsidyText}）` })),
  }));
  return (
    <Modal
      open={open}
      width={720}
      title={t('elderOrders.takeCall')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      afterOpenChange={(o) =>
        o && form.setFieldsValue({ requestedAt: dayjs().add(2, 'hour').startOf('hour') })
      }
    >
      <Form form={form} layout="vertical" onFinish={save} data-testid="take-call-form">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="callerName" label={t('elderOrders.caller')}>
              <Input maxLength={40} data-testid="caller-name" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="callerRelation" label={t('elderOrders.callerRelation')}>
              <Input maxLength={20} placeholder="本人/女儿/邻居" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="callerPhone" label={t('elderOrders.callerPhone')}>
              <Input maxLength={13} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="residentId" label={t('elderOrders.elder')} rules={[{ required: true }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            placeholder={t('elderOrders.elderSearch')}
            loading={elders.isFetching}
            data-testid="elder-select"
            options={(elders.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.name} · ${r.idNumber} · ${t('elderOrders.age', { age: r.age })} · ${r.communityName ?? ''}${r.gridName}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="serviceCode" label={t('elderOrders.service')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={grouped}
            loading={services.isLoading}
            data-testid="service-select"
          />
        </Form.Item>
        <Form.Item name="requestedAt" label={t('elderOrders.requestedAt')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="note" label={t('elderOrders.note')}>
          <Input.TextArea rows={3} maxLength={500} data-testid="order-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 统计与账单: a month's orders by kind, provider and community; the bill as Excel. */
function StatsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [month, setMonth] = useState(dayjs());
  const m = month.format('YYYY-MM');
  const stats = useQuery({
    queryKey: ['elder-order-stats', m],
    queryFn: () => call('GET /api/eldercare/order-stats', { query: { month: m } }),
  });
  const [busy, setBusy] = useState(false);
  const nameCol = (title: string) => ({ title, dataIndex: 'name' });
  const counts = [
    { title: t('elderOrders.total'), dataIndex: 'orders', width: 100 },
    { title: t('elderOrders.served'), dataIndex: 'finished', width: 100 },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <DatePicker picker="month" value={month} allowClear={false} onChange={(v) => v && setMonth(v)} />
        <Button
          loading={busy}
          data-testid="export-bill"
          onClick={async () => {
            setBusy(true);
            try {
              await downloadExport(`/api/eldercare/bills/export.xlsx?month=${m}`, `12349月度账单-${m}.xlsx`);
            } catch (e) {
              message.error(errorMessage(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('elderOrders.exportBill')}
        </Button>
      </Space>
      <QueryState loading={stats.isLoading} error={stats.error} onRetry={() => void stats.refetch()}>
        {stats.data && (
          <div data-testid="order-stats">
            <Row gutter={16}>
              <Col span={6}>
                <Card>
                  <Statistic title={t('elderOrders.total')} value={stats.data.total} />
                </Card>
              </Col>
              {stats.data.byStatus
                .filter((s) => s.orders > 0)
                .slice(0, 3)
                .map((s) => (
                  <Col span={6} key={s.status}>
                    <Card>
                      <Statistic title={orderStateNames[s.status]} value={s.orders} />
                    </Card>
                  </Col>
                ))}
            </Row>
            <Row gutter={16} style={{ marginTop: 16 }}>
              <Col span={8}>
                <Card title={t('elderOrders.byKind')} size="small">
                  <Table
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={stats.data.byKind}
                    columns={[nameCol(t('elderOrders.kind')), ...counts]}
                  />
                </Card>
              </Col>
              <Col span={8}>
                <Card title={t('elderOrders.byProvider')} size="small">
                  <Table
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={stats.data.byProvider}
                    columns={[
                      nameCol(t('elderOrders.provider')),
                      ...counts,
                      {
                        title: t('elderOrders.rating'),
                        dataIndex: 'rating',
                        width: 70,
                        render: (r: number | null) => r ?? '—',
                      },
                    ]}
                  />
                </Card>
              </Col>
              <Col span={8}>
                <Card title={t('elderOrders.byArea')} size="small">
                  <Table
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={stats.data.byArea}
                    columns={[nameCol(t('elderOrders.area')), ...counts]}
                  />
                </Card>
              </Col>
            </Row>
          </div>
        )}
      </QueryState>
    </Space>
  );
}

/** 12349 工单: the hotline's orders — take a call, dispatch, follow each one; statistics and bills. */
export default function OrdersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [calling, setCalling] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<OrderSummary, 'q' | 'status' | 'kind'>({
    url: '/api/eldercare/orders',
    key: 'elder-orders',
    filters: ['q', 'status', 'kind'],
  });
  const filters = list.filters;
  const orders = (
    <ListPage
      title={t('elderOrders.title')}
      testId="elder-orders"
      list={list}
      search={{ filter: 'q', placeholder: t('elderOrders.search'), testId: 'order-search' }}
      filters={
        <>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('elderOrders.status')}
            value={filters.status}
            onChange={(v?: string) => list.setFilters({ status: v })}
            options={orderStates.map((s) => ({ value: s, label: orderStateNames[s] }))}
          />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('elderOrders.kind')}
            value={filters.kind}
            onChange={(v?: string) => list.setFilters({ kind: v })}
            options={serviceKinds.map((k) => ({ value: k, label: serviceKindNames[k] }))}
          />
        </>
      }
      actions={
        can('eldercareOrder:dispatch') && (
          <Button type="primary" onClick={() => setCalling(true)} data-testid="take-call">
            {t('elderOrders.takeCall')}
          </Button>
        )
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        onRow: (r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('elderOrders.no'), dataIndex: 'no', width: 140 },
          {
            title: t('elderOrders.elder'),
            render: (_: unknown, r: OrderSummary) => `${r.elderName}（${r.age}）`,
            width: 120,
          },
          {
            title: t('elderOrders.service'),
            render: (_: unknown, r: OrderSummary) => `${serviceKindNames[r.kind]} · ${r.serviceName}`,
            ellipsis: true,
          },
          { title: t('elderOrders.area'), dataIndex: 'areaName', ellipsis: true, width: 200 },
          { title: t('elderOrders.provider'), dataIndex: 'providerName', ellipsis: true, width: 180 },
          {
            title: t('elderOrders.requestedAt'),
            dataIndex: 'requestedAt',
            width: 150,
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
          {
            title: t('elderOrders.rating'),
            dataIndex: 'rating',
            width: 110,
            render: (v: number | null) => (v ? <Rate disabled value={v} style={{ fontSize: 11 }} /> : '—'),
          },
          {
            title: t('elderOrders.status'),
            dataIndex: 'status',
            width: 90,
            render: (s: OrderSummary['status']) => <Tag color={stateColors[s]}>{orderStateNames[s]}</Tag>,
          },
        ],
      }}
    >
      <TakeCallModal
        open={calling}
        onClose={() => setCalling(false)}
        onCreated={(id) => {
          setCalling(false);
          void qc.invalidateQueries({ queryKey: ['elder-orders'] });
          setOpen(id);
        }}
      />
      <OrderDrawer id={open} onClose={() => setOpen(null)} />
    </ListPage>
  );
  if (!can('eldercareOrder:dispatch')) return orders;
  return (
    <Tabs
      items={[
        { key: 'orders', label: t('elderOrders.orders'), children: orders },
        { key: 'stats', label: t('elderOrders.stats'), children: <StatsTab /> },
      ]}
    />
  );
}
