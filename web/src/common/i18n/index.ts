import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './en-US.js';
import { zhCN } from './zh-CN.js';

export type Language = 'zh-CN' | 'en-US';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('cg.lang');
export const initialLanguage: Language = stored === 'en-US' ? 'en-US' : 'zh-CN';

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: initialLanguage,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

export function setLanguage(lang: Language): void {
  localStorage.setItem('cg.lang', lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18n;
