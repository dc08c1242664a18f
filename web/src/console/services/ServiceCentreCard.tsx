import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * The service centre on the home page: the last 30 days of the user's area (taken in, done,
 * on time, 好评率) and what runs late now (overdue and due soon, whenever taken in — the
 * list's own counts, so a click shows exactly them).
 */
export function ServiceCentreCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const query = { from: dayjs().subtract(29, 'day').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') };
  const m = useQuery({
    queryKey: ['service-metrics', 'home', query],
    queryFn: () => call('GET /api/metrics/services', { query }),
  });
  const late = useQuery({
    queryKey: ['applications', 'home-late'],
    queryFn: async () => {
      const [overdue, warning] = await Promise.all([
        call('GET /api/applications', { query: { overdue: true, pageSize: 1 } }),
        call('GET /api/applications', { query: { warning: true, pageSize: 1 } }),
      ]);
      return { overdue: overdue.total, warning: warning.total };
    },
    refetchInterval: 60_000,
  });
  const tiles: [string, string, string | number | undefined, string?][] = [
    ['total', t('serviceStats.kpi.total'), m.data?.total],
    ['completed', t('serviceStats.kpi.completed'), m.data?.completed],
    ['onTimeRate', t('serviceStats.kpi.onTimeRate'), pct(m.data?.onTimeRate)],
    ['goodRatingRate', t('serviceStats.kpi.goodRatingRate'), pct(m.data?.goodRatingRate)],
    ['overdue', t('serviceStats.kpi.overdue'), late.data?.overdue, '/applications?overdue=true'],
    ['warning', t('serviceStats.kpi.warning'), late.data?.warning, '/applications?warning=true'],
  ];
  return (
    <Card
      size="small"
      title={t('serviceStats.home')}
      extra={<Link to="/service-stats">{t('serviceStats.more')}</Link>}
      data-testid="home-service-centre"
    >
      <QueryState loading={m.isLoading} error={m.error ?? late.error} onRetry={() => m.refetch()}>
        <Row gutter={[12, 12]}>
          {tiles.map(([key, title, value, to]) => (
            <Col key={key} xs={12} sm={8} md={4}>
              <Card
                size="small"
                hoverable={Boolean(to)}
                onClick={to ? () => navigate(to) : undefined}
                data-testid={`home-service-${key}`}
                styles={{ body: { padding: '8px 12px' } }}
              >
                <Statistic
                  title={title}
                  value={value ?? '—'}
                  valueStyle={{
                    fontSize: 22,
                    color:
                      key === 'overdue' && value
                        ? '#cf1322'
                        : key === 'warning' && value
                          ? '#d48806'
                          : undefined,
                  }}
                />
              </Card>
            </Col>
          ))}
        </Row>
      </QueryState>
    </Card>
  );
}
