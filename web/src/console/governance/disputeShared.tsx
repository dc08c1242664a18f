import type { RiskLevel } from '@civicgrid/core/api/disputes';
import type { DisputeState } from '@civicgrid/core/disputes/stateMachine';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const stateColors: Record<DisputeState, string> = {
  registered: 'default',
  accepted: 'blue',
  assigned: 'geekblue',
  mediating: 'processing',
  agreed: 'cyan',
  failed: 'orange',
  closed: 'green',
};
const riskColors: Record<RiskLevel, string> = {
  red: 'red',
  orange: 'orange',
  yellow: 'gold',
  green: 'green',
};

export function DisputeStateTag({ state }: { state: DisputeState }) {
  const { t } = useTranslation();
  return (
    <Tag color={stateColors[state]} data-testid="dispute-state">
      {t(`disputes.states.${state}`)}
    </Tag>
  );
}

export function RiskTag({ level }: { level: RiskLevel }) {
  const { t } = useTranslation();
  return <Tag color={riskColors[level]}>{t(`disputes.risks.${level}`)}</Tag>;
}
