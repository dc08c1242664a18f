import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

/**
 * 我的待办: the cases waiting for the user's own action, one tile per step (the case list's
 * to-do views, in the order work flows), then the service centre's applications the same
 * way, each opening its list. The steps do not overlap, so the badge is the sum of the tiles.
 */
export function TodoCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const todos = useQuery({
    // Under the case counts' key: whatever refreshes them after an action refreshes this too.
    queryKey: ['case-counts', 'todos'],
    queryFn: () => call('GET /api/dashboard/todos'),
    refetchInterval: 60_000,
    enabled: can('case:read'),
  });
  // The service centre's to-dos (applications), beside the cases: the badge counts both.
  const applications = useQuery({
    queryKey: ['applications', 'todos'],
    queryFn: () => call('GET /api/applications/todos'),
    refetchInterval: 60_000,
    enabled: can('application:read'),
  });
  const total = (todos.data?.total ?? 0) + (applications.data?.total ?? 0);
  return (
    <Card
      title={
        <span>
          {t('assessment.todo.title')}{' '}
          <Badge
            count={total}
            showZero
            overflowCount={999}
            color={total ? undefined : '#bfbfbf'}
            style={{ marginLeft: 6 }}
            data-testid="todo-total"
          />
        </span>
      }
      size="small"
      data-testid="home-todo"
    >
      <QueryState
        loading={todos.isLoading || applications.isLoading}
        error={todos.error ?? applications.error}
        onRetry={() => {
          void todos.refetch();
          void applications.refetch();
        }}
      >
        <Row gutter={[12, 12]}>
          {todos.data?.tiles.map(({ view, count }) => (
            <Col key={view} xs={12} sm={8} md={4}>
              <Card
                hoverable
                size="small"
                onClick={() => navigate(`/cases?view=${view}`)}
                data-testid={`todo-${view}`}
                styles={{ body: { padding: '8px 12px' } }}
              >
                <Statistic
                  title={t(`cases.views.${view}`)}
                  value={count}
                  valueStyle={{ fontSize: 22, color: count ? undefined : '#bfbfbf' }}
                />
              </Card>
            </Col>
          ))}
          {applications.data?.tiles.map(({ kind, count }) => (
            <Col key={`application-${kind}`} xs={12} sm={8} md={4}>
              <Card
                hoverable
                size="small"
                onClick={() => navigate(`/applications?todo=${kind}`)}
                data-testid={`todo-application-${kind}`}
                styles={{ body: { padding: '8px 12px' } }}
              >
                <Statistic
                  title={t(`services.todo.${kind}`)}
                  value={count}
                  valueStyle={{ fontSize: 22, color: count ? undefined : '#bfbfbf' }}
                />
              </Card>
            </Col>
          ))}
        </Row>
      </QueryState>
    </Card>
  );
}
