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
const RealnameReviewPage = lazy(() =>
  import('../features/identity/pages/RealnameReviewPage').then((m) => ({ default: m.RealnameReviewPage })),
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

const ReviewListPage = lazy(() =>
  import('../features/applications/review/ReviewListPage').then((m) => ({ default: m.ReviewListPage })),
);
const ReviewDetailPage = lazy(() =>
  import('../features/applications/review/ReviewDetailPage').then((m) => ({ default: m.ReviewDetailPage })),
);
const BatchesPage = lazy(() =>
  import('../features/applications/review/BatchesPage').then((m) => ({ default: m.BatchesPage })),
);
const StatsPage = lazy(() =>
  import('../features/applications/review/StatsPage').then((m) => ({ default: m.StatsPage })),
);
const ApplicationListPage = lazy(() =>
  import('../features/applications/pages/ApplicationListPage').then((m) => ({ default: m.ApplicationListPage })),
);
const ApplicationFormPage = lazy(() =>
  import('../features/applications/pages/ApplicationFormPage').then((m) => ({ default: m.ApplicationFormPage })),
);

const CoursesPage = lazy(() =>
  import('../features/courses-admin/pages/CoursesPage').then((m) => ({ default: m.CoursesPage })),
);
const PlansPage = lazy(() =>
  import('../features/purchase-admin/pages/PlansPage').then((m) => ({ default: m.PlansPage })),
);
const OrdersPage = lazy(() =>
  import('../features/purchase-admin/pages/OrdersPage').then((m) => ({ default: m.OrdersPage })),
);

const RosterAdminPage = lazy(() =>
  import('../features/roster/pages/RosterAdminPage').then((m) => ({ default: m.RosterAdminPage })),
);

// Lazy on its own: ECharts is only downloaded by those who open the dashboard.
const DashboardPage = lazy(() =>
  import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);

const LearnersPage = lazy(() =>
  import('../features/learners-admin/pages/LearnersPage').then((m) => ({ default: m.LearnersPage })),
);
const LearnerDetailPage = lazy(() =>
  import('../features/learners-admin/pages/LearnerDetailPage').then((m) => ({ default: m.LearnerDetailPage })),
);

const MakeupAdminPage = lazy(() =>
  import('../features/makeup/pages/MakeupAdminPage').then((m) => ({ default: m.MakeupAdminPage })),
);
const TicketsAdminPage = lazy(() =>
  import('../features/help-admin/pages/TicketsAdminPage').then((m) => ({ default: m.TicketsAdminPage })),
);
const TicketAdminDetailPage = lazy(() =>
  import('../features/help-admin/pages/TicketAdminDetailPage').then((m) => ({ default: m.TicketAdminDetailPage })),
);
const FaqsAdminPage = lazy(() =>
  import('../features/help-admin/pages/FaqsAdminPage').then((m) => ({ default: m.FaqsAdminPage })),
);
const HotlinesPage = lazy(() =>
  import('../features/help-admin/pages/HotlinesPage').then((m) => ({ default: m.HotlinesPage })),
);
const NoticesAdminPage = lazy(() =>
  import('../features/notices/pages/NoticesAdminPage').then((m) => ({ default: m.NoticesAdminPage })),
);
const LoginProvidersPage = lazy(() =>
  import('../features/sso-admin/pages/LoginProvidersPage').then((m) => ({ default: m.LoginProvidersPage })),
);
const CalendarAdminPage = lazy(() =>
  import('../features/calendar-admin/pages/CalendarAdminPage').then((m) => ({ default: m.CalendarAdminPage })),
);
const BasesAdminPage = lazy(() =>
  import('../features/bases/pages/BasesAdminPage').then((m) => ({ default: m.BasesAdminPage })),
);
const OidcClientsPage = lazy(() =>
  import('../features/oidc-provider/pages/OidcClientsPage').then((m) => ({ default: m.OidcClientsPage })),
);
const CertificatesAdminPage = lazy(() =>
  import('../features/certificates-admin/pages/CertificatesAdminPage').then((m) => ({
    default: m.CertificatesAdminPage,
  })),
);
const CreditRecognitionPage = lazy(() =>
  import('../features/credits-admin/pages/CreditRecognitionPage').then((m) => ({
    default: m.CreditRecognitionPage,
  })),
);
const CreditStandardsPage = lazy(() =>
  import('../features/credits-admin/pages/CreditStandardsPage').then((m) => ({ default: m.CreditStandardsPage })),
);
const CreditPeoplePage = lazy(() =>
  import('../features/credits-stats/pages/CreditPeoplePage').then((m) => ({ default: m.CreditPeoplePage })),
);
const CreditPersonPage = lazy(() =>
  import('../features/credits-stats/pages/CreditPersonPage').then((m) => ({ default: m.CreditPersonPage })),
);
const CreditStatsPage = lazy(() =>
  import('../features/credits-stats/pages/CreditStatsPage').then((m) => ({ default: m.CreditStatsPage })),
);
const CreditImportAdminPage = lazy(() =>
  import('../features/credit-imports/CreditImportAdminPage').then((m) => ({ default: m.CreditImportAdminPage })),
);

/**
 * Review lists of the application engine, one per type (the server lists what passes through the reader's node):
 * path → type. 项目审核管理 keeps its address.
 */
const REVIEW_PAGES: ReadonlyArray<{ path: string; type: string }> = [
  { path: 'application-reviews', type: 'advanced-seminar' },
  { path: 'class-plan-reviews', type: 'class-plan' },
  { path: 'plan-change-reviews', type: 'plan-change' },
  { path: 'completion-reviews', type: 'completion' },
  { path: 'education-base-reviews', type: 'education-base' },
  { path: 'engineer-base-reviews', type: 'engineer-base' },
];

/** 区县人社局 file 市级高级研修项目 in the console with the portal's filing pages. */
const SEMINAR_FILING = '/applications/advanced-seminar';
/** …and, once a project is approved, its 开班方案, 计划变化 and 结业 (`/applications/<type>[/<id>]`). */
const SEMINAR_CLASS_FILINGS = ['class-plan', 'plan-change', 'completion'] as const;

export function ConsoleApp() {
  return (
    <Routes>
      <Route path="login" element={<StaffLoginPage />} />
      <Route element={<ConsoleLayout />}>
        <Route index element={<ConsoleHomePage />} />
        <Route path="recoveries" element={<RecoveryReviewPage />} />
        <Route path="realname-reviews" element={<RealnameReviewPage />} />
        <Route path="unit-reviews" element={<UnitReviewListPage />} />
        <Route path="unit-reviews/:id" element={<UnitReviewDetailPage />} />
        <Route path="staff-accounts" element={<StaffAccountsPage />} />
        <Route path="audit-logs" element={<AuditLogPage />} />
        <Route path="org-nodes" element={<OrgNodesPage />} />
        <Route path="calendar" element={<CalendarAdminPage />} />
        <Route path="login-providers" element={<LoginProvidersPage />} />
        <Route path="oidc-clients" element={<OidcClientsPage />} />
        {REVIEW_PAGES.flatMap(({ path, type }) => [
          <Route key={path} path={path} element={<ReviewListPage key={type} type={type} basePath={`/${path}`} />} />,
          <Route
            key={`${path}/:id`}
            path={`${path}/:id`}
            element={<ReviewDetailPage key={type} type={type} basePath={`/${path}`} />}
          />,
        ])}
        <Route path="application-batches" element={<BatchesPage />} />
        <Route path="application-stats" element={<StatsPage />} />
        <Route
          path="applications/advanced-seminar"
          element={<ApplicationListPage type="advanced-seminar" basePath={SEMINAR_FILING} layout="console" />}
        />
        <Route path="applications/advanced-seminar/:id" element={<ApplicationFormPage basePath={SEMINAR_FILING} />} />
        <Route path="applications/advanced-seminar/:id/*" element={<ApplicationFormPage basePath={SEMINAR_FILING} />} />
        {SEMINAR_CLASS_FILINGS.flatMap((type) => [
          <Route
            key={type}
            path={`applications/${type}`}
            element={<ApplicationListPage type={type} basePath={`/applications/${type}`} layout="console" />}
          />,
          <Route
            key={`${type}/:id`}
            path={`applications/${type}/:id/*`}
            element={<ApplicationFormPage basePath={`/applications/${type}`} />}
          />,
        ])}
        <Route path="bases" element={<BasesAdminPage />} />
        <Route path="courses" element={<CoursesPage />} />
        <Route path="training-plans" element={<PlansPage />} />
        <Route path="orders-admin" element={<OrdersPage />} />
        <Route path="rosters" element={<RosterAdminPage />} />
        <Route path="makeup-requests" element={<MakeupAdminPage />} />
        <Route path="certificates" element={<CertificatesAdminPage />} />
        <Route path="credit-recognition" element={<CreditRecognitionPage />} />
        <Route path="credit-standards" element={<CreditStandardsPage />} />
        <Route path="credits-admin" element={<CreditPeoplePage />} />
        <Route path="credits-admin/:accountId" element={<CreditPersonPage />} />
        <Route path="credit-stats-admin" element={<CreditStatsPage />} />
        <Route path="credit-imports" element={<CreditImportAdminPage />} />
        <Route path="tickets" element={<TicketsAdminPage />} />
        <Route path="tickets/:id" element={<TicketAdminDetailPage />} />
        <Route path="faqs" element={<FaqsAdminPage />} />
        <Route path="help-hotlines" element={<HotlinesPage />} />
        <Route path="notices" element={<NoticesAdminPage />} />
        <Route path="learners" element={<LearnersPage />} />
        <Route path="learners/:id" element={<LearnerDetailPage />} />
        <Route path="dashboard" element={<DashboardPage />} />
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
