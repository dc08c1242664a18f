import { Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from './api.js';

/** Loading, error and empty states, the same on every page. */
export function QueryState(props: {
  loading: boolean;
  error: unknown;
  empty?: boolean;
  onRetry?: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  if (props.loading) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin description={t('common.loading')}>
          <div style={{ height: 40 }} />
        </Spin>
      </div>
    );
  }
  if (props.error) {
    return (
      <Result
        status="warning"
        title={t('common.loadFailed')}
        subTitle={errorMessage(props.error)}
        extra={props.onRetry && <Button onClick={props.onRetry}>{t('common.retry')}</Button>}
      />
    );
  }
  if (props.empty) return <Empty description={t('common.empty')} style={{ padding: 32 }} />;
  return <>{props.children}</>;
}
