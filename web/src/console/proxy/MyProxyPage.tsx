import type { ApplicationState } from '@civicgrid/core/services/stateMachine';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import type { Reply } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { ApplicationStateTag, DueTags } from '../services/shared.js';

type Mine = Reply<'GET /api/proxy-applications'>['items'][number];
const states: ApplicationState[] = [
  'incomplete',
  'accepted',
  'approved',
  'issued',
  'collected',
  'rejected',
  'withdrawn',
];
const fmt = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** 我代办的: the applications the user carries for residents, followed to the end (帮办代办). */
export default function MyProxyPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = usePagedList<Mine, 'status'>({
    url: '/api/proxy-applications',
    key: 'proxy-applications',
    filters: ['status'],
  });
  return (
    <ListPage
      title={t('proxy.mine.title')}
      testId="my-proxy"
      list={list}
      empty={t('proxy.mine.empty')}
      filters={
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('proxy.mine.status')}
          value={list.filters.status}
          onChange={(v?: string) => list.setFilters({ status: v })}
          options={states.map((s) => ({ value: s, label: t(`services.states.${s}`) }))}
        />
      }
      table={{
        rowKey: 'id',
        size: 'middle',
        columns: [
          {
            title: t('proxy.mine.code'),
            dataIndex: 'code',
            width: 180,
            // The application's page is the back office's (application:read); the agent follows it here.
            render: (code: string, a: Mine) =>
              can('application:read') ? <Link to={`/applications/${a.id}`}>{code}</Link> : code,
          },
          { title: t('proxy.mine.service'), dataIndex: 'serviceName', width: 200, ellipsis: true },
          { title: t('proxy.mine.applicant'), dataIndex: 'applicantName', width: 100 },
          {
            title: t('proxy.mine.status'),
            dataIndex: 'status',
            width: 110,
            render: (s: ApplicationState) => <ApplicationStateTag state={s} />,
          },
          { title: t('proxy.mine.due'), width: 170, render: (_: unknown, a: Mine) => <DueTags a={a} /> },
          {
            title: t('proxy.mine.consent'),
            dataIndex: 'consentMethod',
            width: 110,
            render: (m: Mine['consentMethod']) => t(`proxy.consent.${m}`),
          },
          { title: t('proxy.mine.point'), dataIndex: 'proxyPointName', ellipsis: true },
          { title: t('proxy.mine.takenAt'), dataIndex: 'createdAt', width: 160, render: fmt },
        ],
      }}
    />
  );
}
