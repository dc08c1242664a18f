import type { GrievanceState } from '@civicgrid/core/grievances/stateMachine';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const stateColors: Record<GrievanceState, string> = {
  registered: 'gold',
  accepted: 'blue',
  declined: 'default',
  answered: 'cyan',
  reviewRequested: 'purple',
  reviewed: 'geekblue',
  closed: 'green',
};

export function GrievanceStateTag({ state }: { state: GrievanceState }) {
  const { t } = useTranslation();
  return (
    <Tag color={stateColors[state]} data-testid="grievance-state">
      {t(`gov.grievanceStates.${state}`)}
    </Tag>
  );
}

/** The running deadline: its step, its last day, yellow when near (80 %), red when past. */
export function DeadlineTag({
  d,
}: {
  d: {
    step: 'acknowledge' | 'answer' | 'reviewAnswer';
    due: string;
    state: 'running' | 'warning' | 'overdue';
  } | null;
}) {
  const { t } = useTranslation();
  if (!d) return <>—</>;
  const color = d.state === 'overdue' ? 'red' : d.state === 'warning' ? 'orange' : 'default';
  return (
    <Tag color={color} data-testid="grievance-deadline">
      {t(`gov.deadlineSteps.${d.step}`)} {d.due}
      {d.state !== 'running' ? ` · ${t(`gov.deadlineStates.${d.state}`)}` : ''}
    </Tag>
  );
}
