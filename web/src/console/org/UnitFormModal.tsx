import type { AreaGeometry } from '@civicgrid/core/api/org';
import { App, Button, Form, Input, InputNumber, Modal, Space, Typography, Upload } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { polygonFromGeoJson } from './types.js';

export interface UnitFormValues {
  name: string;
  code?: string;
  householdsTarget?: number | null;
  geometry?: AreaGeometry | null;
}

interface Props {
  open: boolean;
  title: string;
  isNew: boolean;
  isGrid: boolean;
  initial: UnitFormValues;
  onCancel(): void;
  onSubmit(v: UnitFormValues): Promise<unknown>;
  onDraw(current: UnitFormValues): void;
}

export function UnitFormModal({ open, title, isNew, isGrid, initial, onCancel, onSubmit, onDraw }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<UnitFormValues>();
  const geometry = Form.useWatch('geometry', form) as AreaGeometry | null | undefined;
  useEffect(() => {
    if (open) form.setFieldsValue(initial);
  }, [open, initial, form]);
  const { send: submit } = useFormSubmit(form, (v: UnitFormValues) =>
    onSubmit({ ...v, geometry: form.getFieldValue('geometry') ?? null }),
  );
  const corners = geometry?.type === 'Polygon' ? (geometry.coordinates[0]?.length ?? 1) - 1 : 0;
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'unit-save' }}
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 64 }]}>
          <Input data-testid="unit-name" />
        </Form.Item>
        {isNew && (
          <Form.Item
            name="code"
            label={t('common.code')}
            extra={t('org.codeAuto')}
            rules={[{ pattern: /^\d{9,15}$/ }]}
          >
            <Input />
          </Form.Item>
        )}
        {isGrid && (
          <>
            <Form.Item
              name="householdsTarget"
              label={t('org.households')}
              rules={[{ type: 'number', min: 1, max: 5000 }]}
            >
              <InputNumber style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="geometry" label={t('org.geometry')} hidden>
              <Input />
            </Form.Item>
            <Form.Item label={t('org.geometry')}>
              <Space wrap>
                <Typography.Text type={geometry ? 'success' : 'secondary'}>
                  {geometry ? t('org.geometrySet', { n: corners }) : t('org.noGeometry')}
                </Typography.Text>
                <Button
                  size="small"
                  onClick={() =>
                    onDraw({ ...form.getFieldsValue(), geometry: form.getFieldValue('geometry') })
                  }
                  data-testid="unit-draw"
                >
                  {t('org.draw')}
                </Button>
                <Upload
                  accept=".geojson,.json,application/geo+json,application/json"
                  showUploadList={false}
                  beforeUpload={async (file) => {
                    const g = polygonFromGeoJson(await file.text());
                    if (g) form.setFieldValue('geometry', g);
                    else message.error('GeoJSON: Polygon / MultiPolygon');
                    return false;
                  }}
                >
                  <Button size="small">{t('org.uploadGeojson')}</Button>
                </Upload>
                {geometry && (
                  <Button size="small" type="link" onClick={() => form.setFieldValue('geometry', null)}>
                    {t('org.clearGeometry')}
                  </Button>
                )}
              </Space>
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
