import { CloseOutlined } from '@ant-design/icons';
import { type Committee, committeeKinds } from '@civicgrid/core/api/disputes';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { canWrite } from '../access.js';
import { useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Kind = (typeof committeeKinds)[number];
interface MediatorValues {
  name: string;
  title?: string;
  /** The mediator's platform account, when he works in it (he then sees the disputes assigned to him). */
  userId?: string;
}
interface FormValues {
  name: string;
  kind: Kind;
  orgUnitId: number;
  address?: string;
  phone?: string;
  mediators: MediatorValues[];
}
type Status = 'active' | 'disabled' | 'all';
const phonePattern = /^[0-9-]{7,20}$/;

const mediatorOf = (m: MediatorValues) => ({
  name: m.name.trim(),
  ...(m.title?.trim() ? { title: m.title.trim() } : {}),
  ...(m.userId ? { userId: m.userId } : {}),
});

/** Picks an active account of the user's jurisdiction by name; picking one fills the name if empty. */
function AccountPicker({
  value,
  onChange,
  onPicked,
}: {
  value?: string;
  onChange?: (v?: string) => void;
  onPicked?: (name: string) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const accounts = useQuery({
    queryKey: ['mediator-accounts', q],
    queryFn: () => call('GET /api/mediator-accounts', { query: q ? { q } : {} }),
  });
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      value={value}
      onSearch={(v) => setQ(v.trim())}
      onChange={(v?: string) => {
        onChange?.(v);
        const a = accounts.data?.items.find((x) => x.id === v);
        if (a) onPicked?.(a.displayName);
      }}
      loading={accounts.isFetching}
      placeholder={t('mediation.form.accountPlaceholder')}
      notFoundContent={t('mediation.form.noAccount')}
      options={(accounts.data?.items ?? []).map((a) => ({
        value: a.id,
        label: `${a.displayName}（${a.username}${a.unitName ? ` · ${a.unitName}` : ''}）`,
      }))}
      data-testid="mediator-account"
    />
  );
}

/**
 * Register a mediation body (name, kind, area, address, phone, named mediators), or edit one
 * (its area stays: its disputes are filed under it; mediators are added from the list).
 */
function CommitteeDrawer({
  committee,
  onClose,
  onDone,
}: {
  committee: Committee | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const trees = useTrees();
  const { send: save, busy } = useFormSubmit(
    form,
    async (v: FormValues) => {
      const address = v.address?.trim() ?? '';
      const phone = v.phone?.trim() ?? '';
      if (committee)
        await call('PATCH /api/mediation-committees/:id', {
          params: { id: committee.id },
          body: { name: v.name.trim(), kind: v.kind, address: address || null, phone: phone || null },
        });
      else
        await call('POST /api/mediation-committees', {
          body: {
            name: v.name.trim(),
            kind: v.kind,
            orgUnitId: v.orgUnitId,
            ...(address ? { address } : {}),
            ...(phone ? { phone } : {}),
            mediators: (v.mediators ?? []).map(mediatorOf),
          },
        });
    },
    {
      success: committee ? t('mediation.saved') : t('mediation.created'),
      onDone: () => onDone(),
    },
  );
  return (
    <Drawer
      open
      width={560}
      title={committee ? t('mediation.edit') : t('mediation.create')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="committee-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={
          committee
            ? {
                name: committee.name,
                kind: committee.kind,
                orgUnitId: committee.orgUnitId,
                address: committee.address ?? '',
                phone: committee.phone ?? '',
                mediators: [],
              }
            : { kind: 'people', orgUnitId: trees.root, mediators: [{ name: '' }] }
        }
      >
        <Form.Item
          name="name"
          label={t('mediation.form.name')}
          rules={[
            { required: true, whitespace: true, message: t('mediation.form.nameRequired') },
            { min: 2, message: t('mediation.form.nameShort') },
          ]}
        >
          <Input maxLength={100} data-testid="committee-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('mediation.form.kind')}>
          <Select
            options={committeeKinds.map((k) => ({ value: k, label: t(`mediation.kind.${k}`) }))}
            data-testid="committee-kind"
          />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('mediation.form.area')}
          extra={t('mediation.form.areaHint')}
          rules={[{ required: true, message: t('mediation.form.areaRequired') }]}
        >
          <TreeSelect
            treeData={trees.areas}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            disabled={committee !== null}
          />
        </Form.Item>
        <Form.Item name="address" label={t('mediation.form.address')}>
          <Input maxLength={200} data-testid="committee-address" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('mediation.form.phone')}
          rules={[{ pattern: phonePattern, message: t('mediation.form.phoneInvalid') }]}
        >
          <Input maxLength={20} placeholder="0472-1234567" data-testid="committee-phone" />
        </Form.Item>
        {committee === null && (
          <Form.List name="mediators">
            {(fields, { add, remove }) => (
              <>
                <div style={{ marginBottom: 8 }}>{t('mediation.form.mediators')}</div>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item
                      name={[f.name, 'name']}
                      rules={[
                        { required: true, whitespace: true, message: t('mediation.form.mediatorRequired') },
                      ]}
                    >
                      <Input placeholder={t('mediation.form.mediatorName')} maxLength={50} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']}>
                      <Input placeholder={t('mediation.form.mediatorTitle')} maxLength={50} />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(f.name)}>
                      {t('common.delete')}
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" block onClick={() => add({ name: '' })}>
                  {t('mediation.form.addMediator')}
                </Button>
              </>
            )}
          </Form.List>
        )}
      </Form>
    </Drawer>
  );
}

/** Add one named mediator to a registered body. */
function MediatorModal({
  committee,
  onClose,
  onDone,
}: {
  committee: Committee;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MediatorValues>();
  const { send: save, busy } = useFormSubmit(
    form,
    (v: MediatorValues) =>
      call('POST /api/mediation-committees/:id/mediators', {
        params: { id: committee.id },
        body: mediatorOf(v),
      }),
    {
      success: t('mediation.mediatorAdded'),
      onDone: () => onDone(),
    },
  );
  return (
    <Modal
      open
      title={t('mediation.addMediatorTo', { name: committee.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
    >
      <Form<MediatorValues> form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="name"
          label={t('mediation.form.mediatorName')}
          rules={[{ required: true, whitespace: true, message: t('mediation.form.mediatorRequired') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="title" label={t('mediation.form.mediatorTitle')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="userId" label={t('mediation.form.account')} extra={t('mediation.form.accountHelp')}>
          <AccountPicker
            onPicked={(name) => {
              if (!form.getFieldValue('name')) form.setFieldValue('name', name);
            }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 调解组织: the mediation bodies serving the user's area, with their mediators. */
export default function CommitteesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const trees = useTrees();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<Kind | undefined>();
  const [status, setStatus] = useState<Status>('active');
  const [editing, setEditing] = useState<Committee | 'new' | null>(null);
  const [adding, setAdding] = useState<Committee | null>(null);
  const query = useQuery({
    queryKey: ['mediation-committees', orgUnitId, status],
    queryFn: () =>
      call('GET /api/mediation-committees', { query: { status, ...(orgUnitId ? { orgUnitId } : {}) } }),
  });
  // The API answers the bodies serving an area whole; name and kind filter on the client.
  const items = useMemo(
    () =>
      (query.data?.items ?? []).filter(
        (c) =>
          (!q || c.name.includes(q) || c.mediators.some((m) => m.name.includes(q))) &&
          (!kind || c.kind === kind),
      ),
    [query.data, q, kind],
  );
  const list = useWholeList<Committee>(query, items);
  const writable = canWrite('/governance/committees', can);
  const refresh = () => qc.invalidateQueries({ queryKey: ['mediation-committees'] });
  const retire = async (c: Committee, mediatorId: number) => {
    try {
      await call('DELETE /api/mediation-committees/:id/mediators/:mediatorId', {
        params: { id: c.id, mediatorId },
      });
      message.success(t('mediation.retired'));
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const toggle = async (c: Committee) => {
    try {
      await call('POST /api/mediation-committees/:id/actions/:action', {
        params: { id: c.id, action: c.disabled ? 'enable' : 'disable' },
      });
      message.success(c.disabled ? t('mediation.enabled') : t('mediation.disabled'));
      void refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <ListPage<Committee>
      title={t('mediation.title')}
      testId="committees-page"
      list={list}
      empty={t(writable ? 'mediation.emptyWritable' : 'mediation.empty')}
      actions={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="committee-create">
            {t('mediation.create')}
          </Button>
        )
      }
      filters={
        <>
          <Input.Search
            allowClear
            placeholder={t('mediation.search')}
            style={{ width: 220 }}
            onSearch={(v) => setQ(v.trim())}
            data-testid="committee-search"
          />
          <Select
            allowClear
            placeholder={t('mediation.allKinds')}
            style={{ width: 180 }}
            value={kind}
            onChange={setKind}
            options={committeeKinds.map((k) => ({ value: k, label: t(`mediation.kind.${k}`) }))}
          />
          <Select<Status>
            style={{ width: 120 }}
            value={status}
            onChange={setStatus}
            options={(['active', 'disabled', 'all'] as const).map((s) => ({
              value: s,
              label: t(`mediation.status.${s}`),
            }))}
            data-testid="committee-status"
          />
          <TreeSelect
            allowClear
            placeholder={t('mediation.allAreas')}
            style={{ width: 220 }}
            treeData={trees.areas}
            value={orgUnitId}
            onChange={setOrgUnitId}
            showSearch
            treeNodeFilterProp="title"
          />
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'committees-table',
        columns: [
          {
            title: t('mediation.columns.name'),
            dataIndex: 'name',
            render: (v: string, c: Committee) => (
              <>
                {v} {c.disabled && <Tag color="default">{t('mediation.status.disabled')}</Tag>}
              </>
            ),
          },
          {
            title: t('mediation.columns.kind'),
            dataIndex: 'kind',
            width: 170,
            render: (k: Kind) => <Tag>{t(`mediation.kind.${k}`)}</Tag>,
          },
          {
            title: t('mediation.columns.department'),
            dataIndex: 'departmentName',
            width: 120,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('mediation.columns.contact'),
            key: 'contact',
            width: 200,
            render: (_: unknown, c: Committee) => [c.address, c.phone].filter(Boolean).join(' · ') || '—',
          },
          {
            title: t('mediation.columns.mediators'),
            dataIndex: 'mediators',
            render: (ms: Committee['mediators'], c: Committee) =>
              ms.length
                ? ms.map((m) => (
                    <Tag key={m.id} color={m.userId ? 'blue' : undefined} data-testid="committee-mediator">
                      {m.title ? `${m.name}（${m.title}）` : m.name}
                      {writable && (
                        <Popconfirm
                          title={t('mediation.retireConfirm', { name: m.name })}
                          okButtonProps={{ danger: true, 'data-testid': 'mediator-retire-ok' }}
                          onConfirm={() => retire(c, m.id)}
                        >
                          <CloseOutlined
                            style={{ marginLeft: 4, fontSize: 10, cursor: 'pointer' }}
                            aria-label={t('mediation.retire')}
                            data-testid="mediator-retire"
                          />
                        </Popconfirm>
                      )}
                    </Tag>
                  ))
                : t('mediation.noMediators'),
          },
          ...(writable
            ? [
                {
                  title: t('mediation.columns.actions'),
                  key: 'actions',
                  width: 220,
                  render: (_: unknown, c: Committee) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(c)}>
                        {t('mediation.editShort')}
                      </Button>
                      <Button type="link" size="small" onClick={() => setAdding(c)}>
                        {t('mediation.form.addMediator')}
                      </Button>
                      <Popconfirm
                        title={t(c.disabled ? 'mediation.enableConfirm' : 'mediation.disableConfirm', {
                          name: c.name,
                        })}
                        okButtonProps={{ danger: !c.disabled }}
                        onConfirm={() => toggle(c)}
                      >
                        <Button type="link" size="small" danger={!c.disabled}>
                          {c.disabled ? t('mediation.enable') : t('mediation.disable')}
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
      {editing && (
        <CommitteeDrawer
          committee={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {adding && (
        <MediatorModal
          committee={adding}
          onClose={() => setAdding(null)}
          onDone={() => {
            setAdding(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}
