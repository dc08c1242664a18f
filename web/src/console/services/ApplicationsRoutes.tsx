import { Route, Routes } from 'react-router-dom';
import ApplicationDetailPage from './ApplicationDetailPage.js';
import ApplicationListPage from './ApplicationListPage.js';

/** 办件: the list and one application's page. */
export default function ApplicationsRoutes() {
  return (
    <Routes>
      <Route index element={<ApplicationListPage />} />
      <Route path=":id" element={<ApplicationDetailPage />} />
    </Routes>
  );
}
