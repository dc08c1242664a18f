import type { ResidentTag } from '@civicgrid/core/api/residents';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

/** 人口标签库: the tags residents may carry, kept by an admin (resident:configure). */
export default function ResidentTagsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; description?: string; sort?: number }>();
  const [editing, setEditing] = useState<ResidentTag | 'new' | null>(null);
  const list = useQuery({
    queryKey: ['resident-tags', 'all'],
    queryFn: () => call('GET /api/resident-tags', { query: { all: 'true' } }),
  });
  const rows = useWholeList(list, list.data?.items);
  const refresh = () => qc.invalidateQueries({ queryKey: ['resident-tags'] });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    // A new tag carries no one; a rename says how many residents it carried along.
    async (v: { name: string; description?: string; sort?: number }) => {
      const body = { ...v, description: v.description || null };
      if (editing === 'new' || editing === null) {
        await call('POST /api/resident-tags', { body });
        return { carried: 0 };
      }
      return call('PATCH /api/resident-tags/:id', { params: { id: editing.id }, body });
    },
    {
      success: (r) =>
        r.carried ? t('residents.tagLibrary.renamed', { count: r.carried }) : t('common.saved'),
      onDone: () => {
        setEditing(null);
        void refresh();
      },
    },
  );
  const toggle = useMutation({
    mutationFn: (tag: ResidentTag) =>
      call('PATCH /api/resident-tags/:id', { params: { id: tag.id }, body: { retired: !tag.retired } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const open = (tag: ResidentTag | 'new') => {
    form.resetFields();
    if (tag !== 'new')
      form.setFieldsValue({ name: tag.name, description: tag.description ?? '', sort: tag.sort });
    setEditing(tag);
  };
  return (
    <Card
      title={t('residents.tagLibrary.title')}
      extra={
        <Button type="primary" onClick={() => open('new')} data-testid="tag-create">
          {t('residents.tagLibrary.create')}
        </Button>
      }
    >
      <Alert type="info" showIcon message={t('residents.tagLibrary.hint')} style={{ marginBottom: 16 }} />
      <ListView<ResidentTag>
        list={rows}
        table={{
          rowKey: 'id',
          size: 'middle',
          columns: [
            { title: t('residents.tagLibrary.name'), dataIndex: 'name', width: 180 },
            { title: t('residents.tagLibrary.description'), dataIndex: 'description', ellipsis: true },
            { title: t('residents.tagLibrary.sort'), dataIndex: 'sort', width: 80 },
            {
              title: t('residents.tagLibrary.residents'),
              dataIndex: 'residents',
              width: 100,
              align: 'right',
            },
            {
              title: t('residents.tagLibrary.status'),
              dataIndex: 'retired',
              width: 100,
              render: (r: boolean) =>
                r ? (
                  <Tag>{t('residents.tagLibrary.retired')}</Tag>
                ) : (
                  <Tag color="green">{t('residents.tagLibrary.active')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              width: 180,
              render: (_, tag) => (
                <>
                  <Button size="small" type="link" onClick={() => open(tag)}>
                    {t('common.edit')}
                  </Button>
                  {tag.retired ? (
                    <Button size="small" type="link" onClick={() => toggle.mutate(tag)}>
                      {t('residents.tagLibrary.restore')}
                    </Button>
                  ) : (
                    <Popconfirm
                      title={t('residents.tagLibrary.retireConfirm', {
                        name: tag.name,
                        count: tag.residents,
                      })}
                      onConfirm={() => toggle.mutate(tag)}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                    >
                      <Button size="small" type="link" danger>
                        {t('residents.tagLibrary.retire')}
                      </Button>
                    </Popconfirm>
                  )}
                </>
              ),
            },
          ],
        }}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('residents.tagLibrary.create') : t('residents.tagLibrary.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        {editing !== null && editing !== 'new' && editing.residents > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('residents.tagLibrary.renameNote', { count: editing.residents })}
          />
        )}
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="name"
            label={t('residents.tagLibrary.name')}
            rules={[{ required: true, whitespace: true, message: t('residents.tagLibrary.nameRequired') }]}
          >
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="description" label={t('residents.tagLibrary.description')}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
          <Form.Item name="sort" label={t('residents.tagLibrary.sort')}>
            <InputNumber min={0} max={9999} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
