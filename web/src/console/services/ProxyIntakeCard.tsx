import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { ApplicationProxy } from '@civicgrid/core/api/proxyConsent';
import type { MaterialFile } from '@civicgrid/core/api/services';
import { consentMethods } from '@civicgrid/core/proxy/consent';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  Radio,
  Select,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, upload } from '../../common/api.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

/** The window's 帮办代办 choices, before they become the intake's `proxy` part. */
export interface ProxyChoice {
  agentId?: string;
  method: (typeof consentMethods)[number];
  at: Dayjs;
  file?: MaterialFile | null;
  note?: string;
}

export const freshProxyChoice = (): ProxyChoice => ({ method: 'signedForm', at: dayjs() });

/**
 * The intake's `proxy` part, or the i18n key of what is still missing. The server checks the
 * same (consent required, a signed form's scan, an agent who may carry the matter); the window
 * says it before sending.
 */
export function proxyPart(c: ProxyChoice): { proxy: ApplicationProxy } | { missing: string } {
  if (!c.agentId) return { missing: 'proxy.window.agentRequired' };
  if (c.method === 'signedForm' && !c.file) return { missing: 'proxy.window.formRequired' };
  const note = c.note?.trim();
  return {
    proxy: {
      agentId: c.agentId,
      consent: {
        method: c.method,
        at: c.at.toISOString(),
        ...(c.method === 'signedForm' && c.file ? { fileId: c.file.id } : {}),
        ...(note ? { note } : {}),
      },
    },
  };
}

/**
 * 帮办代办 at the window (issue 15 item 4): the matter is carried for a resident on file by an
 * agent who may carry it — an agent of a proxy point serving the resident, or a grid worker of
 * his grid (the list comes from the proxy module, by the rule the intake checks) — with the
 * resident's consent: the scan of the signed form, or what he said and when.
 */
export function ProxyIntakeCard({
  residentId,
  value,
  onChange,
}: {
  residentId: string | null;
  value: ProxyChoice;
  onChange: (v: ProxyChoice) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const agents = useQuery({
    queryKey: ['proxy-agents-eligible', residentId],
    queryFn: () => call('GET /api/proxy-agents/eligible', { query: { residentId: residentId as string } }),
    enabled: residentId !== null,
  });
  const items = agents.data?.items;
  // One agent who may carry it: picked for the clerk.
  useEffect(() => {
    if (items?.length === 1 && !value.agentId) onChange({ ...value, agentId: items[0]?.id });
  }, [items, value, onChange]);

  const send = async (file: File) => {
    setBusy(true);
    try {
      const stored = await upload<MaterialFile>('/api/material-files', file);
      onChange({ ...value, file: stored });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('proxy.window.title')} style={{ marginBottom: 16 }} data-testid="intake-proxy">
      {residentId === null ? (
        <Alert
          type="info"
          showIcon
          title={t('proxy.window.residentFirst')}
          data-testid="intake-proxy-resident"
        />
      ) : (
        <Form layout="vertical" component={false}>
          <Form.Item label={t('proxy.window.agent')} required>
            <QueryState loading={agents.isLoading} error={agents.error} onRetry={() => agents.refetch()}>
              {items && items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('proxy.window.noAgents')} />
              ) : (
                <Select
                  value={value.agentId}
                  onChange={(agentId) => onChange({ ...value, agentId })}
                  placeholder={t('proxy.window.agentPlaceholder')}
                  options={(items ?? []).map((a) => ({
                    value: a.id,
                    label: `${a.name}（${a.proxyPointName ?? t('proxy.window.gridWorker')}）`,
                  }))}
                  data-testid="intake-proxy-agent"
                />
              )}
            </QueryState>
          </Form.Item>
          <Form.Item label={t('proxy.window.consent')} required>
            <Radio.Group
              value={value.method}
              onChange={(e) => onChange({ ...value, method: e.target.value })}
              options={consentMethods.map((m) => ({ value: m, label: t(`proxy.consent.${m}`) }))}
              data-testid="intake-proxy-method"
            />
          </Form.Item>
          <Form.Item label={t('proxy.window.consentAt')} required>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowClear={false}
              value={value.at}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(at) => at && onChange({ ...value, at })}
              data-testid="intake-proxy-at"
            />
          </Form.Item>
          {value.method === 'signedForm' ? (
            <Form.Item label={t('proxy.window.form')} required extra={t('proxy.window.formHint')}>
              {value.file && (
                <Typography.Link
                  href={value.file.url}
                  target="_blank"
                  style={{ marginRight: 8 }}
                  data-testid="intake-proxy-form-file"
                >
                  <PaperClipOutlined /> {t('serviceDesk.upload.uploaded')}
                </Typography.Link>
              )}
              <Upload
                accept="application/pdf,image/jpeg,image/png,image/webp"
                showUploadList={false}
                beforeUpload={(file) => {
                  void send(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={busy} data-testid="intake-proxy-form-upload">
                  {t(value.file ? 'serviceDesk.upload.replace' : 'serviceDesk.upload.button')}
                </Button>
              </Upload>
            </Form.Item>
          ) : null}
          <Form.Item label={t('proxy.window.note')} style={{ marginBottom: 0 }}>
            <Input.TextArea
              value={value.note}
              onChange={(e) => onChange({ ...value, note: e.target.value })}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 4 }}
              placeholder={t('proxy.window.notePlaceholder')}
              data-testid="intake-proxy-note"
            />
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}
