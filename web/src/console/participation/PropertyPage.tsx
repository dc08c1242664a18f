import type { AreaGeometry } from '@civicgrid/core/api/org';
import type { PropertyCompany, PropertyPerformanceRow } from '@civicgrid/core/api/property';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useMapContext } from '../../common/map/useMapContext.js';
import { QueryState } from '../../common/QueryState.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { GridMap } from '../org/GridMap.js';
import { useDefaultUnit } from './defaultUnit.js';

/**
 * 红管家: the property companies of the area with their estates (小区) and 物管员, the estates on
 * the map (drawn there), and each company's month-by-month performance on the clock
 * "15 分钟响应、30 分钟回复、24 小时解决".
 */
export default function PropertyPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('companies');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        { key: 'companies', label: t('property.companiesTab'), children: <Companies /> },
        { key: 'map', label: t('property.mapTab'), children: <EstatesMap /> },
        { key: 'performance', label: t('property.performanceTab'), children: <Performance /> },
      ]}
    />
  );
}

function Companies() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const list = usePagedList<PropertyCompany, 'q'>({
    url: '/api/property-companies',
    key: 'property-companies',
    filters: ['q'],
  });
  return (
    <ListPage<PropertyCompany>
      title={t('property.title')}
      testId="property-page"
      list={list}
      empty={t('property.empty')}
      totalText={(n) => t('property.total', { count: n })}
      actions={
        can('property:manage') && (
          <Button type="primary" onClick={() => setAdding(true)} data-testid="property-register">
            {t('property.register')}
          </Button>
        )
      }
      search={{ filter: 'q', placeholder: t('property.search'), width: 200 }}
      table={{
        rowKey: 'id',
        'data-testid': 'property-table',
        scroll: { x: 1000 },
        columns: [
          {
            title: t('property.name'),
            key: 'name',
            render: (_, c) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.creditCode}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('property.contact'),
            key: 'contact',
            width: 180,
            render: (_, c) => `${c.contactName} · ${c.phone}`,
          },
          { title: t('property.community'), dataIndex: 'orgUnitName', width: 130 },
          {
            title: t('property.estates'),
            key: 'estates',
            render: (_, c) => (c.estates.length ? c.estates.map((e) => <Tag key={e.id}>{e.name}</Tag>) : '—'),
          },
          {
            title: t('property.staff'),
            key: 'staff',
            width: 200,
            render: (_, c) =>
              c.staff.length
                ? c.staff.map((s) => (
                    <Tag key={s.id} color={s.disabled ? 'default' : 'green'}>
                      {s.displayName}（{s.username}）
                    </Tag>
                  ))
                : t('property.noStaff'),
          },
        ],
      }}
    >
      {adding && <RegisterModal onClose={() => setAdding(false)} />}
    </ListPage>
  );
}

function RegisterModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const { submit, busy } = useFormSubmit(
    form,
    (v: Record<string, unknown>) =>
      call('POST /api/property-companies', { body: { ...v, estates: [] } as never }),
    {
      success: t('property.registered'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['property-companies'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('property.register')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'property-register-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="property-register-form">
        <Form.Item name="name" label={t('property.name')} rules={[{ required: true, min: 4, max: 60 }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="creditCode"
          label={t('property.creditCode')}
          rules={[{ required: true, len: 18, message: t('property.creditCodeRule') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Space>
          <Form.Item name="contactName" label={t('property.contactName')} rules={[{ required: true }]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('property.phone')}
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('property.phoneRule') }]}
          >
            <Input maxLength={11} />
          </Form.Item>
        </Space>
        <Form.Item
          name="orgUnitId"
          label={t('property.community')}
          rules={[{ required: true }]}
          extra={t('property.communityHint')}
        >
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Every estate of the area's companies on the map; a manager draws a new one for a company. */
function EstatesMap() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { tileUrl } = useMapContext();
  const [selected, setSelected] = useState<number | null>(null);
  const [companyId, setCompanyId] = useState<number | undefined>();
  const [drawing, setDrawing] = useState(false);
  const [drawn, setDrawn] = useState<AreaGeometry | null>(null);
  const [name, setName] = useState('');
  const q = useQuery({
    queryKey: ['property-companies', 'map'],
    queryFn: () => call('GET /api/property-companies', { query: { page: 1, pageSize: 200 } }),
  });
  const companies = q.data?.items ?? [];
  const estates = companies.flatMap((c) =>
    c.estates.map((e) => ({ id: e.id, name: e.name, geometry: e.geometry as AreaGeometry, company: c })),
  );
  const picked = estates.find((e) => e.id === selected);
  const save = async () => {
    if (!drawn || companyId === undefined) return;
    const ring = drawn.type === 'Polygon' ? drawn.coordinates[0] : drawn.coordinates[0]?.[0];
    try {
      await call('POST /api/property-companies/:id/estates', {
        params: { id: companyId },
        body: { name, outline: (ring ?? []).map(([x, y]) => [x, y]) as [number, number][] },
      });
      message.success(t('property.estateAdded'));
      setDrawn(null);
      setName('');
      await qc.invalidateQueries({ queryKey: ['property-companies'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      title={t('property.mapTitle')}
      data-testid="property-map"
      extra={
        can('property:manage') && (
          <Space>
            <Select
              placeholder={t('property.pickCompany')}
              style={{ width: 260 }}
              value={companyId}
              onChange={setCompanyId}
              options={companies.map((c) => ({ value: c.id, label: c.name }))}
            />
            <Button disabled={companyId === undefined || drawing} onClick={() => setDrawing(true)}>
              {t('property.drawEstate')}
            </Button>
          </Space>
        )
      }
    >
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        {drawing && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('property.drawHint')} />
        )}
        {picked && (
          <Alert
            type="success"
            style={{ marginBottom: 12 }}
            data-testid="property-estate-picked"
            title={`${picked.name} · ${picked.company.name}（${picked.company.contactName} ${picked.company.phone}）`}
          />
        )}
        {estates.length === 0 && !drawing && (
          <Empty description={t('property.noEstates')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
        <GridMap
          grids={estates}
          selectedId={selected}
          onSelect={setSelected}
          drawing={drawing}
          onDrawn={(g) => {
            setDrawing(false);
            setDrawn(g);
          }}
          tileUrl={tileUrl}
          height={480}
        />
        <Space wrap style={{ marginTop: 12 }} data-testid="property-estate-list">
          {estates.map((e) => (
            <Tag.CheckableTag key={e.id} checked={e.id === selected} onChange={() => setSelected(e.id)}>
              {e.name} · {e.company.name}
            </Tag.CheckableTag>
          ))}
        </Space>
      </QueryState>
      {drawn && (
        <Modal
          open
          title={t('property.estateName')}
          onCancel={() => setDrawn(null)}
          onOk={save}
          okButtonProps={{ disabled: name.trim().length < 2 }}
        >
          <Input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </Modal>
      )}
    </Card>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const rateTag = (v: number | null) =>
  v === null ? '—' : <Tag color={v >= 0.9 ? 'green' : v >= 0.7 ? 'orange' : 'red'}>{pct(v)}</Tag>;

/** 履职考核: on-time rates per company and month. */
function Performance() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(2, 'month'), dayjs()]);
  const from = range[0].format('YYYY-MM');
  const to = range[1].format('YYYY-MM');
  const q = useQuery({
    queryKey: ['property-performance', from, to],
    queryFn: () => call('GET /api/property-performance', { query: { from, to } }),
  });
  const rows = (q.data?.items ?? []).filter((r) => r.dispatched > 0 || r.month === to);
  return (
    <Card
      title={t('property.performanceTitle')}
      extra={
        <DatePicker.RangePicker
          picker="month"
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('property.clockRule')}</Typography.Paragraph>
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        <Table<PropertyPerformanceRow>
          rowKey={(r) => `${r.companyId}-${r.month}`}
          data-testid="property-performance"
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('property.noPerformance') }}
          scroll={{ x: 900 }}
          columns={[
            { title: t('property.name'), dataIndex: 'companyName' },
            { title: t('property.month'), dataIndex: 'month', width: 90 },
            { title: t('property.dispatched'), dataIndex: 'dispatched', width: 90, align: 'right' },
            {
              title: t('property.respondRate'),
              key: 'respond',
              width: 130,
              render: (_, r) => (
                <Space size={4}>
                  {rateTag(r.respondRate)}
                  <Typography.Text type="secondary">{r.respondedOnTime}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('property.replyRate'),
              key: 'reply',
              width: 130,
              render: (_, r) => (
                <Space size={4}>
                  {rateTag(r.replyRate)}
                  <Typography.Text type="secondary">{r.repliedOnTime}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('property.resolveRate'),
              key: 'resolve',
              width: 130,
              render: (_, r) => (
                <Space size={4}>
                  {rateTag(r.resolveRate)}
                  <Typography.Text type="secondary">{r.resolvedOnTime}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('property.late'),
              dataIndex: 'late',
              width: 90,
              align: 'right',
              render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}
