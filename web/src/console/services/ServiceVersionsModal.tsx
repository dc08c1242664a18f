import { useQuery } from '@tanstack/react-query';
import { List, Modal, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';

/** Every version of an item, the newest first: what applications taken in earlier are held to. */
export function ServiceVersionsModal({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: ['serviceCatalogue', 'versions', code],
    queryFn: () => call('GET /api/services/:code/versions', { params: { code } }),
  });
  return (
    <Modal
      open
      title={`${t('serviceDesk.catalogue.versions')} · ${code}`}
      footer={null}
      onCancel={onClose}
      width={720}
    >
      <QueryState loading={versions.isLoading} error={versions.error} onRetry={() => versions.refetch()}>
        <List
          data-testid="catalogue-versions"
          dataSource={versions.data?.items ?? []}
          renderItem={(v) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space>
                    <span>
                      {t('serviceDesk.catalogue.versionRow', {
                        version: v.version,
                        at: fmt(v.versionAt),
                        by: v.versionBy ?? '—',
                      })}
                    </span>
                    {v.retiredAt && <Tag>{t('serviceDesk.catalogue.retired')}</Tag>}
                  </Space>
                }
                description={
                  <Typography.Text type="secondary">
                    {v.name} ·{' '}
                    {t('serviceDesk.catalogue.days', {
                      promised: v.timeLimitDays,
                      statutory: v.statutoryDays,
                    })}{' '}
                    · {v.materials.map((m) => m.name).join('、')}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      </QueryState>
    </Modal>
  );
}
