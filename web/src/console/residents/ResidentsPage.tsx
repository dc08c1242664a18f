import { DownloadOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import { type Resident, type RevealedResident, residenceTypes } from '@civicgrid/core/api/residents';
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
  Popconfirm,
  Select,
  Space,
  Tag,
  Timeline,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { type Body, call } from '../../common/client.js';
import { downloadExport } from '../../common/download.js';
import { residentsZh } from '../../common/i18n/modules/residents.js';
import { ExportButton, ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { fmt, StateTag, useTrees } from '../cases/shared.js';
import { ImportModal } from '../common/ImportModal.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

export const riskColors = { high: 'red', medium: 'orange', low: 'green' } as const;

const filterKeys = [
  'q',
  'idNumber',
  'phone',
  'address',
  'orgUnitId',
  'tag',
  'residenceType',
  'ageFrom',
  'ageTo',
] as const;
type FilterKey = (typeof filterKeys)[number];

/** Search that decides by what was typed: 18 characters is an ID, 11 digits a phone, else a name. */
function searchFilters(text: string): Partial<Record<FilterKey, string>> {
  const s = text.trim();
  if (/^\d{17}[\dXx]$/.test(s)) return { idNumber: s };
  if (/^1[3-9]\d{9}$/.test(s)) return { phone: s };
  return s ? { q: s } : {};
}

/** Relations and tags are stored in Chinese; known ones are shown in the user's language. */
const relations = Object.values(residentsZh.relations);
const keyOf = (names: Record<string, string>) =>
  Object.fromEntries(Object.entries(names).map(([key, zh]) => [zh, key]));
const relationKeys = keyOf(residentsZh.relations);
const tagKeys = keyOf(residentsZh.tags);

/** The tag library's active tags, as select options in the user's language. */
function useTagOptions() {
  const label = useLabels();
  const tags = useQuery({
    queryKey: ['resident-tags'],
    queryFn: () => call('GET /api/resident-tags'),
    staleTime: 60_000,
  });
  return (tags.data?.items ?? []).map((x) => ({ value: x.name, label: label.tag(x.name) }));
}

function useLabels() {
  const { t, i18n } = useTranslation();
  return {
    t,
    /** English words are longer: a few widths grow in English only. */
    en: i18n.language === 'en-US',
    relation: (r: string) => (relationKeys[r] ? t(`residents.relations.${relationKeys[r]}`) : r),
    tag: (tag: string) => (tagKeys[tag] ? t(`residents.tags.${tagKeys[tag]}`) : tag),
    sex: (s: string) => t(s === 'male' ? 'residents.sex.male' : 'residents.sex.female'),
    residenceType: (r: Resident['residenceType']) => t(`residents.residenceTypes.${r}`),
  };
}

/** 登记住址: the person joins the household of a housing unit (one is made if it has none). */
function SettleModal({ resident, onClose }: { resident: Resident | null; onClose: () => void }) {
  const { t, relation } = useLabels();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [term, setTerm] = useState('');
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const found = useQuery({
    queryKey: ['settle-buildings', term],
    queryFn: () => call('GET /api/buildings', { query: { pageSize: 20, q: term } }),
    enabled: resident !== null,
  });
  const units = useQuery({
    queryKey: ['building', buildingId],
    queryFn: () => call('GET /api/buildings/:id', { params: { id: buildingId as number } }),
    enabled: buildingId !== null,
  });
  const { send: settle } = useFormSubmit(
    form,
    (v: {
      housingUnitId: number;
      relationToHead: Body<'PUT /api/residents/:id/household'>['relationToHead'];
    }) =>
      call('PUT /api/residents/:id/household', {
        params: { id: resident?.id as string },
        body: { housingUnitId: v.housingUnitId, relationToHead: v.relationToHead },
      }),
    {
      success: t('residents.settle.saved'),
      onDone: () => {
        void qc.invalidateQueries({ queryKey: ['resident-household', resident?.id] });
        void qc.invalidateQueries({ queryKey: ['residents'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open={resident !== null}
      title={t('residents.settle.title', { name: resident?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'settle-save' }}
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={settle}>
        <Form.Item label={t('residents.settle.building')} required>
          <Select
            showSearch
            filterOption={false}
            placeholder={t('residents.settle.buildingPlaceholder')}
            onSearch={setTerm}
            onChange={(id: number) => {
              setBuildingId(id);
              form.setFieldValue('housingUnitId', undefined);
            }}
            options={(found.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.address}` }))}
            data-testid="settle-building"
          />
        </Form.Item>
        <Form.Item
          name="housingUnitId"
          label={t('residents.settle.unit')}
          rules={[{ required: true, message: t('residents.settle.unitRequired') }]}
        >
          <Select
            disabled={buildingId === null}
            showSearch
            optionFilterProp="label"
            options={(units.data?.units ?? []).map((u) => ({
              value: u.id,
              label: t('residents.settle.unitLabel', { unitNo: u.unitNo, floor: u.floor, room: u.room }),
            }))}
            data-testid="settle-unit"
          />
        </Form.Item>
        <Form.Item
          name="relationToHead"
          label={t('residents.fields.relationToHead')}
          rules={[{ required: true, message: t('residents.settle.relationRequired') }]}
        >
          <Select options={relations.map((r) => ({ value: r, label: relation(r) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResidentDrawer({ resident, onClose }: { resident: Resident | null; onClose: () => void }) {
  const { t, ...label } = useLabels();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<RevealedResident | null>(null);
  const [settling, setSettling] = useState(false);
  const reported = useQuery({
    queryKey: ['resident-cases', resident?.id],
    queryFn: () => call('GET /api/residents/:id/cases', { params: { id: resident?.id as string } }),
    enabled: resident !== null,
  });
  const household = useQuery({
    queryKey: ['resident-household', resident?.id],
    queryFn: () => call('GET /api/residents/:id/household', { params: { id: resident?.id as string } }),
    enabled: resident !== null,
  });
  const householdId = household.data?.household?.id;
  const visits = useQuery({
    queryKey: ['household-visits', householdId],
    queryFn: () => call('GET /api/households/:id/visits', { params: { id: householdId as number } }),
    enabled: householdId !== undefined,
  });
  const care = useQuery({
    queryKey: ['resident-care', resident?.id],
    queryFn: () => call('GET /api/residents/:id/care', { params: { id: resident?.id as string } }),
    enabled: resident !== null && can('care:read'),
  });
  const moves = useQuery({
    queryKey: ['resident-moves', resident?.id],
    queryFn: () => call('GET /api/residents/:id/moves', { params: { id: resident?.id as string } }),
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
      title={resident ? t('residents.drawer.title', { name: resident.name }) : ''}
    >
      {resident && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('residents.fields.idNumber')}>
              <Space>
                <span data-testid="resident-id-number">{revealed?.idNumber ?? resident.idNumber}</span>
                {can('pii:reveal') && !revealed && (
                  <Button
                    size="small"
                    icon={<EyeOutlined />}
                    data-testid="resident-reveal"
                    onClick={async () => {
                      try {
                        setRevealed(
                          await call('POST /api/residents/:id/reveal', { params: { id: resident.id } }),
                        );
                        message.info(t('residents.drawer.revealed'));
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  >
                    {t('residents.drawer.reveal')}
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.phone')}>
              {revealed ? (revealed.phone ?? '—') : (resident.phone ?? '—')}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.sexAge')}>
              {/* The birth date is the masked part of the ID number: shown only once revealed. */}
              {revealed
                ? t('residents.drawer.sexAgeBirthValue', {
                    sex: label.sex(resident.sex),
                    age: resident.age,
                    birthDate: revealed.birthDate,
                  })
                : t('residents.drawer.sexAgeValue', { sex: label.sex(resident.sex), age: resident.age })}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.birthplaceCode')}>
              {resident.birthplaceCode}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.residenceType')}>
              {label.residenceType(resident.residenceType)}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.grid')}>
              {resident.communityName} / {resident.gridName}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.relationToHead')}>
              {resident.relationToHead ? label.relation(resident.relationToHead) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.tags')}>
              {resident.tags.length ? resident.tags.map((tag) => <Tag key={tag}>{label.tag(tag)}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.fields.notes')}>{resident.notes ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title={t('residents.drawer.household')}
            data-testid="resident-household"
            extra={
              can('resident:write') && (
                <Button size="small" onClick={() => setSettling(true)} data-testid="resident-settle">
                  {household.data?.household
                    ? t('residents.drawer.changeAddress')
                    : t('residents.drawer.settle')}
                </Button>
              )
            }
          >
            {household.data?.household ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>
                  {household.data.household.housing ? (
                    <>
                      {t('residents.drawer.address')}
                      <Link to={`/places?building=${household.data.household.housing.buildingId}`}>
                        {household.data.household.housing.address}
                      </Link>
                      {t('residents.drawer.housingUse', {
                        use: t(`residents.housingUse.${household.data.household.housing.use}`, {
                          defaultValue: '',
                        }),
                      })}
                    </>
                  ) : (
                    t('residents.drawer.noHousing')
                  )}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('residents.drawer.householdCode', { code: household.data.household.code })}
                </Typography.Text>
                <Space wrap>
                  {household.data.household.members.map((m) => (
                    <Tag key={m.id} color={m.id === resident.id ? 'blue' : undefined}>
                      {t('residents.drawer.member', {
                        name: m.name,
                        relation: m.relationToHead
                          ? label.relation(m.relationToHead)
                          : t('residents.drawer.memberDefault'),
                        age: m.age,
                      })}
                    </Tag>
                  ))}
                </Space>
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('residents.drawer.noHousehold')}</Typography.Text>
            )}
          </Card>
          {can('care:read') && (care.data?.items.length ?? 0) > 0 && (
            <Card size="small" title={t('residents.drawer.care')}>
              {care.data?.items.map((c) => (
                <div key={c.id}>
                  <Link to={`/care?case=${c.id}`}>{c.categoryName}</Link>{' '}
                  <Tag color={riskColors[c.riskLevel]}>
                    {t('residents.drawer.risk', { level: t(`residents.riskLevels.${c.riskLevel}`) })}
                  </Tag>
                  {c.status === 'open' ? (
                    <span>{t('residents.drawer.nextVisit', { date: fmt(c.nextVisitDue) })}</span>
                  ) : (
                    <Tag>{t('residents.drawer.closed')}</Tag>
                  )}
                  {c.overdue && <Tag color="red">{t('residents.drawer.visitOverdue')}</Tag>}
                </div>
              ))}
            </Card>
          )}
          {(visits.data?.items.length ?? 0) > 0 && (
            <Card size="small" title={t('residents.drawer.visits')}>
              <Timeline
                items={(visits.data?.items ?? []).slice(0, 10).map((v) => ({
                  children: (
                    <span>
                      {fmt(v.visitedAt)}
                      {t('residents.drawer.by', { name: v.by })}
                      {v.notes}
                    </span>
                  ),
                }))}
              />
            </Card>
          )}
          <Card size="small" title={t('residents.drawer.reported')}>
            {(reported.data?.items.length ?? 0) === 0 ? (
              <Typography.Text type="secondary">{t('residents.drawer.none')}</Typography.Text>
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
          <Card size="small" title={t('residents.drawer.moves')}>
            <Timeline
              items={(moves.data?.items ?? []).map((m) => ({
                children: (
                  <span>
                    {fmt(m.at)} {m.fromGridName ? `${m.fromGridName} → ` : ''}
                    {m.toGridName}
                    {t('residents.drawer.by', { name: m.by })}
                    {m.note ?? ''}
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
  const { t, ...label } = useLabels();
  const tagOptions = useTagOptions();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [open, setOpen] = useState<Resident | null>(null);
  const [form] = Form.useForm();
  const { send: create } = useFormSubmit(
    form,
    (body: Body<'POST /api/residents'>) => call('POST /api/residents', { body }),
    {
      success: t('residents.create.saved'),
      onDone: () => {
        setCreating(false);
        void qc.invalidateQueries({ queryKey: ['residents'] });
      },
    },
  );
  // The searched name, ID number or phone stays out of the URL (history, shared links).
  const list = usePagedList<Resident, FilterKey>({
    url: '/api/residents',
    key: 'residents',
    filters: filterKeys,
    transient: ['q', 'idNumber', 'phone'],
  });
  const filters = list.filters;
  const { grids, units: areas } = trees;
  const set = (f: Partial<Record<FilterKey, string | number | undefined>>) =>
    list.setFilters(
      Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === undefined ? undefined : String(v)])),
    );
  return (
    <ListPage<Resident>
      title={t('residents.list.title')}
      list={list}
      empty={t('residents.list.empty')}
      totalText={(n) => t('residents.list.total', { count: n })}
      actions={
        <Space>
          <ExportButton
            url="/api/residents/export.xlsx"
            query={list.filterQuery}
            fileName="实有人口.xlsx"
            label={t('residents.list.export')}
          />
          {can('pii:reveal') && (
            <Popconfirm
              title={t('residents.list.exportRevealConfirm')}
              onConfirm={async () => {
                const params = new URLSearchParams(list.filterQuery);
                params.set('reveal', 'true');
                try {
                  await downloadExport(
                    `/api/residents/export.xlsx?${params}`,
                    t('residents.list.exportRevealFile'),
                  );
                } catch (e) {
                  message.error(errorMessage(e));
                }
              }}
            >
              <Button icon={<DownloadOutlined />} data-testid="resident-export-reveal">
                {t('residents.list.exportReveal')}
              </Button>
            </Popconfirm>
          )}
          {can('resident:write') && (
            <Space>
              <Button
                icon={<UploadOutlined />}
                onClick={() => setImporting(true)}
                data-testid="resident-import"
              >
                {t('residents.list.import')}
              </Button>
              <Button type="primary" onClick={() => setCreating(true)} data-testid="resident-create">
                {t('residents.list.create')}
              </Button>
            </Space>
          )}
        </Space>
      }
      filters={
        <>
          <Input.Search
            placeholder={t('residents.list.searchPlaceholder')}
            allowClear
            style={{ width: 260 }}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) =>
              list.setFilters({ q: undefined, idNumber: undefined, phone: undefined, ...searchFilters(v) })
            }
            data-testid="resident-search"
          />
          <Input.Search
            placeholder={t('residents.list.addressPlaceholder')}
            allowClear
            style={{ width: label.en ? 280 : 220 }}
            key={filters.address ?? ''}
            defaultValue={filters.address}
            onSearch={(v) => set({ address: v.trim() || undefined })}
            data-testid="resident-address"
          />
          <TreeSelect
            placeholder={t('residents.list.area')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 200 }}
            treeData={areas}
            value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
            onChange={(v) => set({ orgUnitId: v })}
          />
          <Select
            placeholder={t('residents.fields.tags')}
            allowClear
            style={{ width: 130 }}
            options={tagOptions}
            value={filters.tag}
            onChange={(v) => set({ tag: v })}
          />
          <Select
            placeholder={t('residents.fields.residenceType')}
            allowClear
            style={{ width: 160 }}
            options={residenceTypes.map((r) => ({ value: r, label: label.residenceType(r) }))}
            value={filters.residenceType}
            onChange={(v) => set({ residenceType: v })}
          />
          <Space.Compact>
            <InputNumber
              placeholder={t('residents.list.ageFrom')}
              min={0}
              max={150}
              value={filters.ageFrom ? Number(filters.ageFrom) : null}
              onChange={(v) => set({ ageFrom: v ?? undefined })}
            />
            <InputNumber
              placeholder={t('residents.list.ageTo')}
              min={0}
              max={150}
              value={filters.ageTo ? Number(filters.ageTo) : null}
              onChange={(v) => set({ ageTo: v ?? undefined })}
            />
          </Space.Compact>
        </>
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        onRow: (r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('residents.fields.name'), dataIndex: 'name', width: 100 },
          { title: t('residents.fields.idNumber'), dataIndex: 'idNumber', width: 190 },
          {
            title: t('residents.fields.sex'),
            dataIndex: 'sex',
            width: label.en ? 80 : 60,
            render: (s: string) => label.sex(s),
          },
          { title: t('residents.fields.age'), dataIndex: 'age', width: 60 },
          {
            title: t('residents.fields.phone'),
            dataIndex: 'phone',
            width: 130,
            render: (p: string | null) => p ?? '—',
          },
          {
            title: t('residents.fields.residenceType'),
            dataIndex: 'residenceType',
            width: 120,
            render: (r: Resident['residenceType']) => label.residenceType(r),
          },
          { title: t('residents.fields.grid'), dataIndex: 'gridName', ellipsis: true },
          {
            title: t('residents.fields.tags'),
            dataIndex: 'tags',
            render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{label.tag(tag)}</Tag>),
          },
        ],
      }}
    >
      <Modal
        open={creating}
        title={t('residents.create.title')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'resident-save' }}
      >
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('residents.create.alert')} />
        <Form form={form} layout="vertical" preserve={false} onFinish={create}>
          <Form.Item
            name="name"
            label={t('residents.fields.name')}
            rules={[{ required: true, message: t('residents.create.nameRequired') }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('residents.fields.idNumber')}
            rules={[{ required: true, message: t('residents.create.idNumberRequired') }]}
          >
            <Input maxLength={18} data-testid="resident-id-input" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('residents.fields.phone')}
            rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('residents.create.phoneInvalid') }]}
          >
            <Input maxLength={11} />
          </Form.Item>
          <Form.Item
            name="gridId"
            label={t('residents.fields.grid')}
            rules={[{ required: true, message: t('residents.create.gridRequired') }]}
          >
            <TreeSelect
              showSearch
              treeNodeFilterProp="title"
              treeData={grids}
              placeholder={t('residents.create.gridPlaceholder')}
            />
          </Form.Item>
          <Form.Item
            name="residenceType"
            label={t('residents.fields.residenceType')}
            initialValue="registered"
          >
            <Select options={residenceTypes.map((r) => ({ value: r, label: label.residenceType(r) }))} />
          </Form.Item>
          <Form.Item name="tags" label={t('residents.fields.tags')}>
            {/* Only tags of the library (人口标签库, kept by an admin). */}
            <Select mode="multiple" options={tagOptions} optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="notes" label={t('residents.fields.notes')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        title={t('residents.list.importTitle')}
        kind="residents"
        hint={t('residents.list.importHint')}
        refresh={['residents']}
      />
      <ResidentDrawer resident={open} onClose={() => setOpen(null)} />
    </ListPage>
  );
}
