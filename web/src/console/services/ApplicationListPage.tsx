import type { applicationSummary } from '@civicgrid/core/api/services';
import { applicationStates } from '@civicgrid/core/services/stateMachine';
import { Button, Checkbox, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import { useAuth } from '../../common/auth.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { fmt } from '../cases/shared.js';
import { ApplicationStateTag, DueTags, useServiceItems } from './shared.js';

type ApplicationSummary = z.output<typeof applicationSummary>;
const filterKeys = ['status', 'serviceCode', 'overdue', 'warning', 'todo'] as const;

/** 办件列表: the applications of the user's area, filtered by state, item and overdue. */
export default function ApplicationListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const services = useServiceItems();
  const list = usePagedList<ApplicationSummary, (typeof filterKeys)[number]>({
    url: '/api/applications',
    key: 'applications',
    filters: filterKeys,
  });
  return (
    <ListPage<ApplicationSummary>
      title={t('services.list.title')}
      testId="applications-page"
      list={list}
      empty={t('services.list.empty')}
      totalText={(n) => t('services.list.total', { count: n })}
      actions={
        can('application:intake') && (
          <Button type="primary" onClick={() => navigate('/intake')} data-testid="applications-intake">
            {t('services.list.intake')}
          </Button>
        )
      }
      filters={
        <>
          <Select
            allowClear
            placeholder={t('services.list.status')}
            style={{ width: 140 }}
            value={list.filters.status}
            onChange={(v?: string) => list.setFilters({ status: v })}
            options={applicationStates.map((s) => ({ value: s, label: t(`services.states.${s}`) }))}
            data-testid="applications-status"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('services.list.service')}
            style={{ width: 240 }}
            loading={services.isLoading}
            value={list.filters.serviceCode}
            onChange={(v?: string) => list.setFilters({ serviceCode: v })}
            options={(services.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))}
            data-testid="applications-service"
          />
          <Checkbox
            checked={list.filters.overdue === 'true'}
            onChange={(e) =>
              list.setFilters({ overdue: e.target.checked ? 'true' : undefined, warning: undefined })
            }
            data-testid="applications-overdue"
          >
            {t('services.list.overdueOnly')}
          </Checkbox>
          <Checkbox
            checked={list.filters.warning === 'true'}
            onChange={(e) =>
              list.setFilters({ warning: e.target.checked ? 'true' : undefined, overdue: undefined })
            }
            data-testid="applications-warning"
          >
            {t('services.list.warningOnly')}
          </Checkbox>
          {list.filters.todo && (
            <Tag
              closable
              onClose={() => list.setFilters({ todo: undefined })}
              data-testid="applications-todo"
            >
              {t('services.list.todo')}：
              {t(`services.todo.${list.filters.todo}`, { defaultValue: list.filters.todo })}
            </Tag>
          )}
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'applications-table',
        scroll: { x: 1000 },
        columns: [
          {
            title: t('services.list.code'),
            dataIndex: 'code',
            width: 170,
            render: (code: string, a) => <Link to={`/applications/${a.id}`}>{code}</Link>,
          },
          {
            title: t('services.list.service'),
            dataIndex: 'serviceName',
            ellipsis: true,
          },
          {
            title: t('services.list.applicant'),
            key: 'applicant',
            width: 220,
            render: (_, a) => (
              <span>
                {a.applicantName}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.applicantIdNumber}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('services.list.channel'),
            dataIndex: 'channel',
            width: 90,
            render: (c: ApplicationSummary['channel']) => t(`services.channels.${c}`),
          },
          {
            title: t('services.list.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: ApplicationSummary['status']) => <ApplicationStateTag state={s} />,
          },
          {
            title: t('services.list.acceptedAt'),
            dataIndex: 'acceptedAt',
            width: 150,
            render: (v: string | null) => fmt(v),
          },
          {
            title: t('services.list.dueDate'),
            key: 'due',
            width: 170,
            render: (_, a) => <DueTags a={a} />,
          },
        ],
      }}
    />
  );
}
