import { Route, Routes } from 'react-router-dom';
import GrievanceDetailPage from './GrievanceDetailPage.js';
import GrievanceListPage from './GrievanceListPage.js';

/** 信访事项: the list (with registration) and one grievance's page. */
export default function GrievancesRoutes() {
  return (
    <Routes>
      <Route index element={<GrievanceListPage />} />
      <Route path=":id" element={<GrievanceDetailPage />} />
    </Routes>
  );
}
