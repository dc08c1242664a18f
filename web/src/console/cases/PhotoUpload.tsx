import { PlusOutlined } from '@ant-design/icons';
import type { Attachment } from '@civicgrid/core/api/cases';
import { Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, upload } from '../../common/api.js';

/** Photos go up one by one as soon as they are chosen; the form keeps their ids. */
export function PhotoUpload({
  onChange,
  max = 9,
  testId,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  max?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile<Attachment>[]>([]);
  return (
    <div data-testid={testId}>
      <Upload<Attachment>
        listType="picture-card"
        accept="image/jpeg,image/png,image/webp"
        multiple
        maxCount={max}
        fileList={files}
        onChange={({ fileList }) => {
          setFiles(fileList);
          onChange?.(fileList.flatMap((f) => (f.status === 'done' && f.response ? [f.response.id] : [])));
        }}
        customRequest={async ({ file, onSuccess, onError }) => {
          try {
            onSuccess?.(await upload<Attachment>('/api/files', file as Blob));
          } catch (e) {
            onError?.(new Error(errorMessage(e)));
          }
        }}
      >
        {files.length >= max ? null : (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 4, fontSize: 12 }}>{t('cases.photo')}</div>
          </div>
        )}
      </Upload>
    </div>
  );
}
