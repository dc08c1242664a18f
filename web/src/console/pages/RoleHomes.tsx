import { ReloadOutlined } from '@ant-design/icons';
import { auditActionName } from '@civicgrid/core/audit/actions';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { ChainAlert } from './AuditPage.js';

const time = (iso: string | null) => (iso ? dayjs(iso).format('MM-DD HH:mm') : '—');

/**
 * The parts of the home that belong to a duty: the system admin's platform, the security
 * admin's accounts, the audit admin's trail, the resident's portal. Each asks only what
 * its permission allows; a user with several duties sees several.
 */
export function RoleHomes() {
  const { can } = useAuth();
  return (
    <>
      {can('system:configure') && (
        <Col span={24}>
          <SystemHome />
        </Col>
      )}
      {can('user:read') && (
        <Col span={24}>
          <SecurityHome />
        </Col>
      )}
      {can('audit:read') && (
        <Col span={24}>
          <AuditHome />
        </Col>
      )}
      {!can('case:read') && can('case:report') && (
        <Col span={24}>
          <ResidentHome />
        </Col>
      )}
    </>
  );
}

function SystemHome() {
  const { t } = useTranslation();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => get<{ status: string; database: string }>('/api/health'),
    refetchInterval: 60_000,
  });
  const overview = useQuery({
    queryKey: ['overview-system'],
    queryFn: () => call('GET /api/overview/system'),
    refetchInterval: 30_000,
  });
  const imports = overview.data?.imports;
  const up = health.data?.status === 'ok';
  return (
    <Card
      title={t('shell.home.system.title')}
      data-testid="home-system"
      extra={
        <Button
          size="small"
          icon={<ReloadOutlined />}
          onClick={() => {
            void health.refetch();
            void overview.refetch();
          }}
        >
          {t('shell.home.refresh')}
        </Button>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('shell.home.system.service')}>
              {health.isLoading ? (
                '…'
              ) : health.error ? (
                <Badge status="error" text={t('shell.home.system.unreachable')} />
              ) : (
                <Badge
                  status={up ? 'success' : 'error'}
                  text={t(up ? 'shell.home.system.ok' : 'shell.home.system.down')}
                />
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('shell.home.system.database')}>
              {health.data?.database ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {health.dataUpdatedAt
              ? t('shell.home.checkedAt', { time: dayjs(health.dataUpdatedAt).format('HH:mm:ss') })
              : ''}
          </Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('shell.home.system.configHint')}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} md={16}>
          <Typography.Text strong>{t('shell.home.system.imports')}</Typography.Text>
          <QueryState loading={overview.isLoading} error={overview.error} onRetry={() => overview.refetch()}>
            {imports && (
              <>
                <Row gutter={16} style={{ margin: '12px 0' }}>
                  <Col span={8}>
                    <Statistic title={t('shell.home.system.importsRunning')} value={imports.running} />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t('shell.home.system.importsFailed')}
                      value={imports.failed}
                      styles={{ content: imports.failed ? { color: '#cf1322' } : {} }}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('shell.home.system.importsDone')} value={imports.done} />
                  </Col>
                </Row>
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={imports.recent}
                  locale={{ emptyText: t('shell.home.system.importsEmpty') }}
                  columns={[
                    { title: t('shell.home.system.importKind'), dataIndex: 'kind' },
                    {
                      title: t('shell.home.system.importStatus'),
                      dataIndex: 'status',
                      render: (s: string) => (
                        <Tag color={s === 'failed' ? 'red' : s === 'done' ? 'green' : 'blue'}>
                          {t(`shell.home.system.status.${s}`)}
                        </Tag>
                      ),
                    },
                    {
                      title: t('shell.home.system.importRows'),
                      render: (_: unknown, r) => `${r.imported} / ${r.failed}（${r.total}）`,
                    },
                    { title: t('shell.home.system.importAt'), dataIndex: 'createdAt', render: time },
                  ]}
                />
              </>
            )}
          </QueryState>
        </Col>
      </Row>
    </Card>
  );
}

function AccountList<T extends { id: string; username: string; displayName: string }>({
  title,
  count,
  items,
  extra,
  testId,
}: {
  title: string;
  count: number;
  items: T[];
  extra: (u: T) => string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Statistic value={count} styles={{ content: count ? { color: '#cf1322' } : {} }} />
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('shell.home.security.none')}</Typography.Text>
      ) : (
        <div style={{ marginTop: 8 }}>
          {items.map((u) => (
            <div
              key={u.id}
              style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '4px 0' }}
            >
              <Space>
                <Typography.Text code>{u.username}</Typography.Text>
                {u.displayName}
              </Space>
              <Typography.Text type="secondary">{extra(u)}</Typography.Text>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function SecurityHome() {
  const { t } = useTranslation();
  const o = useQuery({
    queryKey: ['overview-security'],
    queryFn: () => call('GET /api/overview/security'),
    refetchInterval: 60_000,
  });
  return (
    <Card
      title={t('shell.home.security.title')}
      data-testid="home-security"
      extra={<Link to="/users">{t('shell.home.security.manage')}</Link>}
    >
      <QueryState loading={o.isLoading} error={o.error} onRetry={() => o.refetch()}>
        {o.data && (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <AccountList
                testId="home-locked"
                title={t('shell.home.security.locked')}
                count={o.data.locked.count}
                items={o.data.locked.items}
                extra={(u) => `${t('shell.home.security.lockedUntil')} ${time(u.lockedUntil)}`}
              />
            </Col>
            <Col xs={24} lg={8}>
              <AccountList
                testId="home-totp-missing"
                title={t('shell.home.security.totpMissing')}
                count={o.data.totpMissing.count}
                items={o.data.totpMissing.items}
                extra={(u) => u.roles.join('、')}
              />
            </Col>
            <Col xs={24} lg={8}>
              <AccountList
                testId="home-failing"
                title={t('shell.home.security.failing')}
                count={o.data.failing.count}
                items={o.data.failing.items}
                extra={(u) => `${t('shell.home.security.failures')} ${u.failures}`}
              />
            </Col>
          </Row>
        )}
      </QueryState>
    </Card>
  );
}

function AuditHome() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  const o = useQuery({
    queryKey: ['overview-audit'],
    queryFn: () => call('GET /api/overview/audit'),
    refetchInterval: 60_000,
  });
  // The chain check reads the whole log: run when asked, not on every visit.
  const [checking, setChecking] = useState(false);
  const chain = useQuery({
    queryKey: ['audit-verify'],
    queryFn: () => call('GET /api/audit-log/verify'),
    enabled: checking,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const day = o.data?.day;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card
          title={t('shell.home.audit.title')}
          data-testid="home-audit"
          extra={day && <Link to={`/audit?day=${day}`}>{t('shell.home.audit.openLog')}</Link>}
        >
          <QueryState loading={o.isLoading} error={o.error} onRetry={() => o.refetch()}>
            {o.data && (
              <>
                <Typography.Paragraph>
                  {t('shell.home.audit.total', { count: o.data.total })}
                </Typography.Paragraph>
                <Table
                  rowKey="action"
                  size="small"
                  pagination={false}
                  dataSource={o.data.byAction}
                  locale={{ emptyText: t('shell.home.audit.empty') }}
                  columns={[
                    {
                      title: t('shell.home.audit.action'),
                      dataIndex: 'action',
                      render: (a: string) => (
                        <Link to={`/audit?day=${day}&action=${encodeURIComponent(a)}`}>
                          {auditActionName(a, lang)}
                        </Link>
                      ),
                    },
                    {
                      title: t('shell.home.audit.code'),
                      dataIndex: 'action',
                      render: (a: string) => <Typography.Text code>{a}</Typography.Text>,
                    },
                    { title: t('shell.home.audit.count'), dataIndex: 'count', width: 90, align: 'right' },
                  ]}
                />
              </>
            )}
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('shell.home.audit.chain')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Button
              type="primary"
              loading={chain.isFetching}
              onClick={() => (checking ? void chain.refetch() : setChecking(true))}
              data-testid="home-audit-verify"
            >
              {chain.isFetching ? t('shell.home.audit.verifying') : t('shell.home.audit.verify')}
            </Button>
            {chain.data && <ChainAlert verdict={chain.data} />}
            {chain.data && (
              <Typography.Text type="secondary">
                {t('shell.home.checkedAt', { time: dayjs(chain.dataUpdatedAt).format('HH:mm:ss') })}
              </Typography.Text>
            )}
          </Space>
        </Card>
      </Col>
    </Row>
  );
}

/** A resident's account reports through the resident portal; the console has nothing else for it. */
function ResidentHome() {
  const { t } = useTranslation();
  return (
    <Card title={t('shell.home.resident.title')} data-testid="home-resident">
      <Typography.Paragraph>{t('shell.home.resident.intro')}</Typography.Paragraph>
      <Space>
        <Button type="primary" href="/r">
          {t('shell.home.resident.portal')}
        </Button>
        <Button href="/r/disclosure">{t('shell.home.resident.disclosure')}</Button>
      </Space>
    </Card>
  );
}
