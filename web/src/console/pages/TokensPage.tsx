import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';

interface Token {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['tokens'], queryFn: () => call('GET /api/auth/tokens') });
  const rows = useWholeList(q, q.data?.items);
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays?: number }) => call('POST /api/auth/tokens', { body: v }),
    onSuccess: (r) => {
      setCreated(r.token);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE /api/auth/tokens/:id', { params: { id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Card title={t('account.tokensTitle')}>
      <Typography.Paragraph type="secondary">{t('account.tokenHint')}</Typography.Paragraph>
      <Form layout="inline" onFinish={(v) => create.mutate(v)} style={{ marginBottom: 16 }}>
        <Form.Item name="name" rules={[{ required: true, max: 64 }]}>
          <Input placeholder={t('account.tokenName')} />
        </Form.Item>
        <Form.Item name="expiresInDays">
          <InputNumber min={1} max={3650} placeholder={t('account.tokenExpires')} style={{ width: 140 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('common.create')}
        </Button>
      </Form>
      {created && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setCreated(null)}
          style={{ marginBottom: 16 }}
          message={t('account.tokenCreated')}
          description={
            <Typography.Text code copyable>
              {created}
            </Typography.Text>
          }
        />
      )}
      <ListView
        list={rows}
        table={{
          rowKey: 'id',
          size: 'middle',
          columns: [
            { title: t('account.tokenName'), dataIndex: 'name' },
            {
              title: t('common.code'),
              dataIndex: 'prefix',
              render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
            },
            {
              title: t('account.expires'),
              dataIndex: 'expiresAt',
              render: (v: string | null) => (v ? fmt(v) : t('account.never')),
            },
            { title: t('account.lastUsed'), dataIndex: 'lastUsedAt', render: fmt },
            {
              title: t('common.actions'),
              render: (_: unknown, r: Token) =>
                r.revokedAt ? (
                  <Tag>{t('account.revoked')}</Tag>
                ) : (
                  <Space>
                    <Popconfirm title={t('account.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}>
                      <Button size="small" danger>
                        {t('account.revoke')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ],
        }}
      />
    </Card>
  );
}
