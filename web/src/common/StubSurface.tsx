import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export default function StubSurface() {
  const { t } = useTranslation();
  return <Result status="info" title={t('stub.title')} subTitle={t('stub.text')} />;
}
