import { type Provider, serviceKindNames, serviceKinds } from '@civicgrid/core/api/eldercareOrders';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Rate,
  Row,
  Select,
  Space,
  Tag,
  TreeSelect,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { CaseMap } from '../cases/CaseMap.js';
import { useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface ProviderForm {
  name: string;
  contactName?: string;
  phone: string;
  address: string;
  areaIds: number[];
  serviceCodes: string[];
}

/** Register or edit a provider: where it is, which areas it serves, which services it offers. */
function ProviderDrawer({ editing, onClose }: { editing: Provider | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const trees = useTrees();
  const [form] = Form.useForm<ProviderForm>();
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const existing = editing !== 'new' ? editing : null;
  const services = useQuery({
    queryKey: ['elder-services'],
    queryFn: () => call('GET /api/eldercare/services'),
    staleTime: 600_000,
  });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: ProviderForm) => {
      const location = picked ?? existing?.location;
      if (!location) throw new Error(t('elderOrders.providers.noLocation'));
      const body = { ...v, contactName: v.contactName ?? '', location };
      return existing
        ? call('PATCH /api/providers/:id', { params: { id: existing.id }, body })
        : call('POST /api/providers', { body });
    },
    {
      success: t('common.saved'),
      onDone: () => {
        void qc.invalidateQueries({ queryKey: ['providers'] });
        onClose();
      },
    },
  );
  return (
    <Drawer
      open={editing !== null}
      width={860}
      title={existing ? t('elderOrders.providers.edit') : t('elderOrders.providers.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="provider-save">
          {t('common.save')}
        </Button>
      }
      afterOpenChange={(open) => {
        if (!open) return;
        setPicked(null);
        form.setFieldsValue(
          existing
            ? {
                ...existing,
                areaIds: existing.areas.map((a) => a.id),
                serviceCodes: existing.services.map((s) => s.code),
              }
            : { name: '', address: '', phone: '', areaIds: [], serviceCodes: [] },
        );
      }}
    >
      <Form form={form} layout="vertical" onFinish={save} data-testid="provider-form">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('elderOrders.providers.name')}
              rules={[{ required: true, min: 2, max: 100 }]}
            >
              <Input />
            </Form.Item>
            <Space>
              <Form.Item name="contactName" label={t('elderOrders.providers.contactName')}>
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item name="phone" label={t('elderOrders.providers.phone')} rules={[{ required: true }]}>
                <Input maxLength={13} />
              </Form.Item>
            </Space>
            <Form.Item
              name="address"
              label={t('elderOrders.providers.address')}
              rules={[{ required: true, min: 2 }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="areaIds" label={t('elderOrders.providers.areas')} rules={[{ required: true }]}>
              <TreeSelect multiple showSearch treeNodeFilterProp="title" treeData={trees.areas} />
            </Form.Item>
            <Form.Item
              name="serviceCodes"
              label={t('elderOrders.providers.services')}
              rules={[{ required: true }]}
            >
              <Select
                mode="multiple"
                optionFilterProp="label"
                maxTagCount={8}
                loading={services.isLoading}
                options={serviceKinds.map((k) => ({
                  label: serviceKindNames[k],
                  options: (services.data?.items ?? [])
                    .filter((s) => s.kind === k)
                    .map((s) => ({ value: s.code, label: `${serviceKindNames[k]}·${s.name}` })),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              label={t('elderOrders.providers.location')}
              extra={t('elderOrders.providers.pickHint')}
            >
              <CaseMap height={360} marker={picked ?? existing?.location ?? null} onPick={setPicked} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}

/** 为老服务商: the district's signed providers, their areas, services, ratings and orders. */
export default function ProvidersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const trees = useTrees();
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);
  const list = usePagedList<Provider, 'q' | 'kind' | 'orgUnitId' | 'active'>({
    url: '/api/providers',
    key: 'providers',
    filters: ['q', 'kind', 'orgUnitId', 'active'],
  });
  const toggle = useMutation({
    mutationFn: (p: Provider) =>
      call('PATCH /api/providers/:id', { params: { id: p.id }, body: { active: !p.active } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['providers'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  const writable = can('provider:manage');
  const filters = list.filters;
  return (
    <ListPage
      title={t('elderOrders.providers.title')}
      testId="providers"
      list={list}
      search={{ filter: 'q', placeholder: t('elderOrders.providers.search'), testId: 'provider-search' }}
      filters={
        <>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('elderOrders.providers.kinds')}
            value={filters.kind}
            onChange={(v?: string) => list.setFilters({ kind: v })}
            options={serviceKinds.map((k) => ({ value: k, label: serviceKindNames[k] }))}
          />
          <TreeSelect
            placeholder={t('elderOrders.providers.areas')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={trees.areas}
            value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
            onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
          />
          <Select
            style={{ width: 110 }}
            value={filters.active ?? 'true'}
            onChange={(v: string) => list.setFilters({ active: v })}
            options={[
              { value: 'true', label: t('elderOrders.providers.active') },
              { value: 'false', label: t('elderOrders.providers.inactive') },
              { value: 'all', label: t('elderOrders.providers.all') },
            ]}
          />
        </>
      }
      actions={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="provider-create">
            {t('elderOrders.providers.create')}
          </Button>
        )
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        columns: [
          { title: t('elderOrders.providers.name'), dataIndex: 'name', width: 220 },
          {
            title: t('elderOrders.providers.kinds'),
            dataIndex: 'kinds',
            render: (ks: Provider['kinds']) => ks.map((k) => <Tag key={k}>{serviceKindNames[k]}</Tag>),
          },
          {
            title: t('elderOrders.providers.areas'),
            dataIndex: 'areas',
            width: 200,
            ellipsis: true,
            render: (as: Provider['areas']) => as.map((a) => a.name).join('、'),
          },
          { title: t('elderOrders.providers.phone'), dataIndex: 'phone', width: 130 },
          {
            title: t('elderOrders.providers.rating'),
            dataIndex: 'rating',
            width: 150,
            render: (r: number | null, p: Provider) =>
              r === null ? (
                '—'
              ) : (
                <Space size={4}>
                  <Rate disabled allowHalf value={r} style={{ fontSize: 11 }} />
                  <span>({p.ratings})</span>
                </Space>
              ),
          },
          { title: t('elderOrders.providers.orders'), dataIndex: 'orders', width: 80 },
          {
            title: t('common.status'),
            dataIndex: 'active',
            width: 80,
            render: (a: boolean) =>
              a ? (
                <Tag color="green">{t('elderOrders.providers.active')}</Tag>
              ) : (
                <Tag>{t('elderOrders.providers.inactive')}</Tag>
              ),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  width: 150,
                  render: (_: unknown, p: Provider) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(p)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={`${p.active ? t('elderOrders.providers.disable') : t('elderOrders.providers.enable')}「${p.name}」？`}
                        onConfirm={() => toggle.mutate(p)}
                      >
                        <Button size="small" danger={p.active}>
                          {p.active ? t('elderOrders.providers.disable') : t('elderOrders.providers.enable')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ],
      }}
    >
      <ProviderDrawer editing={editing} onClose={() => setEditing(null)} />
    </ListPage>
  );
}
