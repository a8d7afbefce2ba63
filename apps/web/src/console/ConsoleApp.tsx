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

export function ConsoleApp() {
  return (
    <Routes>
      <Route path="login" element={<StaffLoginPage />} />
      <Route element={<ConsoleLayout />}>
        <Route index element={<ConsoleHomePage />} />
        <Route path="recoveries" element={<RecoveryReviewPage />} />
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
