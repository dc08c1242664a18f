import type { Open311Key } from '@civicgrid/core/api/integrations';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Popconfirm, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : null);

/** 系统管理 → 开放接口密钥: Open311 keys, issued once (copy), listed by hint, revoked with a confirmation. */
export default function Open311KeysPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const list = usePagedList<Open311Key, never>({
    url: '/api/open311/keys',
    key: 'open311-keys',
    filters: [],
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['open311-keys'] });
  const create = useMutation({
    mutationFn: (name: string) => call('POST /api/open311/keys', { body: { name } }),
    onSuccess: (r) => {
      setIssued({ name: r.name, key: r.key });
      form.resetFields();
      void refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE /api/open311/keys/:id', { params: { id } }),
    onSuccess: () => refresh(),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <ListPage
      title={t('integrations.keys.title')}
      testId="open311-keys"
      list={list}
      notice={
        <>
          <Typography.Paragraph type="secondary">{t('integrations.keys.hint')}</Typography.Paragraph>
          <Form
            form={form}
            layout="inline"
            onFinish={(v) => create.mutate(v.name)}
            style={{ marginBottom: 16 }}
          >
            <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 60 }]}>
              <Input placeholder={t('integrations.keys.name')} data-testid="open311-key-name" />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              loading={create.isPending}
              data-testid="open311-key-create"
            >
              {t('integrations.keys.create')}
            </Button>
          </Form>
          {issued && (
            <Alert
              type="success"
              showIcon
              closable
              onClose={() => setIssued(null)}
              style={{ marginBottom: 16 }}
              message={`${issued.name}：${t('integrations.keys.created')}`}
              description={
                <Typography.Text code copyable data-testid="open311-key-issued">
                  {issued.key}
                </Typography.Text>
              }
            />
          )}
        </>
      }
      table={{
        rowKey: 'id',
        columns: [
          { title: t('integrations.keys.name'), dataIndex: 'name' },
          {
            title: t('integrations.keys.hintColumn'),
            dataIndex: 'hint',
            render: (h: string) => <Typography.Text code>…{h}</Typography.Text>,
          },
          { title: t('integrations.keys.createdAt'), dataIndex: 'createdAt', render: fmt },
          {
            title: t('integrations.keys.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => fmt(v) ?? t('integrations.keys.never'),
          },
          { title: t('integrations.keys.uses'), dataIndex: 'uses' },
          {
            title: t('common.actions'),
            render: (_: unknown, r: Open311Key) =>
              r.revokedAt ? (
                <Tag>
                  {t('integrations.keys.revoked')} {fmt(r.revokedAt)}
                </Tag>
              ) : (
                <Popconfirm
                  title={t('integrations.keys.revokeConfirm')}
                  onConfirm={() => revoke.mutate(r.id)}
                >
                  <Button size="small" danger>
                    {t('integrations.keys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ],
      }}
    />
  );
}
