import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Radio, Row, Space, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { CaseMap } from './CaseMap.js';
import { PhotoUpload } from './PhotoUpload.js';
import { categoryTree, useCategories, useGridsOf } from './shared.js';

interface Values {
  categoryCode: string;
  description: string;
  channel: 'walk_in' | 'hotline_12345';
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  attachmentIds?: string[];
}

/** 登记事件: a walk-in or a phone call, placed on the map or by address. */
export default function CaseReportPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const categories = useCategories();
  const { me } = useAuth();
  const grids = useGridsOf(me?.jurisdiction.orgUnitId);
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  // One key per opened form: a double click or a retry after a lost reply makes one case.
  const [key] = useState(() => crypto.randomUUID());
  const categoryCode = Form.useWatch('categoryCode', form);
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], true), [categories.data]);
  const duplicates = useQuery({
    queryKey: ['duplicates', point?.lat, point?.lng, categoryCode],
    queryFn: () =>
      call('GET /api/cases/duplicates', {
        query: { lat: point?.lat as number, lng: point?.lng as number, categoryCode: categoryCode as string },
      }),
    enabled: Boolean(point && categoryCode),
  });

  const { send: submit, busy } = useFormSubmit(
    form,
    (v: Values) =>
      call('POST /api/cases', {
        body: {
          description: v.description,
          categoryCode: v.categoryCode,
          channel: v.channel,
          ...(point ? { location: point } : {}),
          ...(v.address ? { address: v.address } : {}),
          ...(v.reporterName || v.reporterPhone
            ? {
                reporter: {
                  ...(v.reporterName ? { name: v.reporterName } : {}),
                  ...(v.reporterPhone ? { phone: v.reporterPhone } : {}),
                },
              }
            : {}),
          ...(v.attachmentIds?.length ? { attachmentIds: v.attachmentIds } : {}),
          idempotencyKey: key,
        },
      }),
    {
      success: (created) => t('caseForms.report.created', { code: created.code }),
      onDone: (created) => navigate(`/cases/${created.id}`, { replace: true }),
    },
  );

  return (
    <Card
      title={t('caseForms.report.title')}
      extra={<Button onClick={() => navigate('/cases')}>{t('caseForms.report.back')}</Button>}
    >
      <Row gutter={24}>
        <Col xs={24} lg={11}>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ channel: 'walk_in' }}>
            <Form.Item name="channel" label={t('caseForms.report.channel')}>
              <Radio.Group
                options={[
                  { value: 'walk_in', label: t('cases.channels.walk_in') },
                  { value: 'hotline_12345', label: t('cases.channels.hotline_12345') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="categoryCode"
              label={t('caseForms.report.category')}
              rules={[{ required: true, message: t('caseForms.report.categoryRequired') }]}
            >
              <TreeSelect
                showSearch
                treeNodeFilterProp="title"
                treeData={tree}
                placeholder={t('caseForms.report.categoryPlaceholder')}
                loading={categories.isLoading}
                data-testid="report-category"
              />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('caseForms.report.description')}
              rules={[
                { required: true, message: t('caseForms.report.descriptionRequired') },
                { min: 2, message: t('caseForms.report.descriptionMin') },
              ]}
            >
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="report-description" />
            </Form.Item>
            <Form.Item
              name="address"
              label={t('caseForms.report.address')}
              extra={t('caseForms.report.addressExtra')}
              rules={[
                {
                  validator: async (_r, v) =>
                    v || point ? undefined : Promise.reject(new Error(t('caseForms.report.addressRequired'))),
                },
              ]}
            >
              <Input maxLength={200} data-testid="report-address" />
            </Form.Item>
            <Space.Compact block>
              <Form.Item
                name="reporterName"
                label={t('caseForms.report.reporterName')}
                style={{ width: '40%' }}
              >
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item
                name="reporterPhone"
                label={t('caseForms.report.reporterPhone')}
                style={{ width: '60%' }}
                rules={[
                  {
                    pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                    message: t('caseForms.report.phoneInvalid'),
                  },
                ]}
              >
                <Input maxLength={20} />
              </Form.Item>
            </Space.Compact>
            <Form.Item name="attachmentIds" label={t('caseForms.report.photos')}>
              <PhotoUpload testId="report-photos" />
            </Form.Item>
            {duplicates.data && duplicates.data.items.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('caseForms.report.duplicates')}
                description={duplicates.data.items.map((d) => (
                  <div key={d.id}>
                    {t('caseForms.report.duplicateItem', {
                      code: d.code,
                      description: d.description,
                      distance: d.distanceM,
                    })}
                  </div>
                ))}
              />
            )}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="report-submit">
              {t('caseForms.report.submit')}
            </Button>
          </Form>
        </Col>
        <Col xs={24} lg={13}>
          <Typography.Paragraph type="secondary">
            {point
              ? t('caseForms.report.picked', {
                  latitude: point.lat.toFixed(6),
                  longitude: point.lng.toFixed(6),
                })
              : t('caseForms.report.pickHint')}
          </Typography.Paragraph>
          <CaseMap marker={point} onPick={setPoint} height={520} areas={grids.data?.items} />
        </Col>
      </Row>
    </Card>
  );
}
