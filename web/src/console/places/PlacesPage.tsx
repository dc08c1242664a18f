import { UploadOutlined } from '@ant-design/icons';
import {
  type Building,
  buildingTypes,
  type Facility,
  facilityStates,
  facilityTypes,
  type HousingUnit,
  housingUses,
  type Organization,
  organizationKinds,
} from '@civicgrid/core/api/places';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { type Body, call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';
import { useGridsOf, useTrees } from '../cases/shared.js';
import { ImportModal } from '../common/ImportModal.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

function BuildingDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // English words are longer than the Chinese: a few columns widen, in English only.
  const en = i18n.language === 'en-US';
  const { can } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const detail = useQuery({
    queryKey: ['building', id],
    queryFn: () => call('GET /api/buildings/:id', { params: { id: id as number } }),
    enabled: id !== null,
  });
  const { send: addUnit } = useFormSubmit(
    form,
    (v: Body<'POST /api/buildings/:id/units'>) =>
      call('POST /api/buildings/:id/units', { params: { id: id as number }, body: v }),
    {
      success: t('places.registered'),
      onDone: () => {
        form.resetFields();
        void qc.invalidateQueries({ queryKey: ['building', id] });
        void qc.invalidateQueries({ queryKey: ['buildings'] });
      },
    },
  );
  const b = detail.data?.building;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={640}
      title={
        b
          ? t('places.building.drawerTitle', { name: b.name, address: b.address })
          : t('places.building.title')
      }
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {b && (
          <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="building-drawer">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('places.building.code')} span={2}>
                {b.code}
              </Descriptions.Item>
              <Descriptions.Item label={t('places.building.type')}>
                {t(`places.buildingTypes.${b.type}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('places.building.floors')}>{b.floors}</Descriptions.Item>
              <Descriptions.Item label={t('places.building.grid')}>{b.gridName}</Descriptions.Item>
              <Descriptions.Item label={t('places.building.unitsResidents')}>
                {t('places.building.unitsResidentsValue', { units: b.housingUnits, residents: b.residents })}
              </Descriptions.Item>
            </Descriptions>
            <Table<HousingUnit>
              size="small"
              rowKey="id"
              dataSource={detail.data?.units}
              pagination={{ pageSize: 12, hideOnSinglePage: true }}
              locale={{ emptyText: t('places.building.noUnits') }}
              columns={[
                {
                  title: t('places.building.unit'),
                  render: (_, u) =>
                    t('places.building.unitName', { unit: u.unitNo, floor: u.floor, room: u.room }),
                  width: en ? 130 : 110,
                },
                {
                  title: t('places.building.use'),
                  dataIndex: 'use',
                  width: 70,
                  render: (v: HousingUnit['use']) => t(`places.housingUses.${v}`),
                },
                {
                  title: t('places.building.area'),
                  dataIndex: 'area',
                  width: 70,
                  render: (a: number | null) => (a ? `${a}㎡` : '—'),
                },
                {
                  title: t('places.building.occupants'),
                  render: (_, u) =>
                    u.households.flatMap((h) => h.members).length === 0 ? (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ) : (
                      u.households.flatMap((h) =>
                        h.members.map((m) => (
                          <Tag key={m.id}>
                            {t('places.building.memberTag', {
                              name: m.name,
                              relation: m.relationToHead ?? t('places.building.member'),
                              age: m.age,
                            })}
                          </Tag>
                        )),
                      )
                    ),
                },
              ]}
            />
            {can('place:write') && (
              <Card size="small" title={t('places.building.addUnit')}>
                <Form form={form} layout="inline" onFinish={addUnit}>
                  <Form.Item name="unitNo" rules={[{ required: true, message: t('places.building.unitNo') }]}>
                    <InputNumber
                      min={1}
                      max={99}
                      placeholder={t('places.building.unitNo')}
                      style={{ width: 80 }}
                    />
                  </Form.Item>
                  <Form.Item name="floor" rules={[{ required: true, message: t('places.building.floor') }]}>
                    <InputNumber
                      min={-9}
                      max={b.floors}
                      placeholder={t('places.building.floor')}
                      style={{ width: 80 }}
                    />
                  </Form.Item>
                  <Form.Item
                    name="room"
                    rules={[{ required: true, pattern: /^\d{1,2}$/, message: t('places.building.roomRule') }]}
                  >
                    <Input placeholder={t('places.building.room')} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name="use" initialValue="ownerOccupied">
                    <Select
                      style={{ width: 100 }}
                      options={housingUses.map((u) => ({ value: u, label: t(`places.housingUses.${u}`) }))}
                    />
                  </Form.Item>
                  <Button htmlType="submit" type="primary">
                    {t('places.building.add')}
                  </Button>
                </Form>
              </Card>
            )}
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}

function BuildingsTab() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm();
  const openId = params.get('building') ? Number(params.get('building')) : null;
  const open = (id: number | null) =>
    setParams((p) => {
      if (id === null) p.delete('building');
      else p.set('building', String(id));
      return p;
    });
  const list = usePagedList<Building, 'q' | 'orgUnitId' | 'type'>({
    url: '/api/buildings',
    key: 'buildings',
    prefix: 'buildings.',
    filters: ['q', 'orgUnitId', 'type'],
    pageSize: 10,
  });
  const filters = list.filters;
  const areaId = filters.orgUnitId ? Number(filters.orgUnitId) : trees.root;
  const grids = useGridsOf(areaId);
  const places = useQuery({
    queryKey: ['places-map'],
    queryFn: async () => {
      // 代办点 are a layer of the same map (帮办代办, modules/proxy).
      const [own, proxy] = await Promise.all([
        call('GET /api/places/map'),
        call('GET /api/proxy-points/map'),
      ]);
      return { type: 'FeatureCollection' as const, features: [...own.features, ...proxy.features] };
    },
    staleTime: 60_000,
  });
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const { send: create } = useFormSubmit(
    form,
    (body: Body<'POST /api/buildings'>) => call('POST /api/buildings', { body }),
    {
      success: t('places.registered'),
      onDone: () => {
        setCreating(false);
        setPicked(null);
        void qc.invalidateQueries({ queryKey: ['buildings'] });
        void qc.invalidateQueries({ queryKey: ['places-map'] });
      },
    },
  );
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={t('places.buildings.search')}
          allowClear
          style={{ width: 260 }}
          key={filters.q ?? ''}
          defaultValue={filters.q}
          onSearch={(v) => list.setFilters({ q: v.trim() || undefined })}
          data-testid="building-search"
        />
        <TreeSelect
          placeholder={t('places.area')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 200 }}
          treeData={trees.areas}
          value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
          onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
        />
        <Select
          placeholder={t('places.type')}
          allowClear
          style={{ width: 120 }}
          options={buildingTypes.map((ty) => ({ value: ty, label: t(`places.buildingTypes.${ty}`) }))}
          value={filters.type}
          onChange={(v?: string) => list.setFilters({ type: v })}
        />
        {can('place:write') && (
          <>
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              data-testid="building-import"
            >
              {t('places.buildings.import')}
            </Button>
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('places.buildings.create')}
            </Button>
          </>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <QueryState loading={false} error={list.query.error} onRetry={() => list.query.refetch()}>
            <Table<Building>
              rowKey="id"
              size="small"
              loading={list.query.isFetching}
              dataSource={list.items}
              locale={{ emptyText: t('places.buildings.empty') }}
              onRow={(b) => ({ onClick: () => open(b.id), style: { cursor: 'pointer' } })}
              pagination={{ ...list.pagination, showTotal: (n) => t('places.buildings.total', { count: n }) }}
              columns={[
                { title: t('places.buildings.name'), dataIndex: 'name', width: 80 },
                { title: t('places.buildings.address'), dataIndex: 'address', ellipsis: true },
                {
                  title: t('places.type'),
                  dataIndex: 'type',
                  width: en ? 110 : 80,
                  render: (ty: Building['type']) => t(`places.buildingTypes.${ty}`),
                },
                { title: t('places.buildings.units'), dataIndex: 'housingUnits', width: 60 },
                { title: t('places.buildings.residents'), dataIndex: 'residents', width: en ? 90 : 60 },
                { title: t('places.grid'), dataIndex: 'gridName', width: 150, ellipsis: true },
              ]}
            />
          </QueryState>
        </Col>
        <Col xs={24} xl={11}>
          <div data-testid="places-map">
            <CaseMap
              height={520}
              areas={grids.data?.items}
              places={places.data}
              onPlace={(layer, id) => {
                if (layer === 'building') open(id);
              }}
            />
          </div>
          <Space size={16} wrap style={{ marginTop: 8 }}>
            <span>
              <Tag color="#389e0d">●</Tag>
              {t('places.buildings.legendBuilding')}
            </span>
            <span>
              <Tag color="#722ed1">●</Tag>
              {t('places.buildings.legendNormal')}
            </span>
            <span>
              <Tag color="#fa8c16">●</Tag>
              {t('places.buildings.legendDamaged')}
            </span>
            <span>
              <Tag color="#cf1322">●</Tag>
              {t('places.buildings.legendMissing')}
            </span>
            <span>
              <Tag color="#1677ff">●</Tag>
              {t('proxy.points.title')}
            </span>
          </Space>
        </Col>
      </Row>
      <BuildingDrawer id={openId} onClose={() => open(null)} />
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title={t('places.buildings.importTitle')}
        kind="buildings"
        hint={t('places.buildings.importHint')}
        refresh={['buildings', 'places-map']}
      />
      <Modal
        open={creating}
        title={t('places.buildings.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => {
            if (!picked) {
              message.warning(t('places.buildings.pickWarning'));
              return;
            }
            void create({ ...v, ...picked });
          }}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="gridId"
                label={t('places.inGrid')}
                rules={[{ required: true, message: t('places.gridRequired') }]}
              >
                <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('places.buildings.nameLabel')}
                rules={[{ required: true, message: t('places.buildings.nameRequired') }]}
              >
                <Input placeholder={t('places.buildings.namePlaceholder')} maxLength={40} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="address"
            label={t('places.buildings.address')}
            rules={[{ required: true, message: t('places.buildings.addressRequired') }]}
          >
            <Input placeholder={t('places.buildings.addressPlaceholder')} maxLength={200} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="type" label={t('places.type')} initialValue="residential">
                <Select
                  options={buildingTypes.map((ty) => ({ value: ty, label: t(`places.buildingTypes.${ty}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="floors"
                label={t('places.building.floors')}
                rules={[{ required: true, message: t('places.buildings.floorsRequired') }]}
              >
                <InputNumber min={1} max={200} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            {picked
              ? t('places.picked', { lng: picked.lng.toFixed(5), lat: picked.lat.toFixed(5) })
              : t('places.pick')}
          </Typography.Text>
          <CaseMap height={240} areas={grids.data?.items} marker={picked} onPick={setPicked} />
        </Form>
      </Modal>
    </>
  );
}

function OrganizationsTab() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const { can } = useAuth();
  const qc = useQueryClient();
  const trees = useTrees();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm();
  const { send: create } = useFormSubmit(
    form,
    (body: Body<'POST /api/organizations'>) => call('POST /api/organizations', { body }),
    {
      success: t('places.registered'),
      onDone: () => {
        setCreating(false);
        void qc.invalidateQueries({ queryKey: ['organizations'] });
      },
    },
  );
  const list = usePagedList<Organization, 'q' | 'creditCode' | 'kind' | 'orgUnitId'>({
    url: '/api/organizations',
    key: 'organizations',
    prefix: 'organizations.',
    filters: ['q', 'creditCode', 'kind', 'orgUnitId'],
  });
  const filters = list.filters;
  const kindOptions = organizationKinds.map((k) => ({ value: k, label: t(`places.organizationKinds.${k}`) }));
  return (
    <ListView<Organization>
      list={list}
      empty={t('places.organizations.empty')}
      totalText={(n) => t('places.organizations.total', { count: n })}
      filters={
        <>
          <Input.Search
            placeholder={t('places.organizations.search')}
            allowClear
            style={{ width: 260 }}
            key={filters.q ?? filters.creditCode ?? ''}
            defaultValue={filters.q ?? filters.creditCode}
            onSearch={(v) => {
              const s = v.trim();
              const isCode = /^[0-9A-Z]{18}$/i.test(s);
              list.setFilters({ q: isCode ? undefined : s || undefined, creditCode: isCode ? s : undefined });
            }}
          />
          <TreeSelect
            placeholder={t('places.area')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={trees.areas}
            value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
            onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
          />
          <Select
            placeholder={t('places.type')}
            allowClear
            style={{ width: 140 }}
            options={kindOptions}
            value={filters.kind}
            onChange={(v?: string) => list.setFilters({ kind: v })}
          />
        </>
      }
      export={{
        url: '/api/organizations/export.xlsx',
        fileName: '实有单位.xlsx',
        label: t('places.organizations.export'),
      }}
      actions={
        can('place:write') && (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('places.organizations.import')}
            </Button>
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('places.organizations.create')}
            </Button>
          </>
        )
      }
      table={{
        rowKey: 'id',
        columns: [
          { title: t('places.organizations.name'), dataIndex: 'name', ellipsis: true },
          { title: t('places.organizations.creditCode'), dataIndex: 'creditCode', width: 190 },
          {
            title: t('places.type'),
            dataIndex: 'kind',
            width: 100,
            render: (k: Organization['kind']) => t(`places.organizationKinds.${k}`),
          },
          { title: t('places.organizations.address'), dataIndex: 'address', ellipsis: true },
          { title: t('places.grid'), dataIndex: 'gridName', width: 160, ellipsis: true },
          {
            title: t('places.organizations.contactName'),
            dataIndex: 'contactName',
            width: 80,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('places.organizations.contactPhone'),
            dataIndex: 'contactPhone',
            width: 120,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('places.organizations.employees'),
            dataIndex: 'employees',
            width: en ? 100 : 80,
            render: (v: number | null) => v ?? '—',
          },
        ],
      }}
    >
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title={t('places.organizations.importTitle')}
        kind="organizations"
        hint={t('places.organizations.importHint')}
        refresh={['organizations']}
      />
      <Modal
        open={creating}
        title={t('places.organizations.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={create}>
          <Form.Item
            name="name"
            label={t('places.organizations.name')}
            rules={[{ required: true, message: t('places.organizations.nameRequired') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('places.organizations.creditCode')}
            rules={[{ required: true, len: 18, message: t('places.organizations.creditCodeRule') }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t('places.type')}
            rules={[{ required: true, message: t('places.typeRequired') }]}
          >
            <Select options={kindOptions} />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('places.organizations.address')}
            rules={[{ required: true, message: t('places.organizations.addressRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="gridId"
            label={t('places.inGrid')}
            rules={[{ required: true, message: t('places.gridRequired') }]}
          >
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
          </Form.Item>
          <Space>
            <Form.Item name="contactName" label={t('places.organizations.contactName')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label={t('places.organizations.contactPhone')}
              rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('places.organizations.phoneRule') }]}
            >
              <Input maxLength={11} />
            </Form.Item>
            <Form.Item name="employees" label={t('places.organizations.employees')}>
              <InputNumber min={0} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </ListView>
  );
}

function FacilitiesTab() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [creating, setCreating] = useState(false);
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const [form] = Form.useForm();
  const grids = useGridsOf(creating ? trees.root : undefined);
  const { send: create } = useFormSubmit(
    form,
    (body: Body<'POST /api/facilities'>) => call('POST /api/facilities', { body }),
    {
      success: (f) => t('places.facilities.registeredWithCode', { code: f.code }),
      onDone: () => {
        setCreating(false);
        setPicked(null);
        void qc.invalidateQueries({ queryKey: ['facilities'] });
        void qc.invalidateQueries({ queryKey: ['places-map'] });
      },
    },
  );
  const list = usePagedList<Facility, 'q' | 'typeCode' | 'state'>({
    url: '/api/facilities',
    key: 'facilities',
    prefix: 'facilities.',
    filters: ['q', 'typeCode', 'state'],
  });
  const filters = list.filters;
  const typeOptions = Object.entries(facilityTypes).map(([code, name]) => ({
    value: code,
    label: `${code} ${t(`places.facilityTypes.${code}`, { defaultValue: name })}`,
  }));
  const stateOptions = facilityStates.map((s) => ({ value: s, label: t(`places.facilityStates.${s}`) }));
  return (
    <ListView<Facility>
      list={list}
      empty={t('places.facilities.empty')}
      totalText={(n) => t('places.facilities.total', { count: n })}
      search={{ filter: 'q', placeholder: t('places.facilities.search'), width: 220 }}
      filters={
        <>
          <Select
            placeholder={t('places.facilities.typePlaceholder')}
            allowClear
            style={{ width: 180 }}
            options={typeOptions}
            value={filters.typeCode}
            onChange={(v?: string) => list.setFilters({ typeCode: v })}
          />
          <Select
            placeholder={t('places.facilities.state')}
            allowClear
            style={{ width: 100 }}
            options={stateOptions}
            value={filters.state}
            onChange={(v?: string) => list.setFilters({ state: v })}
          />
        </>
      }
      actions={
        can('place:write') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('places.facilities.create')}
          </Button>
        )
      }
      table={{
        rowKey: 'id',
        columns: [
          { title: t('places.facilities.code'), dataIndex: 'code', width: 170 },
          {
            title: t('places.type'),
            dataIndex: 'typeName',
            width: en ? 150 : 110,
            render: (name: string, f) => t(`places.facilityTypes.${f.typeCode}`, { defaultValue: name }),
          },
          { title: t('places.facilities.name'), dataIndex: 'name', ellipsis: true },
          { title: t('places.grid'), dataIndex: 'gridName', width: 170, ellipsis: true },
          {
            title: t('places.facilities.owner'),
            dataIndex: 'owner',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('places.facilities.state'),
            dataIndex: 'state',
            width: en ? 135 : 120,
            render: (s: Facility['state'], f) =>
              can('place:write') ? (
                <Select
                  size="small"
                  value={s}
                  style={{ width: en ? 110 : 90 }}
                  options={stateOptions}
                  onChange={async (v) => {
                    try {
                      await call('PATCH /api/facilities/:id', { params: { id: f.id }, body: { state: v } });
                      void qc.invalidateQueries({ queryKey: ['facilities'] });
                      void qc.invalidateQueries({ queryKey: ['places-map'] });
                    } catch (e) {
                      message.error(errorMessage(e));
                    }
                  }}
                />
              ) : (
                t(`places.facilityStates.${s}`)
              ),
          },
        ],
      }}
    >
      <Modal
        open={creating}
        title={t('places.facilities.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => {
            if (!picked) {
              message.warning(t('places.facilities.pickWarning'));
              return;
            }
            void create({ ...v, ...picked });
          }}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="typeCode"
                label={t('places.facilities.typeLabel')}
                rules={[{ required: true, message: t('places.typeRequired') }]}
              >
                <Select options={typeOptions} showSearch optionFilterProp="label" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="gridId"
                label={t('places.inGrid')}
                rules={[{ required: true, message: t('places.gridRequired') }]}
              >
                <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('places.facilities.name')}
                rules={[{ required: true, message: t('places.facilities.nameRequired') }]}
              >
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="owner" label={t('places.facilities.ownerLabel')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            {picked
              ? t('places.picked', { lng: picked.lng.toFixed(5), lat: picked.lat.toFixed(5) })
              : t('places.pick')}
          </Typography.Text>
          <CaseMap height={240} areas={grids.data?.items} marker={picked} onPick={setPicked} />
        </Form>
      </Modal>
    </ListView>
  );
}

/** 实有房屋、单位与部件: the places of the grid, in lists and on the map. */
export default function PlacesPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('places.title')}>
      <Tabs
        items={[
          { key: 'buildings', label: t('places.tabs.buildings'), children: <BuildingsTab /> },
          { key: 'organizations', label: t('places.tabs.organizations'), children: <OrganizationsTab /> },
          { key: 'facilities', label: t('places.tabs.facilities'), children: <FacilitiesTab /> },
        ]}
        destroyOnHidden
      />
    </Card>
  );
}
