import type { careLevels, ElderProfileInput, mobilities } from '@civicgrid/core/api/eldercare';
import type { ElderSummary } from '@civicgrid/core/api/elders';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const filterKeys = ['q', 'minAge', 'livingAlone', 'careLevel', 'allowance'] as const;
const careColors = { selfCare: 'green', partial: 'gold', dependent: 'red' } as const;

/**
 * 老年人档案: the elders (60+) of the user's area, oldest first, with their care flags, whether a
 * wearable watches over them, and 高龄津贴 at 80 — applied for or not yet, linked to the
 * service centre's application. A row opens the elder's file (health data only for those who
 * need it, every read audited by the server).
 */
export default function EldersPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<ElderSummary, (typeof filterKeys)[number]>({
    url: '/api/elders',
    key: 'elders',
    filters: filterKeys,
  });
  return (
    <ListPage<ElderSummary>
      title={t('elder.elders.title')}
      testId="elders-page"
      list={list}
      empty={t('elder.elders.empty')}
      totalText={(n) => t('elder.elders.total', { count: n })}
      filters={
        <>
          <Input.Search
            allowClear
            placeholder={t('elder.elders.search')}
            style={{ width: 160 }}
            defaultValue={list.filters.q}
            onSearch={(v) => list.setFilters({ q: v.trim() || undefined })}
          />
          <Select
            style={{ width: 120 }}
            value={list.filters.minAge ?? '60'}
            onChange={(v: string) => list.setFilters({ minAge: v === '60' ? undefined : v })}
            options={['60', '70', '80', '90'].map((a) => ({
              value: a,
              label: t('elder.elders.ageFrom', { age: a }),
            }))}
            data-testid="elders-min-age"
          />
          <Select
            allowClear
            placeholder={t('elder.elders.careLevel')}
            style={{ width: 130 }}
            value={list.filters.careLevel}
            onChange={(v?: string) => list.setFilters({ careLevel: v })}
            options={(['selfCare', 'partial', 'dependent'] as const).map((c) => ({
              value: c,
              label: t(`elder.elders.care.${c}`),
            }))}
          />
          <Select
            allowClear
            placeholder={t('elder.elders.allowance')}
            style={{ width: 160 }}
            value={list.filters.allowance}
            onChange={(v?: string) => list.setFilters({ allowance: v })}
            options={(['unapplied', 'applied'] as const).map((a) => ({
              value: a,
              label: t(`elder.elders.allowanceFilter.${a}`),
            }))}
            data-testid="elders-allowance"
          />
          <Checkbox
            checked={list.filters.livingAlone === 'true'}
            onChange={(e) => list.setFilters({ livingAlone: e.target.checked ? 'true' : undefined })}
          >
            {t('elder.elders.livingAlone')}
          </Checkbox>
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'elders-table',
        scroll: { x: 980 },
        onRow: (e) => ({ onClick: () => setOpen(e.id), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('elder.elders.name'), dataIndex: 'name', width: 90 },
          {
            title: t('elder.elders.age'),
            key: 'age',
            width: 90,
            render: (_, e) => `${t(`elder.elders.sex.${e.sex}`)} ${e.age}`,
          },
          {
            title: t('elder.elders.place'),
            key: 'place',
            width: 230,
            render: (_, e) => [e.communityName, e.gridName].filter(Boolean).join(' / '),
          },
          {
            title: t('elder.elders.flags'),
            key: 'flags',
            render: (_, e) => (
              <Space size={[0, 4]} wrap>
                {e.livingAlone && <Tag color="red">{t('elder.elders.livingAlone')}</Tag>}
                {e.emptyNest && <Tag color="orange">{t('elder.elders.emptyNest')}</Tag>}
                {e.disability && <Tag color="purple">{t('elder.elders.disability')}</Tag>}
                {e.hasDevice && <Tag color="blue">{t('elder.elders.device')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('elder.elders.careLevel'),
            dataIndex: 'careLevel',
            width: 100,
            render: (c: ElderSummary['careLevel']) => (
              <Tag color={careColors[c]}>{t(`elder.elders.care.${c}`)}</Tag>
            ),
          },
          {
            title: t('elder.elders.allowance'),
            key: 'allowance',
            width: 150,
            render: (_, e) => <Allowance elder={e} />,
          },
        ],
      }}
    >
      <ElderDrawer id={open} onClose={() => setOpen(null)} />
    </ListPage>
  );
}

function Allowance({ elder: e }: { elder: ElderSummary }) {
  const { t } = useTranslation();
  if (!e.allowance.eligible) return <span style={{ color: '#999' }}>—</span>;
  if (!e.allowance.applicationId)
    return (
      <Tag color="gold" data-testid="elder-allowance-unapplied">
        {t('elder.elders.allowanceFilter.unapplied')}
      </Tag>
    );
  return (
    <Link
      to={`/applications/${e.allowance.applicationId}`}
      onClick={(ev) => ev.stopPropagation()}
      data-testid="elder-allowance-link"
    >
      {t(`services.states.${e.allowance.status}`, e.allowance.status ?? '')}
    </Link>
  );
}

type Profile = Awaited<ReturnType<typeof loadProfile>>;
const loadProfile = (residentId: string) =>
  call('GET /api/elders/:residentId/profile', { params: { residentId } });

function ElderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [editing, setEditing] = useState(false);
  const detail = useQuery({
    queryKey: ['elders', 'profile', id],
    queryFn: () => loadProfile(id as string),
    enabled: id !== null,
  });
  const p = detail.data;
  const close = () => {
    setEditing(false);
    onClose();
  };
  return (
    <Drawer
      open={id !== null}
      onClose={close}
      width={560}
      title={editing ? t('elder.elders.editTitle') : t('elder.elders.file')}
      data-testid="elder-drawer"
      destroyOnHidden
      extra={
        p && !editing && can('eldercare:write') ? (
          <Button type="primary" onClick={() => setEditing(true)} data-testid="elder-edit">
            {t('elder.elders.edit')}
          </Button>
        ) : null
      }
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {p && editing && <ElderForm profile={p} onDone={() => setEditing(false)} />}
        {p && !editing && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('elder.elders.name')}>
              {p.name}（{p.age}）
            </Descriptions.Item>
            <Descriptions.Item label={t('elder.elders.flags')}>
              <Space size={[0, 4]} wrap>
                {p.livingAlone && <Tag color="red">{t('elder.elders.livingAlone')}</Tag>}
                {p.emptyNest && <Tag color="orange">{t('elder.elders.emptyNest')}</Tag>}
                {p.disability && <Tag color="purple">{t('elder.elders.disability')}</Tag>}
                {!p.livingAlone && !p.emptyNest && !p.disability && '—'}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('elder.elders.careLevel')}>
              <Tag color={careColors[p.careLevel]}>{t(`elder.elders.care.${p.careLevel}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('elder.elders.mobility')}>
              <span data-testid="elder-mobility">{t(`elder.elders.mobilities.${p.mobility}`)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('elder.elders.health')}>
              {p.healthVisible ? (
                (p.chronicConditions ?? '—')
              ) : (
                <span style={{ color: '#999' }}>{t('elder.elders.healthHidden')}</span>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('elder.elders.contacts')}>
              {p.contacts.length ? (
                <ol style={{ margin: 0, paddingLeft: 18 }} data-testid="elder-contacts">
                  {p.contacts.map((c) => {
                    const kind = t(`elder.elders.contactKind.${c.kind}`);
                    return (
                      <li key={c.id}>
                        {c.name}（{c.relation === kind ? kind : `${c.relation} · ${kind}`}）{c.phone}
                      </li>
                    );
                  })}
                </ol>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            {p.updatedAt && (
              <Descriptions.Item label={t('elder.elders.updatedAt')}>
                {new Date(p.updatedAt).toLocaleString('zh-CN', { hour12: false })}
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </QueryState>
    </Drawer>
  );
}

interface ContactRow {
  id?: number;
  name: string;
  relation: string;
  kind: 'family' | 'neighbour';
  phone?: string;
  /** The stored number as shown (masked), for a contact on file. */
  masked?: string;
}
interface FormValues {
  livingAlone: boolean;
  emptyNest: boolean;
  disability: boolean;
  careLevel: (typeof careLevels)[number];
  mobility: (typeof mobilities)[number];
  chronicConditions?: string;
  contacts: ContactRow[];
}

/**
 * The file's editor. Stored phone numbers are only ever shown masked: a contact on file keeps
 * its number unless a new one is typed; a new contact needs one. Health data is sent only by
 * those who may see it (the server keeps it otherwise).
 */
function ElderForm({ profile: p, onDone }: { profile: Profile; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: FormValues) => {
      const body: ElderProfileInput = {
        livingAlone: v.livingAlone,
        emptyNest: v.emptyNest,
        disability: v.disability,
        careLevel: v.careLevel,
        mobility: v.mobility,
        ...(p.healthVisible ? { chronicConditions: v.chronicConditions?.trim() || null } : {}),
        contacts: (v.contacts ?? []).map((c) => ({
          ...(c.id !== undefined ? { id: c.id } : {}),
          name: c.name,
          relation: c.relation,
          kind: c.kind,
          ...(c.phone ? { phone: c.phone } : {}),
        })),
      };
      return call('PUT /api/elders/:residentId/profile', { params: { residentId: p.residentId }, body });
    },
    {
      success: t('elder.elders.saved'),
      onDone: (saved) => {
        queryClient.setQueryData(['elders', 'profile', p.residentId], saved);
        void queryClient.invalidateQueries({ queryKey: ['elders'], exact: false });
        onDone();
      },
    },
  );
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      data-testid="elder-form"
      initialValues={{
        livingAlone: p.livingAlone,
        emptyNest: p.emptyNest,
        disability: p.disability,
        careLevel: p.careLevel,
        mobility: p.mobility,
        chronicConditions: p.chronicConditions ?? '',
        contacts: p.contacts.map((c) => ({
          id: c.id,
          name: c.name,
          relation: c.relation,
          kind: c.kind,
          masked: c.phone,
        })),
      }}
      // The contacts' ids and masked numbers have no input of their own: the whole store is sent.
      onFinish={() => save(form.getFieldsValue(true) as FormValues)}
    >
      <Space size="large" wrap>
        <Form.Item name="livingAlone" valuePropName="checked" noStyle>
          <Checkbox>{t('elder.elders.livingAlone')}</Checkbox>
        </Form.Item>
        <Form.Item name="emptyNest" valuePropName="checked" noStyle>
          <Checkbox>{t('elder.elders.emptyNest')}</Checkbox>
        </Form.Item>
        <Form.Item name="disability" valuePropName="checked" noStyle>
          <Checkbox>{t('elder.elders.disability')}</Checkbox>
        </Form.Item>
      </Space>
      <Form.Item name="careLevel" label={t('elder.elders.careLevel')} style={{ marginTop: 16 }}>
        <Radio.Group
          optionType="button"
          options={(['selfCare', 'partial', 'dependent'] as const).map((c) => ({
            value: c,
            label: t(`elder.elders.care.${c}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="mobility" label={t('elder.elders.mobility')}>
        <Select
          data-testid="elder-mobility-select"
          options={(['independent', 'aided', 'wheelchair', 'bedridden'] as const).map((m) => ({
            value: m,
            label: t(`elder.elders.mobilities.${m}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="chronicConditions"
        label={t('elder.elders.health')}
        extra={p.healthVisible ? undefined : t('elder.elders.healthReadOnly')}
      >
        <Input.TextArea
          rows={2}
          maxLength={500}
          showCount={p.healthVisible}
          disabled={!p.healthVisible}
          placeholder={t('elder.elders.healthPlaceholder')}
        />
      </Form.Item>
      <Form.Item label={t('elder.elders.contacts')} extra={t('elder.elders.order')}>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => {
                const masked = form.getFieldValue(['contacts', f.name, 'masked']) as string | undefined;
                return (
                  <Space key={f.key} align="start" wrap data-testid={`elder-contact-${i}`}>
                    <Form.Item
                      name={[f.name, 'name']}
                      rules={[{ required: true, whitespace: true, message: t('elder.elders.nameRequired') }]}
                    >
                      <Input
                        placeholder={t('elder.elders.contactName')}
                        style={{ width: 96 }}
                        maxLength={40}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'relation']}
                      rules={[
                        { required: true, whitespace: true, message: t('elder.elders.relationRequired') },
                      ]}
                    >
                      <Input
                        placeholder={t('elder.elders.contactRelation')}
                        style={{ width: 72 }}
                        maxLength={20}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']} initialValue="family">
                      <Select
                        style={{ width: 76 }}
                        options={(['family', 'neighbour'] as const).map((k) => ({
                          value: k,
                          label: t(`elder.elders.contactKind.${k}`),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'phone']}
                      rules={[
                        { required: !masked, message: t('elder.elders.phoneRequired') },
                        { pattern: /^1\d{10}$/, message: t('elder.elders.phoneFormat') },
                      ]}
                    >
                      <Input
                        placeholder={
                          masked
                            ? t('elder.elders.phoneKept', { phone: masked })
                            : t('elder.elders.contactPhone')
                        }
                        style={{ width: 170 }}
                        inputMode="numeric"
                        maxLength={11}
                      />
                    </Form.Item>
                    <Popconfirm
                      title={t('elder.elders.removeContactConfirm')}
                      onConfirm={() => remove(f.name)}
                    >
                      <Button type="link" danger>
                        {t('elder.elders.removeContact')}
                      </Button>
                    </Popconfirm>
                  </Space>
                );
              })}
              {fields.length < 10 && (
                <Button type="dashed" onClick={() => add({ kind: 'family' })} data-testid="elder-add-contact">
                  {t('elder.elders.addContact')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="elder-save">
          {t('elder.elders.save')}
        </Button>
        <Button onClick={onDone}>{t('elder.elders.cancel')}</Button>
      </Space>
    </Form>
  );
}
