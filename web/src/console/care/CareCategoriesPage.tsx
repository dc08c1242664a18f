import { careCategoryInput } from '@civicgrid/core/api/care';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { type Body, call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { zodRule } from '../../common/zodRule.js';
import { canWrite } from '../access.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useCareCategories } from './CarePage.js';

type Category = NonNullable<ReturnType<typeof useCareCategories>['data']>['items'][number];

/** Care categories are configuration: visit intervals per risk level and the retention period. */
export default function CareCategoriesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { can } = useAuth();
  const writable = canWrite('/config/care-categories', can);
  const list = useCareCategories();
  const rows = useWholeList(list, list.data?.items);
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [form] = Form.useForm();
  const { send: save } = useFormSubmit(
    form,
    async ({ code, ...rest }: Body<'POST /api/care/categories'>) => {
      // The code is the category's key: an edit does not send it.
      if (editing === 'new') await call('POST /api/care/categories', { body: { code, ...rest } });
      else if (editing)
        await call('PUT /api/care/categories/:code', { params: { code: editing.code }, body: rest });
    },
    {
      success: t('common.saved'),
      onDone: () => {
        setEditing(null);
        void qc.invalidateQueries({ queryKey: ['care-categories'] });
      },
    },
  );
  return (
    <Card
      title={t('care.categories.title')}
      extra={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('care.categories.create')}
          </Button>
        )
      }
    >
      <ListView<Category>
        list={rows}
        table={{
          rowKey: 'code',
          size: 'middle',
          columns: [
            { title: t('care.categories.name'), dataIndex: 'name' },
            { title: t('care.categories.code'), dataIndex: 'code', width: 200 },
            {
              title: t('care.categories.visitDays'),
              width: 220,
              render: (_, c) => `${c.visitDays.high} / ${c.visitDays.medium} / ${c.visitDays.low}`,
            },
            { title: t('care.categories.retentionDays'), dataIndex: 'retentionDays', width: 140 },
            {
              title: t('care.categories.status'),
              dataIndex: 'active',
              width: 80,
              render: (a: boolean) =>
                a ? (
                  <Tag color="green">{t('care.categories.active')}</Tag>
                ) : (
                  <Tag>{t('care.categories.inactive')}</Tag>
                ),
            },
            ...(writable
              ? [
                  {
                    title: '',
                    width: 80,
                    render: (_: unknown, c: Category) => (
                      <Button size="small" onClick={() => setEditing(c)}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ],
        }}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('care.categories.create') : t('care.categories.edit')}
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
          onFinish={save}
        >
          <Form.Item
            name="code"
            label={t('care.categories.code')}
            rules={[
              { required: true, message: t('care.categories.codeRequired') },
              zodRule(careCategoryInput.shape.code, t('care.categories.codePlaceholder')),
            ]}
          >
            <Input disabled={editing !== 'new'} placeholder={t('care.categories.codePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('care.categories.name')}
            rules={[
              { required: true, message: t('care.categories.nameRequired') },
              zodRule(careCategoryInput.shape.name, t('care.categories.nameRequired')),
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="description" label={t('care.categories.description')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Space>
            {(['high', 'medium', 'low'] as const).map((r) => (
              <Form.Item
                key={r}
                name={['visitDays', r]}
                label={t('care.categories.visitDaysOf', { level: t(`care.riskLevels.${r}`) })}
                rules={[{ required: true, message: t('care.categories.required') }]}
              >
                <InputNumber min={1} max={365} />
              </Form.Item>
            ))}
          </Space>
          <Space>
            <Form.Item
              name="retentionDays"
              label={t('care.categories.retentionLabel')}
              rules={[{ required: true }]}
            >
              <InputNumber min={30} max={36500} />
            </Form.Item>
            <Form.Item name="active" label={t('care.categories.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
