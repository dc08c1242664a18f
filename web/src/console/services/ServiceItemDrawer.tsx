import {
  certificateTemplateNames,
  certificateTemplates,
  type ServiceCatalogueEntry,
  type ServiceItemInput,
  serviceCategories,
  serviceItemInput,
  serviceLevels,
} from '@civicgrid/core/api/services';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fieldMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { zodRule } from '../../common/zodRule.js';
import { blankMaterial, FormFieldsList, MaterialsList } from './ServiceItemLists.js';

type Values = Omit<ServiceItemInput, 'departmentId' | 'certificateTemplate'> & {
  departmentId?: number | null;
  certificateTemplate?: ServiceItemInput['certificateTemplate'];
};

function initialValues(item: ServiceCatalogueEntry | null): Partial<Values> {
  if (!item)
    return {
      category: 'communityDirect',
      level: 'community',
      timeLimitDays: 5,
      statutoryDays: 10,
      fee: '免费',
      issuesCertificate: false,
      immediate: false,
      materials: [{ name: '居民身份证', ...blankMaterial } as Values['materials'][number]],
      formFields: [],
    };
  const { departmentName: _d, version: _v, retiredAt: _r, versionAt: _a, versionBy: _b, ...rest } = item;
  return { ...rest, certificateTemplate: item.certificateTemplate as Values['certificateTemplate'] };
}

/** A server field error's path (`materials.1.name`) as the form's name path. */
const namePath = (field: string) => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** Create an item, or edit one into its next version. */
export function ServiceItemDrawer({
  item,
  onClose,
  onSaved,
}: {
  item: ServiceCatalogueEntry | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const issues = Form.useWatch('issuesCertificate', form);
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
    staleTime: 5 * 60_000,
  });

  const save = async (v: Values) => {
    const body = {
      ...v,
      departmentId: v.departmentId ?? null,
      certificateTemplate: v.issuesCertificate ? (v.certificateTemplate ?? null) : null,
      materials: (v.materials ?? []).map((m) => ({ ...m, note: m.note?.trim() ? m.note.trim() : null })),
      formFields: (v.formFields ?? []).map((f) => (f.type === 'choice' ? f : { ...f, options: undefined })),
    };
    setBusy(true);
    try {
      if (item) {
        const { code: _c, ...patch } = body;
        const saved = await call('PATCH /api/services/:code', { params: { code: item.code }, body: patch });
        message.success(t('serviceDesk.catalogue.saved', { version: saved.version }));
      } else {
        await call('POST /api/services', { body });
        message.success(t('serviceDesk.catalogue.created'));
      }
      onSaved();
    } catch (e) {
      // A field error goes on its field (`materials.1.name` on that material's name).
      if (e instanceof ApiError && e.errors.length) {
        const fields = e.errors.map((err) => ({ name: namePath(err.field), errors: [fieldMessage(err)] }));
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
        message.error(fieldMessage(e.errors[0] as (typeof e.errors)[number]));
      } else message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      width={960}
      title={
        item
          ? `${t('serviceDesk.catalogue.edit')} · ${item.name}（v${item.version}）`
          : t('serviceDesk.catalogue.add')
      }
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="item-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {item && (
        <Alert
          type="info"
          showIcon
          title={t('serviceDesk.catalogue.versionNote')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues(item)}
        onFinish={save}
        data-testid="item-form"
      >
        <Card size="small" title={t('serviceDesk.catalogue.sections.basic')} style={{ marginBottom: 12 }}>
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item
                name="code"
                label={t('serviceDesk.catalogue.f.code')}
                rules={[
                  { required: true, message: t('serviceDesk.catalogue.rules.code') },
                  zodRule(serviceItemInput.shape.code),
                ]}
              >
                <Input disabled={!!item} maxLength={32} data-testid="item-code" />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item
                name="name"
                label={t('serviceDesk.catalogue.f.name')}
                rules={[
                  { required: true, whitespace: true, message: t('serviceDesk.catalogue.rules.name') },
                  zodRule(serviceItemInput.shape.name),
                ]}
              >
                <Input maxLength={100} data-testid="item-name" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="category"
                label={t('serviceDesk.catalogue.f.category')}
                rules={[{ required: true, message: t('serviceDesk.catalogue.rules.category') }]}
              >
                <Select
                  options={serviceCategories.map((c) => ({ value: c, label: t(`services.categories.${c}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="level"
                label={t('serviceDesk.catalogue.f.level')}
                rules={[{ required: true, message: t('serviceDesk.catalogue.rules.level') }]}
              >
                <Select
                  options={serviceLevels.map((l) => ({
                    value: l,
                    label: t(`serviceDesk.catalogue.levels.${l}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item
                name="departmentId"
                label={t('serviceDesk.catalogue.f.department')}
                tooltip={t('serviceDesk.catalogue.f.departmentHint')}
              >
                <Select
                  allowClear
                  loading={departments.isLoading}
                  options={(departments.data?.items ?? [])
                    .filter((d) => !d.retiredAt)
                    .map((d) => ({ value: d.id, label: d.name }))}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="legalBasis" label={t('serviceDesk.catalogue.f.legalBasis')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="conditions" label={t('serviceDesk.catalogue.f.conditions')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('serviceDesk.catalogue.sections.materials')} style={{ marginBottom: 12 }}>
          <MaterialsList />
        </Card>
        <Card size="small" title={t('serviceDesk.catalogue.sections.form')} style={{ marginBottom: 12 }}>
          <FormFieldsList />
        </Card>
        <Card size="small" title={t('serviceDesk.catalogue.sections.limits')} style={{ marginBottom: 12 }}>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                name="timeLimitDays"
                label={t('serviceDesk.catalogue.f.timeLimitDays')}
                extra={t('serviceDesk.catalogue.f.onTheSpotHint')}
                dependencies={['statutoryDays']}
                rules={[
                  { required: true, message: t('serviceDesk.catalogue.rules.days') },
                  ({ getFieldValue }) => ({
                    validator: async (_, v: number | null) => {
                      const statutory = getFieldValue('statutoryDays') as number | null;
                      if (v != null && statutory != null && v > statutory)
                        throw new Error(t('serviceDesk.catalogue.rules.overStatutory'));
                    },
                  }),
                ]}
              >
                <InputNumber
                  min={0}
                  max={365}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="item-time-limit"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="statutoryDays"
                label={t('serviceDesk.catalogue.f.statutoryDays')}
                rules={[{ required: true, message: t('serviceDesk.catalogue.rules.days') }]}
              >
                <InputNumber
                  min={0}
                  max={365}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="item-statutory"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="fee"
                label={t('serviceDesk.catalogue.f.fee')}
                rules={[{ required: true, whitespace: true, message: t('serviceDesk.catalogue.rules.fee') }]}
              >
                <Input maxLength={100} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('serviceDesk.catalogue.sections.result')}>
          <Row gutter={12} align="middle">
            <Col span={6}>
              <Form.Item
                name="issuesCertificate"
                label={t('serviceDesk.catalogue.f.issuesCertificate')}
                valuePropName="checked"
              >
                <Switch data-testid="item-issues-certificate" />
              </Form.Item>
            </Col>
            <Col span={8}>
              {issues && (
                <Form.Item
                  name="certificateTemplate"
                  label={t('serviceDesk.catalogue.f.certificateTemplate')}
                  rules={[{ required: true, message: t('serviceDesk.catalogue.rules.template') }]}
                >
                  <Select
                    options={certificateTemplates.map((c) => ({
                      value: c,
                      label: certificateTemplateNames[c],
                    }))}
                    data-testid="item-template"
                  />
                </Form.Item>
              )}
            </Col>
            <Col span={10}>
              <Form.Item
                name="immediate"
                label={t('serviceDesk.catalogue.f.immediate')}
                valuePropName="checked"
              >
                <Switch data-testid="item-immediate" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Divider style={{ margin: '8px 0' }} />
      </Form>
    </Drawer>
  );
}
