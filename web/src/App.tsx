import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './common/auth.js';
import { LoginPage } from './console/LoginPage.js';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import updateLocale from 'dayjs/plugin/updateLocale';

// One week everywhere (core/calendar/weeks.ts): Monday first and ISO-numbered, in English
// too — week pickers follow the locale's first day, which in dayjs's English is Sunday.
dayjs.extend(updateLocale);
dayjs.updateLocale('en', { weekStart: 1, yearStart: 4 });

const ConsoleApp = lazy(() => import('./console/ConsoleApp.js'));
const StubSurface = lazy(() => import('./common/StubSurface.js'));
const DisclosurePage = lazy(() => import('./portal/DisclosurePage.js'));
const ScreenApp = lazy(() => import('./screen/ScreenApp.js'));

function Gate() {
  const { me, loading } = useAuth();
  if (loading) return <Spin fullscreen />;
  return (
    <Suspense fallback={<Spin fullscreen />}>
      <Routes>
        <Route path="/login" element={me ? <Navigate to="/" replace /> : <LoginPage />} />
        <Route path="/r/disclosure" element={<DisclosurePage />} />
        <Route path="/r/*" element={<StubSurface />} />
        <Route path="/screen/*" element={<ScreenApp />} />
        <Route path="/*" element={me ? <ConsoleApp /> : <Navigate to="/login" replace />} />
      </Routes>
    </Suspense>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
    >
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Gate />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
