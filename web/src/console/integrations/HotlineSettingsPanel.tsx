import { hotlineSettingsInput } from '@civicgrid/core/api/integrations';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, Modal, Popconfirm, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

/**
 * 12345 对接设置: where orders come in, the shared secret (set or rotated here, shown once,
 * never again), and where status callbacks go. Values saved here override the environment's.
 */
export function HotlineSettingsPanel({ onShowTab }: { onShowTab: (key: 'mappings' | 'dead') => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ callbackUrl: string }>();
  const [typed] = Form.useForm<{ secret: string }>();
  const [typing, setTyping] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['hotline-settings'],
    queryFn: () => call('GET /api/integrations/hotline/settings'),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['hotline-settings'] });
  const { send: rotate, busy: rotating } = useFormSubmit(
    typed,
    (secret?: string) =>
      call('POST /api/integrations/hotline/settings/secret', { body: secret ? { secret } : {} }),
    {
      onDone: (r) => {
        setTyping(false);
        setShown(r.secret);
        void refresh();
      },
    },
  );
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (callbackUrl: string | null) => call('PUT /api/integrations/hotline/settings', { body: { callbackUrl } }),
    {
      success: t('integrations.hotlineSettings.saved'),
      onDone: () => void refresh(),
    },
  );
  const s = q.data;
  return (
    <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
      {s && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="hotline-settings">
          <Typography.Paragraph type="secondary">
            {t('integrations.hotlineSettings.hint')}
          </Typography.Paragraph>
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t('integrations.hotlineSettings.ordersUrl')}>
              <Typography.Text copyable code>
                {s.ordersUrl}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('integrations.hotlineSettings.secret')}>
              <Space wrap>
                <span data-testid="hotline-secret-state">
                  {t(`integrations.hotlineSettings.secretFrom.${s.secretSource}`)}
                  {s.secretHint
                    ? `，${t('integrations.hotlineSettings.secretEnds', { hint: s.secretHint })}`
                    : ''}
                  {s.secretSetAt
                    ? `，${t('integrations.hotlineSettings.secretSetAt')} ${fmt(s.secretSetAt)}`
                    : ''}
                </span>
                <Popconfirm
                  title={t('integrations.hotlineSettings.rotateConfirm')}
                  onConfirm={() => rotate(undefined)}
                >
                  <Button type="primary" loading={rotating} data-testid="hotline-secret-generate">
                    {t('integrations.hotlineSettings.generate')}
                  </Button>
                </Popconfirm>
                <Button onClick={() => setTyping(true)}>{t('integrations.hotlineSettings.typeIn')}</Button>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('integrations.hotlineSettings.callbackUrl')}>
              <Form
                form={form}
                layout="inline"
                initialValues={{ callbackUrl: s.callbackUrl ?? '' }}
                onFinish={(v) => save(v.callbackUrl.trim() || null)}
              >
                <Form.Item
                  name="callbackUrl"
                  style={{ minWidth: 360 }}
                  rules={[
                    {
                      validator: async (_, v: string) => {
                        if (!v?.trim()) return;
                        const r = hotlineSettingsInput.shape.callbackUrl.safeParse(v.trim());
                        if (!r.success) throw new Error(r.error.issues[0]?.message);
                      },
                    },
                  ]}
                  extra={t('integrations.hotlineSettings.callbackFrom', {
                    source: t(`integrations.hotlineSettings.secretFrom.${s.callbackUrlSource}`),
                  })}
                >
                  <Input
                    placeholder={t('integrations.hotlineSettings.callbackPlaceholder')}
                    data-testid="hotline-callback-url"
                  />
                </Form.Item>
                <Button htmlType="submit" type="primary" loading={saving}>
                  {t('integrations.hotlineSettings.save')}
                </Button>
                {s.callbackUrlSource === 'console' && (
                  <Button style={{ marginLeft: 8 }} onClick={() => save(null)}>
                    {t('integrations.hotlineSettings.clear')}
                  </Button>
                )}
              </Form>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text>
            {t('integrations.hotlineSettings.see')}
            <Typography.Link onClick={() => onShowTab('mappings')}>
              {t('integrations.hotlineSettings.mappingLink')}
            </Typography.Link>
            {' · '}
            <Typography.Link onClick={() => onShowTab('dead')}>
              {t('integrations.hotlineSettings.deadLink')}
            </Typography.Link>
          </Typography.Text>
          <Modal
            open={typing}
            title={t('integrations.hotlineSettings.typeIn')}
            onCancel={() => setTyping(false)}
            onOk={() => typed.submit()}
            confirmLoading={rotating}
            destroyOnHidden
          >
            <Form form={typed} layout="vertical" preserve={false} onFinish={(v) => rotate(v.secret)}>
              <Form.Item
                name="secret"
                label={t('integrations.hotlineSettings.typedLabel')}
                rules={[{ required: true, min: 16, max: 200, whitespace: true }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Form>
          </Modal>
          <Modal
            open={shown !== null}
            title={t('integrations.hotlineSettings.shownOnce')}
            onCancel={() => setShown(null)}
            onOk={() => setShown(null)}
            cancelButtonProps={{ style: { display: 'none' } }}
            destroyOnHidden
          >
            <Alert type="warning" showIcon title={t('integrations.hotlineSettings.shownOnceHint')} />
            <Typography.Paragraph copyable code style={{ marginTop: 12 }} data-testid="hotline-secret-once">
              {shown}
            </Typography.Paragraph>
          </Modal>
        </Space>
      )}
    </QueryState>
  );
}
