import { isStrongPassword } from '@civicgrid/core';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

export default function PasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  const [form] = Form.useForm();
  const { send: submit } = useFormSubmit(
    form,
    (v: { currentPassword: string; newPassword: string }) =>
      call('POST /api/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      }),
    {
      success: t('account.changed'),
      onDone: async () => {
        form.resetFields();
        await refresh();
      },
    },
  );
  return (
    <Card title={t('menu.password')} style={{ maxWidth: 520 }}>
      {forced && (
        <Alert type="warning" showIcon message={t('account.mustChange')} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="currentPassword" label={t('account.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.new')}
          extra={t('users.passwordRule')}
          rules={[
            { required: true },
            {
              validator: async (_r, v: string) =>
                !v || isStrongPassword(v) ? undefined : Promise.reject(new Error(t('users.passwordRule'))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmNew')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_r, v: string) =>
                v === getFieldValue('newPassword')
                  ? undefined
                  : Promise.reject(new Error(t('account.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="pw-submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
