import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../common/i18n/index.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Button
      size="small"
      type="text"
      onClick={() => setLanguage(i18n.language === 'en-US' ? 'zh-CN' : 'en-US')}
      data-testid="language-switch"
    >
      {t('menu.language')}
    </Button>
  );
}
