import { builtInRoles } from '@civicgrid/core';
import { roleCreate } from '@civicgrid/core/api/admin';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { zodRule } from '../../common/zodRule.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface Role {
  id: number;
  code: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
  totpRequired: boolean;
  userCount: number;
}

/** The administrators' roles, whose second factor cannot be turned off (core roles.ts). */
const totpMandatory = new Set(builtInRoles.filter((r) => r.totpRequired).map((r) => r.code));

export default function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [form] = Form.useForm();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => call('GET /api/roles') });
  const rows = useWholeList(roles, roles.data?.items);
  const perms = useQuery({
    queryKey: ['permissions'],
    queryFn: () => call('GET /api/permissions'),
  });
  const describe = new Map((perms.data?.items ?? []).map((p) => [p.name, p.description]));
  const refresh = () => qc.invalidateQueries({ queryKey: ['roles'] });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: { code: string; name: string; permissions: string[]; totpRequired: boolean }) => {
      if (editing === 'new') return call('POST /api/roles', { body: v });
      const role = editing as Role;
      return call('PATCH /api/roles/:id', {
        params: { id: role.id },
        body: role.builtIn
          ? { totpRequired: v.totpRequired }
          : { name: v.name, permissions: v.permissions, totpRequired: v.totpRequired },
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
  const remove = useMutation({
    mutationFn: (r: Role) => call('DELETE /api/roles/:id', { params: { id: r.id } }),
    onSuccess: () => void refresh(),
    onError: (e) => message.error(errorMessage(e)),
  });
  const writable = can('role:write');
  const builtInEdit = editing !== null && editing !== 'new' && editing.builtIn;
  const totpLocked = editing !== null && editing !== 'new' && totpMandatory.has(editing.code);
  return (
    <Card
      title={t('roles.title')}
      extra={
        writable && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ permissions: [], totpRequired: false });
              setEditing('new');
            }}
          >
            {t('roles.create')}
          </Button>
        )
      }
    >
      <ListView
        list={rows}
        table={{
          rowKey: 'id',
          size: 'middle',
          expandable: {
            expandedRowRender: (r) => (
              <Space wrap>
                {r.permissions.map((p) => (
                  <Tag key={p} title={p}>
                    {describe.get(p) ?? p}
                  </Tag>
                ))}
              </Space>
            ),
          },
          columns: [
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('common.code'), dataIndex: 'code' },
            {
              title: t('common.status'),
              dataIndex: 'builtIn',
              render: (b: boolean) =>
                b ? <Tag color="blue">{t('roles.builtIn')}</Tag> : <Tag>{t('roles.custom')}</Tag>,
            },
            { title: t('roles.permissions'), render: (_: unknown, r: Role) => r.permissions.length },
            {
              title: t('roles.totpRequired'),
              dataIndex: 'totpRequired',
              render: (b: boolean) => (b ? t('common.yes') : t('common.no')),
            },
            { title: t('roles.users'), dataIndex: 'userCount' },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    render: (_: unknown, r: Role) => (
                      <Space>
                        <Button
                          size="small"
                          onClick={() => {
                            form.setFieldsValue(r);
                            setEditing(r);
                          }}
                        >
                          {t('common.edit')}
                        </Button>
                        {!r.builtIn && (
                          <Popconfirm
                            title={t('roles.deleteConfirm', { name: r.name })}
                            onConfirm={() => remove.mutate(r)}
                          >
                            <Button size="small" danger>
                              {t('common.delete')}
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
      />
      <Modal
        open={editing !== null}
        width={720}
        title={editing === 'new' ? t('roles.create') : t('common.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        {builtInEdit && (
          <Alert type="info" showIcon message={t('roles.builtInNote')} style={{ marginBottom: 16 }} />
        )}
        <Form form={form} layout="vertical" onFinish={save}>
          <Space>
            <Form.Item
              name="code"
              label={t('common.code')}
              rules={[{ required: true }, zodRule(roleCreate.shape.code, t('roles.codeRule'))]}
            >
              <Input disabled={editing !== 'new'} />
            </Form.Item>
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 64 }]}>
              <Input disabled={builtInEdit} />
            </Form.Item>
            <Form.Item
              name="totpRequired"
              label={t('roles.totpRequired')}
              valuePropName="checked"
              tooltip={totpLocked ? t('roles.totpMandatory') : undefined}
            >
              <Switch disabled={totpLocked} />
            </Form.Item>
          </Space>
          <Form.Item name="permissions" label={t('roles.permissions')}>
            <Checkbox.Group
              disabled={builtInEdit}
              style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}
              options={(perms.data?.items ?? []).map((p) => ({
                value: p.name,
                label: `${p.description}（${p.name}）`,
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
