import type { ProxyPoint } from '@civicgrid/core/api/proxy';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Tag, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { CaseMap } from '../cases/CaseMap.js';
import { useGridsOf, useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface PointForm {
  name: string;
  address: string;
  orgUnitId: number;
  contactName?: string;
  contactPhone?: string;
  openingHours?: string;
  agentIds?: string[];
}

/** The add / edit dialog: where the point is (a grid, a spot inside it), who its agents are. */
function PointModal({ editing, onClose }: { editing: ProxyPoint | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const trees = useTrees();
  const [form] = Form.useForm<PointForm>();
  const unitId = Form.useWatch('orgUnitId', form);
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const grids = useGridsOf(unitId);
  const agents = useQuery({
    queryKey: ['proxy-agents', unitId],
    queryFn: () => call('GET /api/proxy-agents', { query: { orgUnitId: unitId as number } }),
    enabled: typeof unitId === 'number',
  });
  const existing = editing !== 'new' ? editing : null;
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: PointForm) => {
      const location = picked ?? existing?.location;
      if (!location) throw new Error(t('proxy.points.noLocation'));
      const body = { ...v, location, agentIds: v.agentIds ?? [] };
      return existing
        ? call('PATCH /api/proxy-points/:id', { params: { id: existing.id }, body })
        : call('POST /api/proxy-points', {
            body: {
              ...body,
              contactName: v.contactName ?? '',
              contactPhone: v.contactPhone ?? '',
              openingHours: v.openingHours ?? '',
            },
          });
    },
    {
      success: t('common.saved'),
      onDone: () => {
        void qc.invalidateQueries({ queryKey: ['proxy-points'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open={editing !== null}
      width={760}
      title={existing ? t('proxy.points.edit') : t('proxy.points.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (!open) return;
        setPicked(null);
        form.setFieldsValue(
          existing
            ? { ...existing, agentIds: existing.agents.map((a) => a.id) }
            : { name: '', address: '', agentIds: [] },
        );
      }}
    >
      <Form form={form} layout="vertical" onFinish={save} data-testid="proxy-point-form">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('proxy.points.name')}
              rules={[{ required: true, min: 2, max: 100 }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="orgUnitId" label={t('proxy.points.area')} rules={[{ required: true }]}>
              <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.units} />
            </Form.Item>
            <Form.Item name="address" label={t('proxy.points.address')} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="openingHours" label={t('proxy.points.openingHours')}>
              <Input placeholder="周一至周五 8:30-17:30" />
            </Form.Item>
            <Space>
              <Form.Item name="contactName" label={t('proxy.points.contactName')}>
                <Input />
              </Form.Item>
              <Form.Item name="contactPhone" label={t('proxy.points.contactPhone')}>
                <Input />
              </Form.Item>
            </Space>
            <Form.Item name="agentIds" label={t('proxy.points.agents')}>
              <Select
                mode="multiple"
                loading={agents.isLoading}
                options={[
                  ...(agents.data?.items ?? []).map((a) => ({
                    value: a.id,
                    label: a.orgUnitName ? `${a.name}（${a.orgUnitName}）` : a.name,
                  })),
                  // The point's agents as they are, while the candidates load (or if one has left).
                  ...(existing?.agents ?? [])
                    .filter((a) => !agents.data?.items.some((c) => c.id === a.id))
                    .map((a) => ({ value: a.id, label: a.name })),
                ]}
                optionFilterProp="label"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="location" label={t('proxy.points.location')} extra={t('proxy.points.pickHint')}>
              <CaseMap
                height={320}
                areas={grids.data?.items}
                marker={picked ?? existing?.location ?? null}
                onPick={setPicked}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** 代办点: the registry of proxy points in the jurisdiction, with their agents, on a map. */
export default function ProxyPointsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const trees = useTrees();
  const [editing, setEditing] = useState<ProxyPoint | 'new' | null>(null);
  const list = usePagedList<ProxyPoint, 'q' | 'orgUnitId' | 'retired'>({
    url: '/api/proxy-points',
    key: 'proxy-points',
    filters: ['q', 'orgUnitId', 'retired'],
  });
  const map = useQuery({
    queryKey: ['proxy-points', 'map'],
    queryFn: () => call('GET /api/proxy-points/map'),
  });
  const toggle = useMutation({
    mutationFn: (p: ProxyPoint) =>
      call('PATCH /api/proxy-points/:id', { params: { id: p.id }, body: { retired: !p.retired } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['proxy-points'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  const writable = can('proxyPoint:write');
  const filters = list.filters;
  return (
    <ListPage
      title={t('proxy.points.title')}
      testId="proxy-points"
      list={list}
      search={{ filter: 'q', placeholder: t('proxy.points.search'), testId: 'proxy-point-search' }}
      filters={
        <>
          <TreeSelect
            placeholder={t('proxy.points.area')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={trees.areas}
            value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
            onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
          />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('common.status')}
            value={filters.retired}
            onChange={(v?: string) => list.setFilters({ retired: v })}
            options={[
              { value: 'false', label: t('proxy.points.open') },
              { value: 'true', label: t('proxy.points.retired') },
            ]}
          />
        </>
      }
      actions={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="proxy-point-create">
            {t('proxy.points.create')}
          </Button>
        )
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        columns: [
          { title: t('proxy.points.name'), dataIndex: 'name', width: 220 },
          { title: t('proxy.points.area'), dataIndex: 'orgUnitName', width: 180, ellipsis: true },
          { title: t('proxy.points.address'), dataIndex: 'address', ellipsis: true },
          {
            title: t('proxy.points.agents'),
            dataIndex: 'agents',
            width: 160,
            render: (a: ProxyPoint['agents']) => a.map((x) => <Tag key={x.id}>{x.name}</Tag>),
          },
          { title: t('proxy.points.openingHours'), dataIndex: 'openingHours', width: 180, ellipsis: true },
          { title: t('proxy.points.applications'), dataIndex: 'applications', width: 90 },
          {
            title: t('common.status'),
            dataIndex: 'retired',
            width: 90,
            render: (r: boolean) =>
              r ? <Tag>{t('proxy.points.retired')}</Tag> : <Tag color="green">{t('proxy.points.open')}</Tag>,
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  width: 150,
                  render: (_: unknown, p: ProxyPoint) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(p)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={`${p.retired ? t('proxy.points.restore') : t('proxy.points.retire')}「${p.name}」？`}
                        onConfirm={() => toggle.mutate(p)}
                      >
                        <Button size="small" danger={!p.retired}>
                          {p.retired ? t('proxy.points.restore') : t('proxy.points.retire')}
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
      <div style={{ marginTop: 16 }} data-testid="proxy-points-map">
        <CaseMap
          height={420}
          places={map.data}
          onPlace={(layer, id) => {
            const p = list.items.find((x) => x.id === id);
            if (layer === 'proxyPoint' && p && writable) setEditing(p);
          }}
        />
      </div>
      <PointModal editing={editing} onClose={() => setEditing(null)} />
    </ListPage>
  );
}
