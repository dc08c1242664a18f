import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { MaterialFile, ServiceItem } from '@civicgrid/core/api/services';
import { App, Button, Checkbox, Col, DatePicker, Row, Space, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, upload } from '../../common/api.js';

export interface Ticked {
  provided: boolean;
  promisedDate?: Dayjs | null;
  /** The scan or photo of it, uploaded here (PDF or image). */
  file?: MaterialFile | null;
}

/**
 * One material row: the tick, its marks, the scan (PDF or photo; attaching one ticks the
 * material), and for a 容缺 one left unticked the promised date.
 */
export function MaterialRow({
  m,
  value,
  onChange,
}: {
  m: ServiceItem['materials'][number];
  value: Ticked;
  onChange: (v: Ticked) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const send = async (file: File) => {
    setBusy(true);
    try {
      const stored = await upload<MaterialFile>('/api/material-files', file);
      onChange({ provided: true, promisedDate: null, file: stored });
    } catch (e) {
      message.error(`${m.name}：${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Row
      align="middle"
      gutter={8}
      style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}
      data-testid="intake-material-row"
    >
      <Col flex="auto">
        <Checkbox
          checked={value.provided}
          onChange={(e) =>
            onChange({
              provided: e.target.checked,
              promisedDate: null,
              file: e.target.checked ? value.file : null,
            })
          }
          data-testid="intake-material"
        >
          {m.name}
        </Checkbox>
        <Space size={4}>
          {m.required ? (
            <Tag color="red">{t('services.intake.required')}</Tag>
          ) : (
            <Tag>{t('services.intake.optional')}</Tag>
          )}
          {m.waivable && <Tag color="gold">{t('services.intake.waivable')}</Tag>}
          {m.note && <Typography.Text type="secondary">{m.note}</Typography.Text>}
        </Space>
      </Col>
      <Col>
        <Space size={4}>
          {value.file && (
            <Typography.Link href={value.file.url} target="_blank" data-testid="intake-material-file">
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
            <Button
              size="small"
              icon={<UploadOutlined />}
              loading={busy}
              title={t('serviceDesk.upload.hint')}
              data-testid="intake-material-upload"
            >
              {t(value.file ? 'serviceDesk.upload.replace' : 'serviceDesk.upload.button')}
            </Button>
          </Upload>
        </Space>
      </Col>
      {m.waivable && !value.provided && (
        <Col>
          <DatePicker
            size="small"
            placeholder={t('services.intake.promisedDate')}
            value={value.promisedDate ?? null}
            disabledDate={(d) => !d.isAfter(dayjs(), 'day')}
            onChange={(d) => onChange({ provided: false, promisedDate: d })}
          />
        </Col>
      )}
    </Row>
  );
}
