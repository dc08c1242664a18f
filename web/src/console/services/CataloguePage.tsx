import { type ServiceCatalogueEntry, serviceCategories } from '@civicgrid/core/api/services';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { canWrite } from '../access.js';
import { ServiceItemDrawer } from './ServiceItemDrawer.js';
import { ServiceVersionsModal } from './ServiceVersionsModal.js';

const filterKeys = ['q', 'category', 'retired'] as const;

/**
 * 事项清单管理 (issue 15 item 1): the catalogue's current versions, offered or retired, with
 * search and category filter; an edit saves a new version, retire and restore too.
 */
export default function CataloguePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const writable = canWrite('/config/services', can);
  const [editing, setEditing] = useState<ServiceCatalogueEntry | 'new' | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const list = usePagedList<ServiceCatalogueEntry, (typeof filterKeys)[number]>({
    url: '/api/services/catalogue',
    key: 'serviceCatalogue',
    filters: filterKeys,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['serviceCatalogue'] });
    void queryClient.invalidateQueries({ queryKey: ['services'] });
  };
  const setRetired = async (item: ServiceCatalogueEntry, retired: boolean) => {
    try {
      const saved = await call('PATCH /api/services/:code', {
        params: { code: item.code },
        body: { retired },
      });
      message.success(t('serviceDesk.catalogue.saved', { version: saved.version }));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <ListPage<ServiceCatalogueEntry>
      title={t('serviceDesk.catalogue.title')}
      testId="catalogue-page"
      list={list}
      search={{ filter: 'q', placeholder: t('serviceDesk.catalogue.search'), testId: 'catalogue-search' }}
      filters={
        <>
          <Select
            allowClear
            placeholder={t('serviceDesk.catalogue.allCategories')}
            style={{ width: 160 }}
            value={list.filters.category}
            onChange={(v?: string) => list.setFilters({ category: v })}
            options={serviceCategories.map((c) => ({ value: c, label: t(`services.categories.${c}`) }))}
            data-testid="catalogue-category"
          />
          <Select
            style={{ width: 120 }}
            value={list.filters.retired ?? ''}
            onChange={(v: string) => list.setFilters({ retired: v || undefined })}
            options={[
              { value: '', label: t('serviceDesk.catalogue.state.all') },
              { value: 'false', label: t('serviceDesk.catalogue.state.offered') },
              { value: 'true', label: t('serviceDesk.catalogue.state.retired') },
            ]}
            data-testid="catalogue-retired"
          />
        </>
      }
      actions={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="catalogue-add">
            {t('serviceDesk.catalogue.add')}
          </Button>
        )
      }
      table={{
        rowKey: 'code',
        'data-testid': 'catalogue-table',
        columns: [
          { title: t('serviceDesk.catalogue.columns.code'), dataIndex: 'code', width: 120 },
          { title: t('serviceDesk.catalogue.columns.name'), dataIndex: 'name' },
          {
            title: t('serviceDesk.catalogue.columns.category'),
            dataIndex: 'category',
            width: 110,
            render: (c: ServiceCatalogueEntry['category']) => t(`services.categories.${c}`),
          },
          {
            title: t('serviceDesk.catalogue.columns.level'),
            width: 140,
            render: (_, r) =>
              [t(`serviceDesk.catalogue.levels.${r.level}`), r.departmentName].filter(Boolean).join(' · '),
          },
          {
            title: t('serviceDesk.catalogue.columns.timeLimit'),
            width: 150,
            render: (_, r) =>
              t('serviceDesk.catalogue.days', { promised: r.timeLimitDays, statutory: r.statutoryDays }),
          },
          {
            title: t('serviceDesk.catalogue.columns.materials'),
            width: 70,
            render: (_, r) => t('serviceDesk.catalogue.materialsCount', { count: r.materials.length }),
          },
          {
            title: t('serviceDesk.catalogue.columns.version'),
            dataIndex: 'version',
            width: 70,
            render: (v: number, r) => (
              <Button
                type="link"
                size="small"
                onClick={() => setHistory(r.code)}
                data-testid="catalogue-version"
              >
                v{v}
              </Button>
            ),
          },
          {
            title: t('serviceDesk.catalogue.columns.state'),
            width: 80,
            render: (_, r) =>
              r.retiredAt ? (
                <Tag>{t('serviceDesk.catalogue.retired')}</Tag>
              ) : (
                <Tag color="green">{t('serviceDesk.catalogue.offered')}</Tag>
              ),
          },
          ...(writable
            ? [
                {
                  title: t('serviceDesk.catalogue.columns.actions'),
                  width: 130,
                  render: (_: unknown, r: ServiceCatalogueEntry) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setEditing(r)}
                        data-testid="catalogue-edit"
                      >
                        {t('serviceDesk.catalogue.edit')}
                      </Button>
                      <Popconfirm
                        title={t(
                          r.retiredAt
                            ? 'serviceDesk.catalogue.restoreConfirm'
                            : 'serviceDesk.catalogue.retireConfirm',
                          { name: r.name },
                        )}
                        onConfirm={() => setRetired(r, !r.retiredAt)}
                      >
                        <Button type="link" size="small" danger={!r.retiredAt} data-testid="catalogue-retire">
                          {t(r.retiredAt ? 'serviceDesk.catalogue.restore' : 'serviceDesk.catalogue.retire')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ],
      }}
    >
      {editing && (
        <ServiceItemDrawer
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
      {history && <ServiceVersionsModal code={history} onClose={() => setHistory(null)} />}
    </ListPage>
  );
}
