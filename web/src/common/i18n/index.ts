import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './en-US.js';
import { assessmentEn, assessmentZh } from './modules/assessment.js';
import { careEn, careZh } from './modules/care.js';
import { caseFormsEn, caseFormsZh } from './modules/caseForms.js';
import { casesEn, casesZh } from './modules/cases.js';
import { disputesEn, disputesZh } from './modules/disputes.js';
import { eldercareEn, eldercareZh } from './modules/eldercare.js';
import { elderOrdersEn, elderOrdersZh } from './modules/eldercareOrders.js';
import { fieldworkEn, fieldworkZh } from './modules/fieldwork.js';
import { governanceEn, governanceZh } from './modules/governance.js';
import { governanceStatsEn, governanceStatsZh } from './modules/governanceStats.js';
import { integrationsEn, integrationsZh } from './modules/integrations.js';
import { jobsEn, jobsZh } from './modules/jobs.js';
import { mediationEn, mediationZh, rostersEn, rostersZh } from './modules/mediationRosters.js';
import { noticesEn, noticesZh } from './modules/notices.js';
import { participationEn, participationZh } from './modules/participation.js';
import { partyEn, partyZh } from './modules/partyOrgs.js';
import { placesEn, placesZh } from './modules/places.js';
import { propertyEn, propertyZh } from './modules/property.js';
import { proxyEn, proxyZh } from './modules/proxy.js';
import { residentsEn, residentsZh } from './modules/residents.js';
import { screenEn, screenZh } from './modules/screen.js';
import { serviceDeskEn, serviceDeskZh } from './modules/serviceDesk.js';
import { serviceStatsEn, serviceStatsZh } from './modules/serviceStats.js';
import { servicesEn, servicesZh } from './modules/services.js';
import { shellEn, shellZh } from './modules/shell.js';
import { socialOrgsEn, socialOrgsZh } from './modules/socialOrgs.js';
import { volunteerTeamsEn, volunteerTeamsZh } from './modules/volunteerTeams.js';
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
        govStats: governanceStatsZh,
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
        participation: participationZh,
        party: partyZh,
        volunteerTeams: volunteerTeamsZh,
        socialOrgs: socialOrgsZh,
        property: propertyZh,
        serviceDesk: serviceDeskZh,
        serviceStats: serviceStatsZh,
        shell: shellZh,
        elder: eldercareZh,
        elderOrders: elderOrdersZh,
        notices: noticesZh,
        mediation: mediationZh,
        rosters: rostersZh,
      },
    },
    'en-US': {
      translation: {
        ...enUS,
        cases: casesEn,
        disputes: disputesEn,
        gov: governanceEn,
        govStats: governanceStatsEn,
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
        participation: participationEn,
        party: partyEn,
        volunteerTeams: volunteerTeamsEn,
        socialOrgs: socialOrgsEn,
        property: propertyEn,
        serviceDesk: serviceDeskEn,
        serviceStats: serviceStatsEn,
        shell: shellEn,
        elder: eldercareEn,
        elderOrders: elderOrdersEn,
        notices: noticesEn,
        mediation: mediationEn,
        rosters: rostersEn,
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
