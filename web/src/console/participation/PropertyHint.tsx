import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';

/**
 * 红管家 in the dispatch dialog: when the case lies in an estate, its property company is
 * offered; one click fills the assignee with the company (the dispatcher still confirms).
 */
export function PropertyHint({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const form = Form.useFormInstance();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['case-property', caseId],
    queryFn: () => call('GET /api/cases/:id/property-company', { params: { id: caseId } }),
    enabled: can('case:dispatch'),
  });
  const c = q.data?.company;
  if (!c) return null;
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="property-hint"
      title={t('property.hint', { estate: c.estateName, name: c.name })}
      action={
        <Button
          size="small"
          type="primary"
          data-testid="property-apply"
          onClick={() => {
            form.setFieldsValue({ assignee: { kind: 'department', id: c.departmentId } });
            message.success(t('property.applied'));
          }}
        >
          {t('property.apply')}
        </Button>
      }
    />
  );
}

const stepColor = (onTime: boolean | null) => (onTime === null ? 'processing' : onTime ? 'success' : 'error');

/** 红管家时限 on the case page: for a case sent to a property company, its three deadlines and how each went. */
export function PropertyClockCard({ caseId, status }: { caseId: string; status: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['case-property-clock', caseId, status],
    queryFn: () => call('GET /api/cases/:id/property-clock', { params: { id: caseId } }),
  });
  const last = q.data?.dispatches.at(-1);
  if (!last) return null;
  const time = (iso: string) => dayjs(iso).format('MM-DD HH:mm');
  return (
    <Card title={t('property.clockTitle')} size="small" data-testid="property-clock">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('property.clockOf', {
          name: last.companyName,
          estate: last.estateName,
          at: time(last.dispatchedAt),
        })}
      </Typography.Paragraph>
      <Space orientation="vertical" size={4}>
        {last.steps.map((s) => (
          <Space key={s.step} size={8}>
            <Tag color={stepColor(s.onTime)} style={{ minWidth: 44, textAlign: 'center' }}>
              {t(`property.steps.${s.step}`)}
            </Tag>
            <span>{t('property.dueAt', { at: time(s.dueAt) })}</span>
            <Typography.Text type={s.onTime === false ? 'danger' : 'secondary'}>
              {s.doneAt
                ? t(s.onTime ? 'property.doneOnTime' : 'property.doneLate', { at: time(s.doneAt) })
                : s.onTime === false
                  ? t('property.overdue')
                  : t('property.running')}
            </Typography.Text>
          </Space>
        ))}
      </Space>
    </Card>
  );
}
