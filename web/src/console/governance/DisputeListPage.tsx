import type { DisputeSummary } from '@civicgrid/core/api/disputes';
import { disputeTypes, riskLevels } from '@civicgrid/core/api/disputes';
import { disputeStates } from '@civicgrid/core/disputes/stateMachine';
import { Button, Select, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { DisputeStateTag, RiskTag } from './disputeShared.js';

const filterKeys = ['status', 'type', 'riskLevel'] as const;

/** 矛盾纠纷: the disputes of the user's area, by state, type and risk. */
export default function DisputeListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = usePagedList<DisputeSummary, (typeof filterKeys)[number]>({
    url: '/api/disputes',
    key: 'disputes',
    filters: filterKeys,
  });
  const select = (
    key: (typeof filterKeys)[number],
    values: readonly string[],
    prefix: string,
    width: number,
  ) => (
    <Select
      allowClear
      placeholder={t(`disputes.list.${key === 'riskLevel' ? 'risk' : key}`)}
      style={{ width }}
      value={list.filters[key]}
      onChange={(v?: string) => list.setFilters({ [key]: v })}
      options={values.map((v) => ({ value: v, label: t(`disputes.${prefix}.${v}`) }))}
      data-testid={`disputes-${key}`}
    />
  );
  return (
    <ListPage<DisputeSummary>
      title={t('disputes.list.title')}
      testId="disputes-page"
      list={list}
      empty={t('disputes.list.empty')}
      totalText={(n) => t('disputes.list.total', { count: n })}
      actions={
        can('dispute:register') && (
          <Button
            type="primary"
            onClick={() => navigate('/governance/disputes/new')}
            data-testid="disputes-register"
          >
            {t('disputes.list.register')}
          </Button>
        )
      }
      filters={
        <>
          {select('status', disputeStates, 'states', 130)}
          {select('type', disputeTypes, 'types', 130)}
          {select('riskLevel', riskLevels, 'risks', 110)}
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'disputes-table',
        scroll: { x: 1000 },
        columns: [
          {
            title: t('disputes.list.code'),
            dataIndex: 'code',
            width: 180,
            render: (code: string, d) => <Link to={`/governance/disputes/${d.id}`}>{code}</Link>,
          },
          {
            title: t('disputes.list.type'),
            dataIndex: 'type',
            width: 100,
            render: (v: DisputeSummary['type']) => t(`disputes.types.${v}`),
          },
          {
            title: t('disputes.list.parties'),
            key: 'parties',
            render: (_, d) =>
              t('disputes.list.versus', { a: d.applicants.join('、'), b: d.respondents.join('、') }),
          },
          {
            title: t('disputes.list.risk'),
            dataIndex: 'riskLevel',
            width: 80,
            render: (v: DisputeSummary['riskLevel']) => <RiskTag level={v} />,
          },
          {
            title: t('disputes.list.status'),
            dataIndex: 'status',
            width: 110,
            render: (v: DisputeSummary['status']) => <DisputeStateTag state={v} />,
          },
          {
            title: t('disputes.list.mediator'),
            key: 'mediator',
            width: 200,
            render: (_, d) => d.mediatorName ?? d.committeeName ?? '—',
          },
          {
            title: t('disputes.list.deadline'),
            key: 'deadline',
            width: 160,
            render: (_, d) => (
              <Space size={4}>
                {d.deadline}
                {d.overdue && <Tag color="red">{t('disputes.list.overdue')}</Tag>}
              </Space>
            ),
          },
        ],
      }}
    />
  );
}
