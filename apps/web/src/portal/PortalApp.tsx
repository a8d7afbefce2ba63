import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { RequireLogin } from '../features/identity/components/RequireLogin';
import { HomePage } from './HomePage';
import { PortalLayout } from './PortalLayout';

// Every page but the home page is its own chunk, so the first page stays small on a phone.
const LoginPage = lazy(() => import('../features/identity/pages/LoginPage').then((m) => ({ default: m.LoginPage })));
const RegisterPage = lazy(() =>
  import('../features/identity/pages/RegisterPage').then((m) => ({ default: m.RegisterPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/identity/pages/ResetPasswordPage').then((m) => ({ default: m.ResetPasswordPage })),
);
const ManualRecoveryPage = lazy(() =>
  import('../features/identity/pages/ManualRecoveryPage').then((m) => ({ default: m.ManualRecoveryPage })),
);
const MePage = lazy(() => import('../features/identity/pages/MePage').then((m) => ({ default: m.MePage })));
const UnitRegistrationPage = lazy(() =>
  import('../features/units/pages/UnitRegistrationPage').then((m) => ({ default: m.UnitRegistrationPage })),
);
const UnitCenterPage = lazy(() =>
  import('../features/units/pages/UnitCenterPage').then((m) => ({ default: m.UnitCenterPage })),
);
const NotFoundPage = lazy(() => import('./NotFoundPage').then((m) => ({ default: m.NotFoundPage })));

export function PortalApp() {
  return (
    <Routes>
      <Route element={<PortalLayout />}>
        <Route index element={<HomePage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="reset" element={<ResetPasswordPage />} />
        <Route path="reset/manual" element={<ManualRecoveryPage />} />
        <Route
          path="me"
          element={
            <RequireLogin>
              <MePage />
            </RequireLogin>
          }
        />
        <Route
          path="units/register"
          element={
            <RequireLogin>
              <UnitRegistrationPage />
            </RequireLogin>
          }
        />
        <Route
          path="unit-center/*"
          element={
            <RequireLogin>
              <UnitCenterPage />
            </RequireLogin>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
