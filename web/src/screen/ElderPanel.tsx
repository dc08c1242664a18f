import type { ScreenEldercare } from '@civicgrid/core/api/eldercareOrders';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../common/client.js';
import { Panel } from './Panels.js';

/**
 * 智慧养老 on the wall (issue 20): today's alerts and 12349 orders, the open ones, and the
 * wearables online — read again every minute; a dash while unknown, kept when a read fails.
 */
export function ElderPanel() {
  const { t } = useTranslation();
  const [d, setD] = useState<ScreenEldercare | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () =>
      call('GET /api/screen/eldercare')
        .then((r) => !stop && setD(r))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, 60_000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);
  const tile = (label: string, value: number | undefined, sub?: string, danger = false) => (
    <div className={`screen-kpi ${danger ? 'danger' : ''}`}>
      <div className="screen-kpi-value">{value ?? '—'}</div>
      <div className="screen-kpi-label">
        {label}
        {sub ? ` · ${sub}` : ''}
      </div>
    </div>
  );
  return (
    <Panel title={t('elderOrders.screen.title')}>
      <div className="screen-kpis" data-testid="screen-eldercare">
        {tile(
          t('elderOrders.screen.alertsToday'),
          d?.alertsToday,
          d ? t('elderOrders.screen.alertsOpen', { n: d.alertsOpen }) : undefined,
          (d?.alertsOpen ?? 0) > 0,
        )}
        {tile(
          t('elderOrders.screen.ordersToday'),
          d?.ordersToday,
          d ? t('elderOrders.screen.ordersOpen', { n: d.ordersOpen }) : undefined,
        )}
        {tile(
          t('elderOrders.screen.devicesOnline'),
          d?.devicesOnline,
          d ? t('elderOrders.screen.devicesTotal', { n: d.devicesTotal }) : undefined,
        )}
      </div>
    </Panel>
  );
}
