import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireLogin } from '../features/identity/components/RequireLogin';
import { PageSpin } from '../shared/PageSpin';
import { HomePage } from './HomePage';
import { PortalLayout } from './PortalLayout';

// Every page but the home page is its own chunk, so the first page stays small on a phone.
const LoginPage = lazy(() => import('../features/identity/pages/LoginPage').then((m) => ({ default: m.LoginPage })));
const QrConfirmPage = lazy(() =>
  import('../features/identity/pages/QrConfirmPage').then((m) => ({ default: m.QrConfirmPage })),
);
// 统一认证中心 as an OpenID provider: 授权确认 for a system registered in 接入系统.
const AuthorizePage = lazy(() =>
  import('../features/oidc-provider/pages/AuthorizePage').then((m) => ({ default: m.AuthorizePage })),
);
// 第三方登录's first time: link the provider to an account (or go on to registration).
const SsoLinkPage = lazy(() => import('../features/sso/pages/LinkPage').then((m) => ({ default: m.LinkPage })));
// CA 证书登录's demo signing program (a popup of the login page, without the portal's header and footer).
const CaSignerPage = lazy(() =>
  import('../features/sso/pages/CaSignerPage').then((m) => ({ default: m.CaSignerPage })),
);
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
// 在线学习中心 › 公需科目: catalogue and plan pages are public, buying and the orders need a login.
const PlansPage = lazy(() => import('../features/purchase/pages/PlansPage').then((m) => ({ default: m.PlansPage })));
const PlanPage = lazy(() => import('../features/purchase/pages/PlanPage').then((m) => ({ default: m.PlanPage })));
const OrderSubmitPage = lazy(() =>
  import('../features/purchase/pages/OrderSubmitPage').then((m) => ({ default: m.OrderSubmitPage })),
);
const GroupBuyPage = lazy(() =>
  import('../features/purchase/pages/GroupBuyPage').then((m) => ({ default: m.GroupBuyPage })),
);
const OrdersPage = lazy(() => import('../features/purchase/pages/OrdersPage').then((m) => ({ default: m.OrdersPage })));
const OrderDetailPage = lazy(() =>
  import('../features/purchase/pages/OrderDetailPage').then((m) => ({ default: m.OrderDetailPage })),
);
const PayResultPage = lazy(() =>
  import('../features/purchase/pages/PayResultPage').then((m) => ({ default: m.PayResultPage })),
);
const InvoicesPage = lazy(() =>
  import('../features/purchase/pages/InvoicesPage').then((m) => ({ default: m.InvoicesPage })),
);
const MakeupPage = lazy(() => import('../features/makeup/pages/MakeupPage').then((m) => ({ default: m.MakeupPage })));
// 咨询方式 and 在线客服 (the page is public; tickets need a login).
const HelpPage = lazy(() => import('../features/help/pages/HelpPage').then((m) => ({ default: m.HelpPage })));
const MyTicketsPage = lazy(() =>
  import('../features/help/pages/MyTicketsPage').then((m) => ({ default: m.MyTicketsPage })),
);
const NewTicketPage = lazy(() =>
  import('../features/help/pages/NewTicketPage').then((m) => ({ default: m.NewTicketPage })),
);
const TicketDetailPage = lazy(() =>
  import('../features/help/pages/TicketDetailPage').then((m) => ({ default: m.TicketDetailPage })),
);
// 消息中心 (站内信).
const MessagesPage = lazy(() =>
  import('../features/messages/pages/MessagesPage').then((m) => ({ default: m.MessagesPage })),
);
// 课程培训: my plans, their courses and chapters, the player.
const MobileStudyPage = lazy(() =>
  import('../features/study/pages/MobileStudyPage').then((m) => ({ default: m.MobileStudyPage })),
);
const StudyPlansPage = lazy(() =>
  import('../features/study/pages/StudyPlansPage').then((m) => ({ default: m.StudyPlansPage })),
);
const StudyCoursesPage = lazy(() =>
  import('../features/study/pages/StudyCoursesPage').then((m) => ({ default: m.StudyCoursesPage })),
);
const StudyCoursePage = lazy(() =>
  import('../features/study/pages/StudyCoursePage').then((m) => ({ default: m.StudyCoursePage })),
);
const StudyPlayerPage = lazy(() =>
  import('../features/study/pages/StudyPlayerPage').then((m) => ({ default: m.StudyPlayerPage })),
);
const CertificatesPage = lazy(() =>
  import('../features/certificates/pages/CertificatesPage').then((m) => ({ default: m.CertificatesPage })),
);
// 继续教育 › 学时档案: the year's 学时 against the 90 required.
const CreditRecordPage = lazy(() =>
  import('../features/credits/CreditRecordPage').then((m) => ({ default: m.CreditRecordPage })),
);
const CreditClaimPage = lazy(() =>
  import('../features/credits/CreditClaimPage').then((m) => ({ default: m.CreditClaimPage })),
);
const VerifyPage = lazy(() =>
  import('../features/certificates/pages/VerifyPage').then((m) => ({ default: m.VerifyPage })),
);
const ChangeInitialPasswordPage = lazy(() =>
  import('../features/roster/pages/ChangeInitialPasswordPage').then((m) => ({ default: m.ChangeInitialPasswordPage })),
);
// 继续教育基地名单 (public).
const BasesPublicPage = lazy(() =>
  import('../features/bases/pages/BasesPublicPage').then((m) => ({ default: m.BasesPublicPage })),
);
// 通知公告 (public; a signed-in reader also sees what is addressed to them).
const NoticesPage = lazy(() =>
  import('../features/notices/pages/NoticesPage').then((m) => ({ default: m.NoticesPage })),
);
const NoticeDetailPage = lazy(() =>
  import('../features/notices/pages/NoticeDetailPage').then((m) => ({ default: m.NoticeDetailPage })),
);
const NotFoundPage = lazy(() => import('./NotFoundPage').then((m) => ({ default: m.NotFoundPage })));

export function PortalApp() {
  return (
    <Routes>
      <Route
        path="ca-signer"
        element={
          <Suspense fallback={<PageSpin />}>
            <CaSignerPage />
          </Suspense>
        }
      />
      <Route element={<PortalLayout />}>
        <Route index element={<HomePage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="login/link" element={<SsoLinkPage />} />
        <Route
          path="qr-login"
          element={
            <RequireLogin>
              <QrConfirmPage />
            </RequireLogin>
          }
        />
        <Route
          path="authorize/:uid"
          element={
            <RequireLogin>
              <AuthorizePage />
            </RequireLogin>
          }
        />
        <Route path="register" element={<RegisterPage />} />
        <Route path="reset" element={<ResetPasswordPage />} />
        <Route path="reset/manual" element={<ManualRecoveryPage />} />
        <Route path="password/initial" element={<ChangeInitialPasswordPage />} />
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
        <Route path="gxkm" element={<PlansPage />} />
        <Route path="gxkm/plans/:id" element={<PlanPage />} />
        <Route
          path="gxkm/plans/:id/order"
          element={
            <RequireLogin>
              <OrderSubmitPage />
            </RequireLogin>
          }
        />
        <Route
          path="gxkm/plans/:id/group"
          element={
            <RequireLogin>
              <GroupBuyPage />
            </RequireLogin>
          }
        />
        <Route
          path="orders"
          element={
            <RequireLogin>
              <OrdersPage />
            </RequireLogin>
          }
        />
        <Route
          path="orders/:id"
          element={
            <RequireLogin>
              <OrderDetailPage />
            </RequireLogin>
          }
        />
        <Route
          path="orders/:id/result"
          element={
            <RequireLogin>
              <PayResultPage />
            </RequireLogin>
          }
        />
        <Route
          path="invoices"
          element={
            <RequireLogin>
              <InvoicesPage />
            </RequireLogin>
          }
        />
        <Route
          path="makeup"
          element={
            <RequireLogin>
              <MakeupPage />
            </RequireLogin>
          }
        />
        <Route path="mobile-study" element={<MobileStudyPage />} />
        <Route
          path="study"
          element={
            <RequireLogin>
              <StudyPlansPage />
            </RequireLogin>
          }
        />
        <Route
          path="study/plans/:planId"
          element={
            <RequireLogin>
              <StudyCoursesPage />
            </RequireLogin>
          }
        />
        <Route
          path="study/plans/:planId/courses/:courseId"
          element={
            <RequireLogin>
              <StudyCoursePage />
            </RequireLogin>
          }
        />
        <Route
          path="study/plans/:planId/courses/:courseId/chapters/:chapterId"
          element={
            <RequireLogin>
              <StudyPlayerPage />
            </RequireLogin>
          }
        />
        <Route
          path="certificates"
          element={
            <RequireLogin>
              <CertificatesPage />
            </RequireLogin>
          }
        />
        <Route
          path="credits"
          element={
            <RequireLogin>
              <CreditRecordPage />
            </RequireLogin>
          }
        />
        <Route
          path="credits/claim"
          element={
            <RequireLogin>
              <CreditClaimPage />
            </RequireLogin>
          }
        />
        <Route
          path="credits/claims/:id"
          element={
            <RequireLogin>
              <CreditClaimPage />
            </RequireLogin>
          }
        />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="bases" element={<BasesPublicPage />} />
        <Route path="notices" element={<NoticesPage />} />
        <Route path="notices/:id" element={<NoticeDetailPage />} />
        <Route path="help" element={<HelpPage />} />
        <Route
          path="help/tickets"
          element={
            <RequireLogin>
              <MyTicketsPage />
            </RequireLogin>
          }
        />
        <Route
          path="help/tickets/new"
          element={
            <RequireLogin>
              <NewTicketPage />
            </RequireLogin>
          }
        />
        <Route
          path="help/tickets/:id"
          element={
            <RequireLogin>
              <TicketDetailPage />
            </RequireLogin>
          }
        />
        <Route
          path="messages"
          element={
            <RequireLogin>
              <MessagesPage />
            </RequireLogin>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
