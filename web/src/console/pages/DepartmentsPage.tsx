import { departmentCreate } from '@civicgrid/core/api/org';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { zodRule } from '../../common/zodRule.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface Department {
  id: number;
  code: string;
  name: string;
  retiredAt: string | null;
}

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['departments', 'all'],
    queryFn: () => call('GET /api/departments', { query: { includeRetired: 'true' } }),
  });
  const rows = useWholeList(q, q.data?.items, { pageSize: 20 });
  const refresh = () => qc.invalidateQueries({ queryKey: ['departments'] });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: { code: string; name: string }) =>
      editing === 'new'
        ? call('POST /api/departments', { body: v })
        : call('PATCH /api/departments/:id', {
            params: { id: (editing as Department).id },
            body: { name: v.name },
          }),
    {
      success: t('common.saved'),
      onDone: () => {
        setEditing(null);
        void refresh();
      },
    },
  );
  const toggle = useMutation({
    mutationFn: (d: Department) =>
      call('PATCH /api/departments/:id', { params: { id: d.id }, body: { retired: d.retiredAt === null } }),
    onSuccess: () => void refresh(),
    onError: (e) => message.error(errorMessage(e)),
  });
  const writable = can('department:write');
  return (
    <Card
      title={t('dept.title')}
      extra={
        writable && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              setEditing('new');
            }}
            data-testid="dept-create"
          >
            {t('dept.create')}
          </Button>
        )
      }
    >
      <ListView
        list={rows}
        table={{
          rowKey: 'id',
          size: 'middle',
          columns: [
            { title: t('common.code'), dataIndex: 'code', width: 160 },
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('common.status'),
              dataIndex: 'retiredAt',
              width: 120,
              render: (v: string | null) =>
                v ? <Tag>{t('dept.retired')}</Tag> : <Tag color="green">{t('dept.active')}</Tag>,
            },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    width: 200,
                    render: (_: unknown, d: Department) => (
                      <Space>
                        <Button
                          size="small"
                          onClick={() => {
                            form.setFieldsValue(d);
                            setEditing(d);
                          }}
                        >
                          {t('dept.rename')}
                        </Button>
                        <Popconfirm
                          title={`${d.retiredAt ? t('dept.restore') : t('dept.retire')}「${d.name}」？`}
                          onConfirm={() => toggle.mutate(d)}
                        >
                          <Button size="small" danger={!d.retiredAt}>
                            {d.retiredAt ? t('dept.restore') : t('dept.retire')}
                          </Button>
                        </Popconfirm>
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
        title={editing === 'new' ? t('dept.create') : t('dept.rename')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="code"
            label={t('common.code')}
            rules={[{ required: true }, zodRule(departmentCreate.shape.code, t('dept.codeRule'))]}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 64 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
