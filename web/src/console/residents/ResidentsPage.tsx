import { DownloadOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import { type CareCase, riskLevelNames } from '@civicgrid/core/api/care';
import { housingUseNames } from '@civicgrid/core/api/places';
import {
  defaultResidentTags,
  type Resident,
  residenceTypeNames,
  residenceTypes,
  type residentHousehold,
} from '@civicgrid/core/api/residents';
import type { CaseState } from '@civicgrid/core/cases/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { applyFieldErrors, errorMessage, get, post, put } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt, StateTag, useTrees } from '../cases/shared.js';
import { ImportModal } from '../common/ImportModal.js';

type ResidentHousehold = import('zod').infer<typeof residentHousehold>;
export const riskColors = { high: 'red', medium: 'orange', low: 'green' } as const;

interface Filters {
  q?: string;
  idNumber?: string;
  phone?: string;
  orgUnitId?: number;
  tag?: string;
  residenceType?: string;
  ageFrom?: number;
  ageTo?: number;
  address?: string;
}

/** Search that decides by what was typed: 18 characters is an ID, 11 digits a phone, else a name. */
function searchFilters(text: string): Filters {
  const s = text.trim();
  if (/^\d{17}[\dXx]$/.test(s)) return { idNumber: s };
  if (/^1[3-9]\d{9}$/.test(s)) return { phone: s };
  return s ? { q: s } : {};
}

const relations = ['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '其他'];

/** 登记住址: the person joins the household of a housing unit (one is made if it has none). */
function SettleModal({ resident, onClose }: { resident: Resident | null; onClose: () => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [term, setTerm] = useState('');
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const found = useQuery({
    queryKey: ['settle-buildings', term],
    queryFn: () =>
      get<{ items: { id: number; name: string; address: string }[] }>(
        `/api/buildings?pageSize=20&q=${encodeURIComponent(term)}`,
      ),
    enabled: resident !== null,
  });
  const units = useQuery({
    queryKey: ['building', buildingId],
    queryFn: () =>
      get<{ units: { id: number; unitNo: number; floor: number; room: string }[] }>(
        `/api/buildings/${buildingId}`,
      ),
    enabled: buildingId !== null,
  });
  return (
    <Modal
      open={resident !== null}
      title={`登记住址：${resident?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'settle-save' }}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          try {
            await put(`/api/residents/${resident?.id}/household`, {
              housingUnitId: v.housingUnitId,
              relationToHead: v.relationToHead,
            });
            message.success('住址已登记');
            void qc.invalidateQueries({ queryKey: ['resident-household', resident?.id] });
            void qc.invalidateQueries({ queryKey: ['residents'] });
            onClose();
          } catch (e) {
            if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
          }
        }}
      >
        <Form.Item label="楼栋" required>
          <Select
            showSearch
            filterOption={false}
            placeholder="输入楼栋名称或地址查找"
            onSearch={setTerm}
            onChange={(id: number) => {
              setBuildingId(id);
              form.setFieldValue('housingUnitId', undefined);
            }}
            options={(found.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.address}` }))}
            data-testid="settle-building"
          />
        </Form.Item>
        <Form.Item name="housingUnitId" label="房屋" rules={[{ required: true, message: '请选择房屋' }]}>
          <Select
            disabled={buildingId === null}
            showSearch
            optionFilterProp="label"
            options={(units.data?.units ?? []).map((u) => ({
              value: u.id,
              label: `${u.unitNo}单元 ${u.floor}${u.room}室`,
            }))}
            data-testid="settle-unit"
          />
        </Form.Item>
        <Form.Item
          name="relationToHead"
          label="与户主关系"
          rules={[{ required: true, message: '请选择与户主关系' }]}
        >
          <Select options={relations.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResidentDrawer({ resident, onClose }: { resident: Resident | null; onClose: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<{ idNumber: string; phone: string | null } | null>(null);
  const [settling, setSettling] = useState(false);
  const reported = useQuery({
    queryKey: ['resident-cases', resident?.id],
    queryFn: () =>
      get<{
        items: { id: string; code: string; status: string; categoryName: string; reportedAt: string }[];
      }>(`/api/residents/${resident?.id}/cases`),
    enabled: resident !== null,
  });
  const household = useQuery({
    queryKey: ['resident-household', resident?.id],
    queryFn: () => get<ResidentHousehold>(`/api/residents/${resident?.id}/household`),
    enabled: resident !== null,
  });
  const householdId = household.data?.household?.id;
  const visits = useQuery({
    queryKey: ['household-visits', householdId],
    queryFn: () =>
      get<{ items: { id: string; visitedAt: string; notes: string; by: string }[] }>(
        `/api/households/${householdId}/visits`,
      ),
    enabled: householdId !== undefined,
  });
  const care = useQuery({
    queryKey: ['resident-care', resident?.id],
    queryFn: () => get<{ items: CareCase[] }>(`/api/residents/${resident?.id}/care`),
    enabled: resident !== null && can('care:read'),
  });
  const moves = useQuery({
    queryKey: ['resident-moves', resident?.id],
    queryFn: () =>
      get<{
        items: {
          fromGridName: string | null;
          toGridName: string;
          at: string;
          by: string;
          note: string | null;
        }[];
      }>(`/api/residents/${resident?.id}/moves`),
    enabled: resident !== null,
  });
  return (
    <Drawer
      open={resident !== null}
      onClose={() => {
        setRevealed(null);
        onClose();
      }}
      width={520}
      title={resident ? `${resident.name}（一人一档）` : ''}
    >
      {resident && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="身份证号">
              <Space>
                <span data-testid="resident-id-number">{revealed?.idNumber ?? resident.idNumber}</span>
                {can('pii:reveal') && !revealed && (
                  <Button
                    size="small"
                    icon={<EyeOutlined />}
                    data-testid="resident-reveal"
                    onClick={async () => {
                      try {
                        setRevealed(await post(`/api/residents/${resident.id}/reveal`));
                        message.info('查看完整信息已记入审计日志');
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  >
                    查看完整
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="手机号">
              {revealed ? (revealed.phone ?? '—') : (resident.phone ?? '—')}
            </Descriptions.Item>
            <Descriptions.Item label="性别 / 年龄">
              {resident.sex === 'male' ? '男' : '女'} / {resident.age} 岁（{resident.birthDate}）
            </Descriptions.Item>
            <Descriptions.Item label="籍贯代码">{resident.birthplaceCode}</Descriptions.Item>
            <Descriptions.Item label="居住类型">
              {residenceTypeNames[resident.residenceType]}
            </Descriptions.Item>
            <Descriptions.Item label="所在网格">
              {resident.communityName} / {resident.gridName}
            </Descriptions.Item>
            <Descriptions.Item label="与户主关系">{resident.relationToHead ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="标签">
              {resident.tags.length ? resident.tags.map((t) => <Tag key={t}>{t}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="备注">{resident.notes ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title="家庭与住房"
            data-testid="resident-household"
            extra={
              can('resident:write') && (
                <Button size="small" onClick={() => setSettling(true)} data-testid="resident-settle">
                  {household.data?.household ? '变更住址' : '登记住址'}
                </Button>
              )
            }
          >
            {household.data?.household ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>
                  {household.data.household.housing ? (
                    <>
                      住址：
                      <Link to={`/places?building=${household.data.household.housing.buildingId}`}>
                        {household.data.household.housing.address}
                      </Link>
                      （{housingUseNames[household.data.household.housing.use as 'rented'] ?? ''}）
                    </>
                  ) : (
                    '未登记住房'
                  )}
                </Typography.Text>
                <Typography.Text type="secondary">户号 {household.data.household.code}</Typography.Text>
                <Space wrap>
                  {household.data.household.members.map((m) => (
                    <Tag key={m.id} color={m.id === resident.id ? 'blue' : undefined}>
                      {m.name} · {m.relationToHead ?? '成员'} · {m.age}岁
                    </Tag>
                  ))}
                </Space>
              </Space>
            ) : (
              <Typography.Text type="secondary">尚未登记家庭户</Typography.Text>
            )}
          </Card>
          {can('care:read') && (care.data?.items.length ?? 0) > 0 && (
            <Card size="small" title="关爱帮扶（仅负责人员与督导可见，查阅已记入审计）">
              {care.data?.items.map((c) => (
                <div key={c.id}>
                  <Link to={`/care?case=${c.id}`}>{c.categoryName}</Link>{' '}
                  <Tag color={riskColors[c.riskLevel]}>风险{riskLevelNames[c.riskLevel]}</Tag>
                  {c.status === 'open' ? <span>下次走访 {fmt(c.nextVisitDue)}</span> : <Tag>已结案</Tag>}
                  {c.overdue && <Tag color="red">走访逾期</Tag>}
                </div>
              ))}
            </Card>
          )}
          {(visits.data?.items.length ?? 0) > 0 && (
            <Card size="small" title="入户走访">
              <Timeline
                items={(visits.data?.items ?? []).slice(0, 10).map((v) => ({
                  children: (
                    <span>
                      {fmt(v.visitedAt)}（{v.by}）{v.notes}
                    </span>
                  ),
                }))}
              />
            </Card>
          )}
          <Card size="small" title="反映的问题（按手机号匹配）">
            {(reported.data?.items.length ?? 0) === 0 ? (
              <Typography.Text type="secondary">无</Typography.Text>
            ) : (
              reported.data?.items.map((c) => (
                <div key={c.id}>
                  <Link to={`/cases/${c.id}`}>{c.code}</Link> {c.categoryName}{' '}
                  <StateTag state={c.status as CaseState} /> {fmt(c.reportedAt)}
                </div>
              ))
            )}
          </Card>
          <SettleModal resident={settling ? resident : null} onClose={() => setSettling(false)} />
          <Card size="small" title="居住变动">
            <Timeline
              items={(moves.data?.items ?? []).map((m) => ({
                children: (
                  <span>
                    {fmt(m.at)} {m.fromGridName ? `${m.fromGridName} → ` : ''}
                    {m.toGridName}（{m.by}）{m.note ?? ''}
                  </span>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

/** 实有人口: search by name, ID or phone; filters; register; import; the one-person file. */
export default function ResidentsPage() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [open, setOpen] = useState<Resident | null>(null);
  const [form] = Form.useForm();
  const qs = new URLSearchParams(
    Object.entries({ ...filters, ...page }).flatMap(([k, v]) =>
      v === undefined || v === '' ? [] : [[k, String(v)]],
    ),
  ).toString();
  const list = useQuery({
    queryKey: ['residents', qs],
    queryFn: () => get<{ items: Resident[]; total: number }>(`/api/residents?${qs}`),
  });
  const { grids, units: areas } = trees;
  const set = (f: Partial<Filters>) => {
    setFilters((cur) => ({ ...cur, ...f }));
    setPage((p) => ({ ...p, page: 1 }));
  };
  return (
    <Card
      title="实有人口"
      extra={
        <Space>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/residents/export.xlsx?${new URLSearchParams(
              Object.entries(filters).flatMap(([k, v]) =>
                v === undefined || v === '' ? [] : [[k, String(v)]],
              ),
            ).toString()}`}
          >
            导出
          </Button>
          {can('resident:write') && (
            <Space>
              <Button
                icon={<UploadOutlined />}
                onClick={() => setImporting(true)}
                data-testid="resident-import"
              >
                导入
              </Button>
              <Button type="primary" onClick={() => setCreating(true)} data-testid="resident-create">
                登记人员
              </Button>
            </Space>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="姓名、身份证号或手机号"
          allowClear
          style={{ width: 260 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) =>
            setFilters((cur) => ({
              ...cur,
              q: undefined,
              idNumber: undefined,
              phone: undefined,
              ...searchFilters(v),
            }))
          }
          data-testid="resident-search"
        />
        <Input.Search
          placeholder="住址（路名、门牌、楼栋）"
          allowClear
          style={{ width: 220 }}
          onSearch={(v) => set({ address: v || undefined })}
          data-testid="resident-address"
        />
        <TreeSelect
          placeholder="区域"
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 200 }}
          treeData={areas}
          onChange={(v) => set({ orgUnitId: v })}
        />
        <Select
          placeholder="标签"
          allowClear
          style={{ width: 130 }}
          options={defaultResidentTags.map((t) => ({ value: t, label: t }))}
          onChange={(v) => set({ tag: v })}
        />
        <Select
          placeholder="居住类型"
          allowClear
          style={{ width: 160 }}
          options={residenceTypes.map((t) => ({ value: t, label: residenceTypeNames[t] }))}
          onChange={(v) => set({ residenceType: v })}
        />
        <Space.Compact>
          <InputNumber
            placeholder="年龄从"
            min={0}
            max={150}
            onChange={(v) => set({ ageFrom: v ?? undefined })}
          />
          <InputNumber placeholder="到" min={0} max={150} onChange={(v) => set({ ageTo: v ?? undefined })} />
        </Space.Compact>
      </Space>
      <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
        <Table<Resident>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: '暂无人员' }}
          onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (n) => `共 ${n} 人`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: '姓名', dataIndex: 'name', width: 100 },
            { title: '身份证号', dataIndex: 'idNumber', width: 190 },
            {
              title: '性别',
              dataIndex: 'sex',
              width: 60,
              render: (s: string) => (s === 'male' ? '男' : '女'),
            },
            { title: '年龄', dataIndex: 'age', width: 60 },
            { title: '手机号', dataIndex: 'phone', width: 130, render: (p: string | null) => p ?? '—' },
            {
              title: '居住类型',
              dataIndex: 'residenceType',
              width: 120,
              render: (t: Resident['residenceType']) => residenceTypeNames[t],
            },
            { title: '所在网格', dataIndex: 'gridName', ellipsis: true },
            {
              title: '标签',
              dataIndex: 'tags',
              render: (tags: string[]) => tags.map((t) => <Tag key={t}>{t}</Tag>),
            },
          ]}
        />
      </QueryState>
      <Modal
        open={creating}
        title="登记人员"
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'resident-save' }}
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="出生日期、性别、籍贯由身份证号自动得出；身份证号与手机号加密保存。"
        />
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            try {
              await post('/api/residents', v);
              message.success('已登记');
              setCreating(false);
              void qc.invalidateQueries({ queryKey: ['residents'] });
            } catch (e) {
              if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
            }
          }}
        >
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="idNumber" label="身份证号" rules={[{ required: true, message: '请填写身份证号' }]}>
            <Input maxLength={18} data-testid="resident-id-input" />
          </Form.Item>
          <Form.Item
            name="phone"
            label="手机号"
            rules={[{ pattern: /^1[3-9]\d{9}$/, message: '请输入11位手机号' }]}
          >
            <Input maxLength={11} />
          </Form.Item>
          <Form.Item name="gridId" label="所在网格" rules={[{ required: true, message: '请选择网格' }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={grids} placeholder="选择网格" />
          </Form.Item>
          <Form.Item name="residenceType" label="居住类型" initialValue="registered">
            <Select options={residenceTypes.map((t) => ({ value: t, label: residenceTypeNames[t] }))} />
          </Form.Item>
          <Form.Item name="tags" label="标签">
            <Select mode="tags" options={defaultResidentTags.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="notes" label="备注">
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title="导入实有人口"
        kind="residents"
        hint="支持 Excel（.xlsx）与 CSV。按身份证号更新已有人员，同一文件重复导入不会产生重复。"
        refresh={['residents']}
      />
      <ResidentDrawer resident={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
