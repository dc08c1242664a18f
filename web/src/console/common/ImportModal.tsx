import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Progress, Space, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, upload } from '../../common/api.js';
import { call, type Reply } from '../../common/client.js';

interface Props {
  open: boolean;
  onClose: () => void;
  title: string;
  /** `residents`, `buildings` or `organizations`: the upload route and the template's name. */
  kind: string;
  hint: string;
  /** Query keys to refresh when the import is done. */
  refresh: string[];
}

/**
 * One import dialog for every kind: template download, upload, a progress bar polled from
 * the job, the counts, and the error report (row numbers and reasons) when rows failed.
 */
export function ImportModal({ open, onClose, title, kind, hint, refresh }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useQuery({
    queryKey: ['import', jobId],
    queryFn: () => call('GET /api/imports/:id', { params: { id: jobId as string } }),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 500),
  });
  const j = job.data;
  const processed = j ? j.imported + j.unchanged + j.failed : 0;
  const status = j?.status;
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh is a fixed list per dialog
  useEffect(() => {
    if (status === 'done') for (const key of refresh) void qc.invalidateQueries({ queryKey: [key] });
  }, [status, qc]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={() => {
        setJobId(null);
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          {hint}
          <Button type="link" icon={<DownloadOutlined />} href={`/api/imports/templates/${kind}.xlsx`}>
            {t('residents.import.template')}
          </Button>
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx,.csv"
          showUploadList={false}
          customRequest={async ({ file }) => {
            try {
              const r = await upload<Reply<'POST /api/imports/residents'>>(
                `/api/imports/${kind}`,
                file as Blob,
              );
              setJobId(r.id);
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
          data-testid="import-file"
        >
          <p>
            <UploadOutlined style={{ fontSize: 28, color: '#1677ff' }} />
          </p>
          <p>{t('residents.import.drop')}</p>
        </Upload.Dragger>
        {j && (
          <div data-testid="import-progress">
            <Progress
              percent={j.total ? Math.round((processed / j.total) * 100) : j.status === 'done' ? 100 : 0}
              status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'}
            />
            <Typography.Text>
              {j.total === 0 && j.status !== 'done' && j.status !== 'failed'
                ? t('residents.import.reading')
                : t('residents.import.summary', {
                    total: j.total,
                    imported: j.imported,
                    unchanged: j.unchanged,
                    failed: j.failed,
                  })}
              {j.status === 'done'
                ? t('residents.import.done')
                : j.status === 'failed'
                  ? t('residents.import.failed', { message: j.message ?? '' })
                  : t('residents.import.running')}
            </Typography.Text>
            {j.errorReportUrl && (
              <div>
                <Button
                  type="link"
                  icon={<DownloadOutlined />}
                  href={j.errorReportUrl}
                  data-testid="import-errors"
                >
                  {t('residents.import.errorReport')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Space>
    </Modal>
  );
}
