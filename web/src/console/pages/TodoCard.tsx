import type { CaseView } from '@civicgrid/core/api/cases';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { get } from '../../common/api.js';

/** The to-do views shown on the home page, in the order work flows. */
const todoViews: CaseView[] = [
  'toAccept',
  'toDispatch',
  'toClaim',
  'inProgress',
  'toVerify',
  'toFollowUp',
  'warning',
  'overdue',
];

/** 我的待办: the user's to-do counts (the case list's views), each opening its list. */
export function TodoCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const counts = useQuery({
    queryKey: ['case-counts'],
    queryFn: () => get<Record<CaseView, number>>('/api/cases/counts'),
    refetchInterval: 60_000,
  });
  // The badge counts what waits on the user's step; cases being handled elsewhere do not.
  const total = todoViews
    .filter((v) => v !== 'inProgress' && v !== 'warning' && v !== 'overdue')
    .reduce((n, v) => n + (counts.data?.[v] ?? 0), 0);
  return (
    <Card
      title={
        <span>
          {t('assessment.todo.title')} <Badge count={total} overflowCount={999} style={{ marginLeft: 6 }} />
        </span>
      }
      size="small"
      loading={counts.isLoading}
      data-testid="home-todo"
    >
      <Row gutter={[12, 12]}>
        {todoViews.map((v) => (
          <Col key={v} xs={12} sm={8} md={6} lg={3}>
            <Card
              hoverable
              size="small"
              onClick={() => navigate(`/cases?view=${v}`)}
              data-testid={`todo-${v}`}
              styles={{ body: { padding: '8px 12px' } }}
            >
              <Statistic
                title={t(`cases.views.${v}`)}
                value={counts.data?.[v] ?? 0}
                valueStyle={{
                  fontSize: 22,
                  color:
                    (v === 'overdue' || v === 'warning') && (counts.data?.[v] ?? 0) > 0
                      ? '#cf1322'
                      : undefined,
                }}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
