import { Alert, App, Button, Card, Form, Input, QRCode, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

export default function TotpPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, refresh } = useAuth();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [form] = Form.useForm();
  const { send: confirm } = useFormSubmit(
    form,
    (v: { code: string }) => call('POST /api/auth/totp/confirm', { body: { code: v.code } }),
    {
      onDone: (r) => {
        setCodes(r.recoveryCodes);
        setSetup(null);
      },
    },
  );
  if (!me) return null;

  const start = async () => {
    try {
      setSetup(await call('POST /api/auth/totp/setup'));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const disable = async (v: { code: string }) => {
    try {
      await call('POST /api/auth/totp/disable', { body: { code: v.code } });
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title={t('account.totpTitle')}
      style={{ maxWidth: 560 }}
      extra={
        <Tag color={me.totpEnabled ? 'green' : 'default'}>
          {me.totpEnabled ? t('account.totpOn') : t('account.totpOff')}
        </Tag>
      }
    >
      {(forced || me.totpRequired) && !me.totpEnabled && (
        <Alert type="warning" showIcon message={t('account.totpRequired')} style={{ marginBottom: 16 }} />
      )}
      {codes && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="success" showIcon message={t('account.recovery')} />
          <Typography.Paragraph
            copyable={{ text: codes.join('\n') }}
            code
            style={{ whiteSpace: 'pre', fontSize: 15 }}
            data-testid="totp-recovery"
          >
            {codes.join('\n')}
          </Typography.Paragraph>
          <Button
            type="primary"
            onClick={() => void refresh().then(() => setCodes(null))}
            data-testid="totp-done"
          >
            {t('common.confirm')}
          </Button>
        </Space>
      )}
      {!codes && !me.totpEnabled && !setup && (
        <Button type="primary" onClick={start} data-testid="totp-start">
          {t('account.totpSetup')}
        </Button>
      )}
      {!codes && setup && (
        <Space direction="vertical" size="middle">
          <Typography.Text>{t('account.totpScan')}</Typography.Text>
          <QRCode value={setup.otpauthUrl} />
          <Typography.Text type="secondary">
            {t('account.totpSecret')}:{' '}
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
          </Typography.Text>
          <Form form={form} layout="inline" onFinish={confirm}>
            <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/ }]}>
              <Input
                placeholder={t('account.totpCode')}
                inputMode="numeric"
                maxLength={6}
                style={{ width: 140 }}
                data-testid="totp-code"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="totp-confirm">
              {t('common.confirm')}
            </Button>
          </Form>
        </Space>
      )}
      {!codes && me.totpEnabled && !me.totpRequired && (
        <Form layout="inline" onFinish={disable}>
          <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/ }]}>
            <Input
              placeholder={t('account.totpCode')}
              inputMode="numeric"
              maxLength={6}
              style={{ width: 140 }}
            />
          </Form.Item>
          <Button danger htmlType="submit">
            {t('account.totpDisable')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
