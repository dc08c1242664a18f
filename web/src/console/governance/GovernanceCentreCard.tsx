import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * 综治中心 on the home page: the dashboard's governance block (the last 30 days of the
 * user's area), read from the same reply as the dashboard below it.
 */
export function GovernanceCentreCard() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['dashboard', 'own'],
    queryFn: () => call('GET /api/dashboard', { query: {} }),
  });
  const g = q.data?.governance;
  const tiles: [string, string, string | number | undefined, boolean?][] = [
    ['disputes', t('govStats.kpi.disputes'), g?.disputes],
    ['redDisputes', t('govStats.kpi.redDisputes'), g?.redDisputes, true],
    ['successRate', t('govStats.kpi.successRate'), pct(g?.successRate)],
    ['performanceRate', t('govStats.kpi.performanceRate'), pct(g?.performanceRate)],
    ['grievances', t('govStats.kpi.grievances'), g?.grievances],
    ['grievancesOverdue', t('govStats.kpi.grievancesOverdue'), g?.grievancesOverdue, true],
    ['answerOnTime', t('govStats.kpi.answerOnTime'), pct(g?.grievanceAnswerOnTimeRate)],
    ['incidents', t('govStats.kpi.incidents'), g?.incidents],
  ];
  return (
    <Card
      size="small"
      title={t('govStats.home')}
      extra={<Link to="/governance/stats">{t('govStats.more')}</Link>}
      data-testid="home-governance"
    >
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        <Row gutter={[12, 12]}>
          {tiles.map(([key, title, value, alarm]) => (
            <Col key={key} xs={12} sm={6} md={3}>
              <Card
                size="small"
                data-testid={`home-governance-${key}`}
                styles={{ body: { padding: '8px 12px' } }}
              >
                <Statistic
                  title={title}
                  value={value ?? '—'}
                  valueStyle={{ fontSize: 22, color: alarm && value ? '#cf1322' : undefined }}
                />
              </Card>
            </Col>
          ))}
        </Row>
      </QueryState>
    </Card>
  );
}
