import type { ApplicationState } from '@civicgrid/core/services/stateMachine';
import { useQuery } from '@tanstack/react-query';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';

const stateColors: Record<ApplicationState, string> = {
  submitted: 'gold',
  incomplete: 'orange',
  accepted: 'blue',
  approved: 'cyan',
  issued: 'purple',
  collected: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

export function ApplicationStateTag({ state }: { state: ApplicationState }) {
  const { t } = useTranslation();
  return (
    <Tag color={stateColors[state]} data-testid="application-state">
      {t(`services.states.${state}`)}
    </Tag>
  );
}

/** The due date with the 80 % warning or the overdue mark, as lists and the detail show it. */
export function DueTags({ a }: { a: { dueDate: string | null; warning: boolean; overdue: boolean } }) {
  const { t } = useTranslation();
  if (!a.dueDate) return <span>—</span>;
  return (
    <Space size={4}>
      <span>{a.dueDate}</span>
      {a.overdue ? (
        <Tag color="red">{t('services.overdueTag')}</Tag>
      ) : (
        a.warning && <Tag color="orange">{t('services.warningTag')}</Tag>
      )}
    </Space>
  );
}

/** The service catalogue (current versions); it changes seldom. */
export function useServiceItems() {
  return useQuery({
    queryKey: ['services'],
    queryFn: () => call('GET /api/services'),
    staleTime: 5 * 60_000,
  });
}
