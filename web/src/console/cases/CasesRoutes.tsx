import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';

const CaseListPage = lazy(() => import('./CaseListPage.js'));
const CaseReportPage = lazy(() => import('./CaseReportPage.js'));
const CaseDetailPage = lazy(() => import('./CaseDetailPage.js'));

export default function CasesRoutes() {
  return (
    <Routes>
      <Route index element={<CaseListPage />} />
      <Route path="new" element={<CaseReportPage />} />
      <Route path=":id" element={<CaseDetailPage />} />
    </Routes>
  );
}
