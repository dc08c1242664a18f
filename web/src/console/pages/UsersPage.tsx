import { holdsAdminDuty, isStrongPassword } from '@civicgrid/core';
import { userCreate } from '@civicgrid/core/api/admin';
import type { OrgTreeNode } from '@civicgrid/core/api/org';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { zodRule } from '../../common/zodRule.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface User {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  orgUnitId: number | null;
  orgUnitName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  roles: string[];
  administrator: boolean;
  disabled: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
}

/** The user form: where the account belongs is a choice between an org unit and a department. */
interface UserForm {
  username?: string;
  displayName: string;
  phone?: string;
  password?: string;
  bind: 'unit' | 'dept';
  orgUnitId?: number;
  departmentId?: number;
  roles: string[];
}

type TreeData = { value: number; title: string; children: TreeData[] };
const toTree = (n: OrgTreeNode): TreeData => ({
  value: n.id,
  title: `${n.name}`,
  children: n.children.map(toTree),
});
const passwordRule = (msg: string) => ({
  validator: async (_r: unknown, v: string) =>
    !v || isStrongPassword(v) ? undefined : Promise.reject(new Error(msg)),
});

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can, me } = useAuth();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [form] = Form.useForm();
  const [resetForm] = Form.useForm();
  const bind = Form.useWatch('bind', form) as 'unit' | 'dept' | undefined;
  const users = usePagedList<User, 'q' | 'role'>({ url: '/api/users', key: 'users', filters: ['q', 'role'] });
  // The role list is for those who keep roles or give them (the API agrees); others see codes.
  const roles = useQuery({
    queryKey: ['roles'],
    queryFn: () => call('GET /api/roles'),
    enabled: can('role:read') || can('user:write'),
  });
  // Administrator duties are given from the server's shell only (三员分立), so not offered here.
  const grantable = (roles.data?.items ?? []).filter((r) => !holdsAdminDuty(r.permissions));
  const tree = useQuery({ queryKey: ['org-tree'], queryFn: () => call('GET /api/org/tree') });
  const depts = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
  });
  const roleName = new Map((roles.data?.items ?? []).map((r) => [r.code, r.name]));
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] });

  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: UserForm) => {
      const body = { displayName: v.displayName, roles: v.roles, ...(v.phone ? { phone: v.phone } : {}) };
      const binding = v.bind === 'dept' ? { departmentId: v.departmentId } : { orgUnitId: v.orgUnitId };
      if (editing === 'new') {
        const created = { ...body, ...binding, username: v.username ?? '', password: v.password ?? '' };
        return call('POST /api/users', { body: created });
      }
      // Bound to one, the account is unbound from the other.
      const rebound =
        v.bind === 'dept' ? { ...binding, orgUnitId: null } : { ...binding, departmentId: null };
      return call('PATCH /api/users/:id', {
        params: { id: (editing as User).id },
        body: { ...body, ...rebound },
      });
    },
    {
      success: t('common.saved'),
      onDone: () => {
        setEditing(null);
        void refresh();
      },
    },
  );
  const act = useMutation({
    mutationFn: ({ user, action }: { user: User; action: 'unlock' | 'disable' | 'enable' }) =>
      action === 'unlock'
        ? call('POST /api/users/:id/unlock', { params: { id: user.id } })
        : call('PATCH /api/users/:id', { params: { id: user.id }, body: { disabled: action === 'disable' } }),
    onSuccess: () => void refresh(),
    onError: (e) => message.error(errorMessage(e)),
  });
  const { send: reset, busy: resettingPassword } = useFormSubmit(
    resetForm,
    (v: { password: string }) =>
      call('POST /api/users/:id/reset-password', { params: { id: (resetting as User).id }, body: v }),
    {
      success: t('common.saved'),
      onDone: () => {
        setResetting(null);
        void refresh();
      },
    },
  );
  const writable = can('user:write');
  const openEdit = (u: User | 'new') => {
    form.resetFields();
    if (u === 'new') form.setFieldsValue({ bind: 'unit', roles: [] });
    else form.setFieldsValue({ ...u, phone: undefined, bind: u.departmentId ? 'dept' : 'unit' });
    setEditing(u);
  };

  return (
    <ListPage<User>
      title={t('users.title')}
      list={users}
      actions={
        writable && (
          <Button type="primary" onClick={() => openEdit('new')} data-testid="user-create">
            {t('users.create')}
          </Button>
        )
      }
      search={{ filter: 'q', placeholder: t('users.searchPlaceholder') }}
      filters={
        <Select
          allowClear
          placeholder={t('users.roles')}
          style={{ width: 200 }}
          value={users.filters.role}
          options={(roles.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          onChange={(role?: string) => users.setFilters({ role })}
        />
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        columns: [
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.phone'), dataIndex: 'phone' },
          {
            title: t('users.bindTo'),
            render: (_: unknown, u: User) => u.orgUnitName ?? u.departmentName ?? '—',
          },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (rs: string[], u: User) => (
              <>
                {u.administrator && <Tag color="gold">{t('users.administrator')}</Tag>}
                {rs.map((r) => (
                  <Tag key={r}>{roleName.get(r) ?? r}</Tag>
                ))}
              </>
            ),
          },
          {
            title: t('common.status'),
            render: (_: unknown, u: User) =>
              u.disabled ? (
                <Tag>{t('users.disabled')}</Tag>
              ) : u.lockedUntil ? (
                <Tag color="red">{t('users.locked')}</Tag>
              ) : u.mustChangePassword ? (
                <Tag color="orange">{t('users.mustChange')}</Tag>
              ) : (
                <Tag color="green">{t('users.active')}</Tag>
              ),
          },
          {
            title: t('users.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => (v ? dayjs(v).format('MM-DD HH:mm') : '—'),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, u: User) =>
                    u.administrator || u.id === me?.id ? (
                      <Tooltip title={t('users.protectedNote')}>
                        <Typography.Text type="secondary" data-testid="user-protected">
                          —
                        </Typography.Text>
                      </Tooltip>
                    ) : (
                      <Space size={4} wrap>
                        <Button size="small" onClick={() => openEdit(u)}>
                          {t('common.edit')}
                        </Button>
                        <Button
                          size="small"
                          onClick={() => {
                            resetForm.resetFields();
                            setResetting(u);
                          }}
                        >
                          {t('users.resetPassword')}
                        </Button>
                        {u.lockedUntil && (
                          <Button size="small" onClick={() => act.mutate({ user: u, action: 'unlock' })}>
                            {t('users.unlock')}
                          </Button>
                        )}
                        {u.disabled ? (
                          <Button size="small" onClick={() => act.mutate({ user: u, action: 'enable' })}>
                            {t('users.enable')}
                          </Button>
                        ) : (
                          <Popconfirm
                            title={t('users.disableConfirm')}
                            onConfirm={() => act.mutate({ user: u, action: 'disable' })}
                          >
                            <Button size="small" danger>
                              {t('users.disable')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ],
      }}
    >
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('users.create') : t('common.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[{ required: true }, zodRule(userCreate.shape.username, t('users.usernameRule'))]}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, max: 64 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('users.phone')}
            rules={[zodRule(userCreate.shape.phone, t('users.phoneRule'))]}
          >
            <Input placeholder={editing !== 'new' && editing?.phone ? editing.phone : ''} />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item
              name="password"
              label={t('users.initialPassword')}
              extra={t('users.passwordRule')}
              rules={[{ required: true }, passwordRule(t('users.passwordRule'))]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="bind" label={t('users.bindTo')}>
            <Radio.Group
              options={[
                { value: 'unit', label: t('users.bindUnit') },
                { value: 'dept', label: t('users.bindDept') },
              ]}
            />
          </Form.Item>
          {bind === 'dept' ? (
            <Form.Item name="departmentId" label={t('users.department')} rules={[{ required: true }]}>
              <Select options={(depts.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          ) : (
            <Form.Item name="orgUnitId" label={t('users.unit')} rules={[{ required: true }]}>
              <TreeSelect
                showSearch
                treeNodeFilterProp="title"
                treeData={(tree.data ?? []).map(toTree)}
                treeDefaultExpandedKeys={tree.data?.map((n) => n.id)}
              />
            </Form.Item>
          )}
          <Form.Item
            name="roles"
            label={t('users.roles')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select mode="multiple" options={grantable.map((r) => ({ value: r.code, label: r.name }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={resetting !== null}
        title={`${t('users.resetPassword')} — ${resetting?.displayName ?? ''}`}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        confirmLoading={resettingPassword}
        destroyOnHidden
      >
        <Form form={resetForm} layout="vertical" onFinish={reset}>
          <Form.Item
            name="password"
            label={t('users.newPassword')}
            extra={t('users.passwordRule')}
            rules={[{ required: true }, passwordRule(t('users.passwordRule'))]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </ListPage>
  );
}
