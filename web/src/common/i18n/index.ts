import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './en-US.js';
import { assessmentEn, assessmentZh } from './modules/assessment.js';
import { careEn, careZh } from './modules/care.js';
import { caseFormsEn, caseFormsZh } from './modules/caseForms.js';
import { casesEn, casesZh } from './modules/cases.js';
import { disputesEn, disputesZh } from './modules/disputes.js';
import { fieldworkEn, fieldworkZh } from './modules/fieldwork.js';
import { governanceEn, governanceZh } from './modules/governance.js';
import { integrationsEn, integrationsZh } from './modules/integrations.js';
import { jobsEn, jobsZh } from './modules/jobs.js';
import { placesEn, placesZh } from './modules/places.js';
import { proxyEn, proxyZh } from './modules/proxy.js';
import { residentsEn, residentsZh } from './modules/residents.js';
import { screenEn, screenZh } from './modules/screen.js';
import { serviceDeskEn, serviceDeskZh } from './modules/serviceDesk.js';
import { serviceStatsEn, serviceStatsZh } from './modules/serviceStats.js';
import { servicesEn, servicesZh } from './modules/services.js';
import { shellEn, shellZh } from './modules/shell.js';
import { zhCN } from './zh-CN.js';

export type Language = 'zh-CN' | 'en-US';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('cg.lang');
export const initialLanguage: Language = stored === 'en-US' ? 'en-US' : 'zh-CN';

void i18n.use(initReactI18next).init({
  // The pages of each module keep their strings in modules/<module>.ts, under their own key.
  resources: {
    'zh-CN': {
      translation: {
        ...zhCN,
        cases: casesZh,
        disputes: disputesZh,
        gov: governanceZh,
        caseForms: caseFormsZh,
        residents: residentsZh,
        places: placesZh,
        care: careZh,
        fieldwork: fieldworkZh,
        jobs: jobsZh,
        integrations: integrationsZh,
        assessment: assessmentZh,
        screen: screenZh,
        services: servicesZh,
        proxy: proxyZh,
        serviceDesk: serviceDeskZh,
        serviceStats: serviceStatsZh,
        shell: shellZh,
      },
    },
    'en-US': {
      translation: {
        ...enUS,
        cases: casesEn,
        disputes: disputesEn,
        gov: governanceEn,
        caseForms: caseFormsEn,
        residents: residentsEn,
        places: placesEn,
        care: careEn,
        fieldwork: fieldworkEn,
        jobs: jobsEn,
        integrations: integrationsEn,
        assessment: assessmentEn,
        screen: screenEn,
        services: servicesEn,
        proxy: proxyEn,
        serviceDesk: serviceDeskEn,
        serviceStats: serviceStatsEn,
        shell: shellEn,
      },
    },
  },
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
