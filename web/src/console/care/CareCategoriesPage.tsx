import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { applyFieldErrors, errorMessage, post, put } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';
import { useCareCategories } from './CarePage.js';

type Category = NonNullable<ReturnType<typeof useCareCategories>['data']>['items'][number];

/** Care categories are configuration: visit intervals per risk level and the retention period. */
export default function CareCategoriesPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useCareCategories();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [form] = Form.useForm();
  return (
    <Card
      title="关爱帮扶类别"
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          新增类别
        </Button>
      }
    >
      <QueryState loading={list.isLoading} error={list.error} onRetry={() => list.refetch()}>
        <Table<Category>
          rowKey="code"
          size="middle"
          dataSource={list.data?.items}
          pagination={false}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '编码', dataIndex: 'code', width: 200 },
            {
              title: '走访间隔（天）高 / 中 / 低',
              width: 220,
              render: (_, c) => `${c.visitDays.high} / ${c.visitDays.medium} / ${c.visitDays.low}`,
            },
            { title: '结案后保存（天）', dataIndex: 'retentionDays', width: 140 },
            {
              title: '状态',
              dataIndex: 'active',
              width: 80,
              render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
            },
            {
              title: '',
              width: 80,
              render: (_, c) => (
                <Button size="small" onClick={() => setEditing(c)}>
                  编辑
                </Button>
              ),
            },
          ]}
        />
      </QueryState>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增类别' : '编辑类别'}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={
            editing && editing !== 'new'
              ? editing
              : { visitDays: { high: 7, medium: 15, low: 30 }, retentionDays: 1095, active: true }
          }
          onFinish={async (v) => {
            try {
              if (editing === 'new') await post('/api/care/categories', v);
              else if (editing) await put(`/api/care/categories/${editing.code}`, { ...v, code: undefined });
              message.success('已保存');
              setEditing(null);
              void qc.invalidateQueries({ queryKey: ['care-categories'] });
            } catch (e) {
              if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
            }
          }}
        >
          <Form.Item name="code" label="编码" rules={[{ required: true, message: '请填写编码' }]}>
            <Input disabled={editing !== 'new'} placeholder="字母开头，如 elderlyAlone" />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="description" label="说明">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Space>
            {(['high', 'medium', 'low'] as const).map((r) => (
              <Form.Item
                key={r}
                name={['visitDays', r]}
                label={`走访间隔·${{ high: '高', medium: '中', low: '低' }[r]}风险（天）`}
                rules={[{ required: true, message: '必填' }]}
              >
                <InputNumber min={1} max={365} />
              </Form.Item>
            ))}
          </Space>
          <Space>
            <Form.Item name="retentionDays" label="结案后保存（天），期满匿名化" rules={[{ required: true }]}>
              <InputNumber min={30} max={36500} />
            </Form.Item>
            <Form.Item name="active" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
