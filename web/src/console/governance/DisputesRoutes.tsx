import { Route, Routes } from 'react-router-dom';
import DisputeDetailPage from './DisputeDetailPage.js';
import DisputeFormPage from './DisputeFormPage.js';
import DisputeListPage from './DisputeListPage.js';

/** 矛盾纠纷: the list, the registration form and one dispute's page. */
export default function DisputesRoutes() {
  return (
    <Routes>
      <Route index element={<DisputeListPage />} />
      <Route path="new" element={<DisputeFormPage />} />
      <Route path=":id" element={<DisputeDetailPage />} />
    </Routes>
  );
}
