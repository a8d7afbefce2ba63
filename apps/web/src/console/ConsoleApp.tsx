import { Button, Result } from 'antd';
import { lazy } from 'react';
import { Link, Route, Routes } from 'react-router';
import { ConsoleLayout } from './ConsoleLayout';

const ConsoleHomePage = lazy(() => import('./ConsoleHomePage').then((m) => ({ default: m.ConsoleHomePage })));
const StaffLoginPage = lazy(() =>
  import('../features/identity/pages/StaffLoginPage').then((m) => ({ default: m.StaffLoginPage })),
);
const RecoveryReviewPage = lazy(() =>
  import('../features/identity/pages/RecoveryReviewPage').then((m) => ({ default: m.RecoveryReviewPage })),
);

const UnitReviewListPage = lazy(() =>
  import('../features/units/pages/UnitReviewListPage').then((m) => ({ default: m.UnitReviewListPage })),
);
const UnitReviewDetailPage = lazy(() =>
  import('../features/units/pages/UnitReviewDetailPage').then((m) => ({ default: m.UnitReviewDetailPage })),
);
const StaffAccountsPage = lazy(() =>
  import('../features/units/pages/StaffAccountsPage').then((m) => ({ default: m.StaffAccountsPage })),
);
const OrgNodesPage = lazy(() =>
  import('../features/units/pages/OrgNodesPage').then((m) => ({ default: m.OrgNodesPage })),
);
const AuditLogPage = lazy(() =>
  import('../features/units/pages/AuditLogPage').then((m) => ({ default: m.AuditLogPage })),
);

export function ConsoleApp() {
  return (
    <Routes>
      <Route path="login" element={<StaffLoginPage />} />
      <Route element={<ConsoleLayout />}>
        <Route index element={<ConsoleHomePage />} />
        <Route path="recoveries" element={<RecoveryReviewPage />} />
        <Route path="unit-reviews" element={<UnitReviewListPage />} />
        <Route path="unit-reviews/:id" element={<UnitReviewDetailPage />} />
        <Route path="staff-accounts" element={<StaffAccountsPage />} />
        <Route path="audit-logs" element={<AuditLogPage />} />
        <Route path="org-nodes" element={<OrgNodesPage />} />
        <Route
          path="*"
          element={
            <Result
              status="404"
              title="页面不存在"
              extra={
                <Link to="/">
                  <Button type="primary">返回首页</Button>
                </Link>
              }
            />
          }
        />
      </Route>
    </Routes>
  );
}
