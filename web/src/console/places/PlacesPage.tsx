import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type Building,
  buildingTypeNames,
  buildingTypes,
  type Facility,
  facilityStateNames,
  facilityStates,
  facilityTypes,
  type HousingUnit,
  housingUseNames,
  housingUses,
  type Organization,
  organizationKindNames,
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
import { useSearchParams } from 'react-router-dom';
import { applyFieldErrors, errorMessage, get, patch, post } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap, type PlaceCollection } from '../cases/CaseMap.js';
import { useGridsOf, useTrees } from '../cases/shared.js';
import { ImportModal } from '../common/ImportModal.js';

const qsOf = (o: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(o).flatMap(([k, v]) =>
      v === undefined || v === '' || v === null ? [] : [[k, String(v)]],
    ),
  ).toString();

function BuildingDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const detail = useQuery({
    queryKey: ['building', id],
    queryFn: () => get<{ building: Building; units: HousingUnit[] }>(`/api/buildings/${id}`),
    enabled: id !== null,
  });
  const b = detail.data?.building;
  return (
    <Drawer open={id !== null} onClose={onClose} width={640} title={b ? `${b.name}（${b.address}）` : '楼栋'}>
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {b && (
          <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="building-drawer">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="地址编码" span={2}>
                {b.code}
              </Descriptions.Item>
              <Descriptions.Item label="类型">{buildingTypeNames[b.type]}</Descriptions.Item>
              <Descriptions.Item label="层数">{b.floors}</Descriptions.Item>
              <Descriptions.Item label="所在网格">{b.gridName}</Descriptions.Item>
              <Descriptions.Item label="房屋 / 居民">
                {b.housingUnits} 套 / {b.residents} 人
              </Descriptions.Item>
            </Descriptions>
            <Table<HousingUnit>
              size="small"
              rowKey="id"
              dataSource={detail.data?.units}
              pagination={{ pageSize: 12, hideOnSinglePage: true }}
              locale={{ emptyText: '尚未登记房屋' }}
              columns={[
                {
                  title: '房屋',
                  render: (_, u) => `${u.unitNo}单元 ${u.floor}${u.room}室`,
                  width: 110,
                },
                {
                  title: '用途',
                  dataIndex: 'use',
                  width: 70,
                  render: (v: HousingUnit['use']) => housingUseNames[v],
                },
                {
                  title: '面积',
                  dataIndex: 'area',
                  width: 70,
                  render: (a: number | null) => (a ? `${a}㎡` : '—'),
                },
                {
                  title: '住户（辖区内可见）',
                  render: (_, u) =>
                    u.households.flatMap((h) => h.members).length === 0 ? (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ) : (
                      u.households.flatMap((h) =>
                        h.members.map((m) => (
                          <Tag key={m.id}>
                            {m.name}·{m.relationToHead ?? '成员'}·{m.age}岁
                          </Tag>
                        )),
                      )
                    ),
                },
              ]}
            />
            {can('place:write') && (
              <Card size="small" title="登记房屋">
                <Form
                  form={form}
                  layout="inline"
                  onFinish={async (v) => {
                    try {
                      await post(`/api/buildings/${id}/units`, v);
                      message.success('已登记');
                      form.resetFields();
                      void qc.invalidateQueries({ queryKey: ['building', id] });
                      void qc.invalidateQueries({ queryKey: ['buildings'] });
                    } catch (e) {
                      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
                    }
                  }}
                >
                  <Form.Item name="unitNo" rules={[{ required: true, message: '单元' }]}>
                    <InputNumber min={1} max={99} placeholder="单元" style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name="floor" rules={[{ required: true, message: '楼层' }]}>
                    <InputNumber min={-9} max={b.floors} placeholder="楼层" style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item
                    name="room"
                    rules={[{ required: true, pattern: /^\d{1,2}$/, message: '房号为1–2位数字' }]}
                  >
                    <Input placeholder="房号" style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name="use" initialValue="ownerOccupied">
                    <Select
                      style={{ width: 100 }}
                      options={housingUses.map((u) => ({ value: u, label: housingUseNames[u] }))}
                    />
                  </Form.Item>
                  <Button htmlType="submit" type="primary">
                    添加
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
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<{ q?: string; orgUnitId?: number; type?: string }>({});
  const [page, setPage] = useState({ page: 1, pageSize: 10 });
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
  const qs = qsOf({ ...filters, ...page });
  const list = useQuery({
    queryKey: ['buildings', qs],
    queryFn: () => get<{ items: Building[]; total: number }>(`/api/buildings?${qs}`),
  });
  const areaId = filters.orgUnitId ?? trees.root;
  const grids = useGridsOf(areaId);
  const places = useQuery({
    queryKey: ['places-map'],
    queryFn: () => get<PlaceCollection>('/api/places/map'),
    staleTime: 60_000,
  });
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="楼栋名称、地址或地址编码"
          allowClear
          style={{ width: 260 }}
          onSearch={(v) => {
            setFilters((f) => ({ ...f, q: v || undefined }));
            setPage((p) => ({ ...p, page: 1 }));
          }}
          data-testid="building-search"
        />
        <TreeSelect
          placeholder="区域"
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 200 }}
          treeData={trees.areas}
          onChange={(v) => setFilters((f) => ({ ...f, orgUnitId: v }))}
        />
        <Select
          placeholder="类型"
          allowClear
          style={{ width: 120 }}
          options={buildingTypes.map((t) => ({ value: t, label: buildingTypeNames[t] }))}
          onChange={(v) => setFilters((f) => ({ ...f, type: v }))}
        />
        {can('place:write') && (
          <>
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              data-testid="building-import"
            >
              导入房屋
            </Button>
            <Button type="primary" onClick={() => setCreating(true)}>
              登记楼栋
            </Button>
          </>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
            <Table<Building>
              rowKey="id"
              size="small"
              loading={list.isLoading}
              dataSource={list.data?.items}
              locale={{ emptyText: '暂无楼栋' }}
              onRow={(b) => ({ onClick: () => open(b.id), style: { cursor: 'pointer' } })}
              pagination={{
                current: page.page,
                pageSize: page.pageSize,
                total: list.data?.total ?? 0,
                showTotal: (n) => `共 ${n} 栋`,
                onChange: (p, s) => setPage({ page: p, pageSize: s }),
              }}
              columns={[
                { title: '楼栋', dataIndex: 'name', width: 80 },
                { title: '标准地址', dataIndex: 'address', ellipsis: true },
                {
                  title: '类型',
                  dataIndex: 'type',
                  width: 80,
                  render: (t: Building['type']) => buildingTypeNames[t],
                },
                { title: '房屋', dataIndex: 'housingUnits', width: 60 },
                { title: '居民', dataIndex: 'residents', width: 60 },
                { title: '网格', dataIndex: 'gridName', width: 150, ellipsis: true },
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
          <Space size={16} style={{ marginTop: 8 }}>
            <span>
              <Tag color="#389e0d">●</Tag>楼栋（点击查看房屋与住户）
            </span>
            <span>
              <Tag color="#722ed1">●</Tag>部件完好
            </span>
            <span>
              <Tag color="#fa8c16">●</Tag>损坏
            </span>
            <span>
              <Tag color="#cf1322">●</Tag>丢失
            </span>
          </Space>
        </Col>
      </Row>
      <BuildingDrawer id={openId} onClose={() => open(null)} />
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title="导入实有房屋"
        kind="buildings"
        hint="一行一套房屋（只登记楼栋时单元、楼层、房号留空）。楼栋按“网格+名称”、房屋按地址编码更新，重复导入不会产生重复。"
        refresh={['buildings', 'places-map']}
      />
      <Modal
        open={creating}
        title="登记楼栋"
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            if (!picked) {
              message.warning('请在地图上点选楼栋位置');
              return;
            }
            try {
              await post('/api/buildings', { ...v, ...picked });
              message.success('已登记');
              setCreating(false);
              setPicked(null);
              void qc.invalidateQueries({ queryKey: ['buildings'] });
              void qc.invalidateQueries({ queryKey: ['places-map'] });
            } catch (e) {
              if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
            }
          }}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="gridId" label="所在网格" rules={[{ required: true, message: '请选择网格' }]}>
                <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="name" label="楼栋名称" rules={[{ required: true, message: '请填写楼栋名称' }]}>
                <Input placeholder="如 3号楼" maxLength={40} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="address" label="标准地址" rules={[{ required: true, message: '请填写标准地址' }]}>
            <Input placeholder="包头市昆都仑区阿尔丁大街12号3号楼" maxLength={200} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="type" label="类型" initialValue="residential">
                <Select options={buildingTypes.map((t) => ({ value: t, label: buildingTypeNames[t] }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="floors" label="层数" rules={[{ required: true, message: '请填写层数' }]}>
                <InputNumber min={1} max={200} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            点击地图选定位置{picked ? `：${picked.lng.toFixed(5)}, ${picked.lat.toFixed(5)}` : ''}
          </Typography.Text>
          <CaseMap height={240} areas={grids.data?.items} marker={picked} onPick={setPicked} />
        </Form>
      </Modal>
    </>
  );
}

function OrganizationsTab() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [filters, setFilters] = useState<{
    q?: string;
    creditCode?: string;
    kind?: string;
    orgUnitId?: number;
  }>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm();
  const qs = qsOf({ ...filters, ...page });
  const list = useQuery({
    queryKey: ['organizations', qs],
    queryFn: () => get<{ items: Organization[]; total: number }>(`/api/organizations?${qs}`),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="单位名称或统一社会信用代码"
          allowClear
          style={{ width: 260 }}
          onSearch={(v) => {
            const s = v.trim();
            const isCode = /^[0-9A-Z]{18}$/i.test(s);
            setFilters((f) => ({
              ...f,
              q: isCode ? undefined : s || undefined,
              creditCode: isCode ? s : undefined,
            }));
            setPage((p) => ({ ...p, page: 1 }));
          }}
        />
        <TreeSelect
          placeholder="区域"
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 200 }}
          treeData={trees.areas}
          onChange={(v) => setFilters((f) => ({ ...f, orgUnitId: v }))}
        />
        <Select
          placeholder="类型"
          allowClear
          style={{ width: 140 }}
          options={organizationKinds.map((k) => ({ value: k, label: organizationKindNames[k] }))}
          onChange={(v) => setFilters((f) => ({ ...f, kind: v }))}
        />
        <Button icon={<DownloadOutlined />} href={`/api/organizations/export.xlsx?${qsOf(filters)}`}>
          导出
        </Button>
        {can('place:write') && (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              导入单位
            </Button>
            <Button type="primary" onClick={() => setCreating(true)}>
              登记单位
            </Button>
          </>
        )}
      </Space>
      <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
        <Table<Organization>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: '暂无单位' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (n) => `共 ${n} 家`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: '单位名称', dataIndex: 'name', ellipsis: true },
            { title: '统一社会信用代码', dataIndex: 'creditCode', width: 190 },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 100,
              render: (k: Organization['kind']) => organizationKindNames[k],
            },
            { title: '地址', dataIndex: 'address', ellipsis: true },
            { title: '网格', dataIndex: 'gridName', width: 160, ellipsis: true },
            { title: '联系人', dataIndex: 'contactName', width: 80, render: (v: string | null) => v ?? '—' },
            {
              title: '联系电话',
              dataIndex: 'contactPhone',
              width: 120,
              render: (v: string | null) => v ?? '—',
            },
            { title: '从业人数', dataIndex: 'employees', width: 80, render: (v: number | null) => v ?? '—' },
          ]}
        />
      </QueryState>
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title="导入实有单位"
        kind="organizations"
        hint="按统一社会信用代码更新（校验码须符合 GB 32100），重复导入不会产生重复。"
        refresh={['organizations']}
      />
      <Modal
        open={creating}
        title="登记单位"
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            try {
              await post('/api/organizations', v);
              message.success('已登记');
              setCreating(false);
              void qc.invalidateQueries({ queryKey: ['organizations'] });
            } catch (e) {
              if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
            }
          }}
        >
          <Form.Item name="name" label="单位名称" rules={[{ required: true, message: '请填写单位名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label="统一社会信用代码"
            rules={[{ required: true, len: 18, message: '应为18位' }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={organizationKinds.map((k) => ({ value: k, label: organizationKindNames[k] }))} />
          </Form.Item>
          <Form.Item name="address" label="地址" rules={[{ required: true, message: '请填写地址' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="gridId" label="所在网格" rules={[{ required: true, message: '请选择网格' }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
          </Form.Item>
          <Space>
            <Form.Item name="contactName" label="联系人">
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label="联系电话"
              rules={[{ pattern: /^1[3-9]\d{9}$/, message: '请输入11位手机号' }]}
            >
              <Input maxLength={11} />
            </Form.Item>
            <Form.Item name="employees" label="从业人数">
              <InputNumber min={0} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

function FacilitiesTab() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [filters, setFilters] = useState<{ q?: string; typeCode?: string; state?: string }>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const [form] = Form.useForm();
  const grids = useGridsOf(creating ? trees.root : undefined);
  const qs = qsOf({ ...filters, ...page });
  const list = useQuery({
    queryKey: ['facilities', qs],
    queryFn: () => get<{ items: Facility[]; total: number }>(`/api/facilities?${qs}`),
  });
  const typeOptions = Object.entries(facilityTypes).map(([code, name]) => ({
    value: code,
    label: `${code} ${name}`,
  }));
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="名称或部件编码"
          allowClear
          style={{ width: 220 }}
          onSearch={(v) => setFilters((f) => ({ ...f, q: v || undefined }))}
        />
        <Select
          placeholder="部件类型"
          allowClear
          style={{ width: 180 }}
          options={typeOptions}
          onChange={(v) => setFilters((f) => ({ ...f, typeCode: v }))}
        />
        <Select
          placeholder="状态"
          allowClear
          style={{ width: 100 }}
          options={facilityStates.map((s) => ({ value: s, label: facilityStateNames[s] }))}
          onChange={(v) => setFilters((f) => ({ ...f, state: v }))}
        />
        {can('place:write') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            登记部件
          </Button>
        )}
      </Space>
      <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
        <Table<Facility>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: '暂无部件' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (n) => `共 ${n} 个`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: '部件编码', dataIndex: 'code', width: 170 },
            { title: '类型', dataIndex: 'typeName', width: 110 },
            { title: '名称', dataIndex: 'name', ellipsis: true },
            { title: '网格', dataIndex: 'gridName', width: 170, ellipsis: true },
            { title: '权属', dataIndex: 'owner', width: 110, render: (v: string | null) => v ?? '—' },
            {
              title: '状态',
              dataIndex: 'state',
              width: 120,
              render: (s: Facility['state'], f) =>
                can('place:write') ? (
                  <Select
                    size="small"
                    value={s}
                    style={{ width: 90 }}
                    options={facilityStates.map((x) => ({ value: x, label: facilityStateNames[x] }))}
                    onChange={async (v) => {
                      try {
                        await patch(`/api/facilities/${f.id}`, { state: v });
                        void qc.invalidateQueries({ queryKey: ['facilities'] });
                        void qc.invalidateQueries({ queryKey: ['places-map'] });
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  />
                ) : (
                  facilityStateNames[s]
                ),
            },
          ]}
        />
      </QueryState>
      <Modal
        open={creating}
        title="登记部件"
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            if (!picked) {
              message.warning('请在地图上点选部件位置');
              return;
            }
            try {
              const f = await post<Facility>('/api/facilities', { ...v, ...picked });
              message.success(`已登记，部件编码 ${f.code}`);
              setCreating(false);
              setPicked(null);
              void qc.invalidateQueries({ queryKey: ['facilities'] });
              void qc.invalidateQueries({ queryKey: ['places-map'] });
            } catch (e) {
              if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
            }
          }}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="typeCode"
                label="部件类型（GB/T 30428.2）"
                rules={[{ required: true, message: '请选择类型' }]}
              >
                <Select options={typeOptions} showSearch optionFilterProp="label" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="gridId" label="所在网格" rules={[{ required: true, message: '请选择网格' }]}>
                <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="owner" label="权属单位">
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            点击地图选定位置{picked ? `：${picked.lng.toFixed(5)}, ${picked.lat.toFixed(5)}` : ''}
          </Typography.Text>
          <CaseMap height={240} areas={grids.data?.items} marker={picked} onPick={setPicked} />
        </Form>
      </Modal>
    </>
  );
}

/** 实有房屋、单位与部件: the places of the grid, in lists and on the map. */
export default function PlacesPage() {
  return (
    <Card title="实有房屋 · 单位 · 部件">
      <Tabs
        items={[
          { key: 'buildings', label: '房屋', children: <BuildingsTab /> },
          { key: 'organizations', label: '单位', children: <OrganizationsTab /> },
          { key: 'facilities', label: '部件', children: <FacilitiesTab /> },
        ]}
        destroyOnHidden
      />
    </Card>
  );
}
