import {
  AuditOutlined,
  BarChartOutlined,
  ClockCircleOutlined,
  EditOutlined,
  TeamOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { UNIT_CATEGORY_LABELS } from '@cpe/shared/schemas/units';
import { Alert, App, Badge, Button, Descriptions, Grid, Menu, Result, Tag } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { CreditQueueBase, UNIT_CENTER_CREDIT_QUEUE } from '../../credits-admin/api';
import { useSite } from '../../identity/api';
import { ownFileUrl, useMyRegistration, useSubmitInfoChange, useUnitCenter, useUnitCenterPending } from '../api';
import { ReviewHistory } from '../components/ReviewHistory';
import { UnitDataView } from '../components/UnitDataView';
import { UnitForm } from '../components/UnitForm';
import { UnitReviewList } from '../components/UnitReviewList';
import type { UnitCenter, UnitData, UnitDraft } from '../types';
import '../units.css';

// 申报 pages are their own chunk (the form engine and its zod schemas are not needed elsewhere).
const ApplicationListPage = lazy(() =>
  import('../../applications/pages/ApplicationListPage').then((m) => ({ default: m.ApplicationListPage })),
);
const ApplicationFormPage = lazy(() =>
  import('../../applications/pages/ApplicationFormPage').then((m) => ({ default: m.ApplicationFormPage })),
);
// 学时认定 by a 主管部门: the console's page over the 单位中心 queue.
const CreditRecognitionPage = lazy(() =>
  import('../../credits-admin/pages/CreditRecognitionPage').then((m) => ({ default: m.CreditRecognitionPage })),
);
const RosterPage = lazy(() => import('../../roster/pages/RosterPage').then((m) => ({ default: m.RosterPage })));
// 单位人员: the people who asked to join the unit, or belong to it.
const UnitMembers = lazy(() => import('../components/UnitMembers').then((m) => ({ default: m.UnitMembers })));
// 学时统计: the members' 学时 of a year, 达标 or not.
const UnitCreditStats = lazy(() =>
  import('../../credits/UnitCreditStats').then((m) => ({ default: m.UnitCreditStats })),
);
// 学时审核: the members' 学时登记 waiting for the unit's 确认 / 退回.
const UnitCreditClaims = lazy(() =>
  import('../../credits/UnitCreditClaims').then((m) => ({ default: m.UnitCreditClaims })),
);
// 学时批量导入: a 继续教育基地's own classes (待认定); other units see why they cannot.
const UnitCreditImports = lazy(() =>
  import('../../credit-imports/UnitCreditImports').then((m) => ({ default: m.UnitCreditImports })),
);
const PortalReviews = lazy(() =>
  import('../../applications/review/PortalReviews').then((m) => ({ default: m.PortalReviews })),
);

/** 单位中心 menu keys that file an application, and the application type each files. */
const APPLICATION_MENU: Record<string, string> = {
  'plan-changes': 'plan-change',
  'education-base-apply': 'education-base',
  'class-plans': 'class-plan',
  completions: 'completion',
  'engineer-base-apply': 'engineer-base',
  'advanced-seminars': 'advanced-seminar',
};

/** 主管部门's 单位中心 items that review its units' applications, and the application type each reviews. */
const REVIEW_MENU: Record<string, string> = {
  'education-base-review': 'education-base',
  'engineer-base-review': 'engineer-base',
};

const INFO_CHANGE_NOTE = '修改后需重新审核，审核通过前原信息继续有效';

/** 单位中心's first screen: the unit in force and where to go. */
function Overview({ center, basePath }: { center: UnitCenter; basePath: string }) {
  const { unit } = center;
  const enabled = center.menu;
  return (
    <div className="cpe-unit-center-section">
      <h2 className="cpe-unit-center-title">单位信息</h2>
      {center.pendingChange && (
        <Alert
          className="cpe-unit-alert"
          type="info"
          showIcon
          title="该单位有一项变更申请正在审核中，审核通过前原信息继续有效。"
        />
      )}
      <Descriptions
        bordered
        size="middle"
        column={{ xs: 1, sm: 1, md: 2 }}
        styles={{ label: { width: 140 } }}
        items={[
          { key: 'name', label: '单位名称', children: unit.name, span: 'filled' },
          { key: 'uscc', label: '社会统一信用代码', children: unit.uscc },
          { key: 'category', label: '注册类别', children: UNIT_CATEGORY_LABELS[unit.category] },
          { key: 'unitType', label: '单位类型', children: unit.unitType },
          { key: 'located', label: '所在地', children: unit.locatedAreaLabel },
          { key: 'address', label: '详细地址', children: unit.address, span: 'filled' },
          { key: 'reviewer', label: '申报地区(部门)', children: unit.reviewerName },
          { key: 'approvedAt', label: '审核通过时间', children: formatDateTime(unit.approvedAt) },
        ]}
      />
      <div className="cpe-unit-center-shortcuts">
        {enabled.map((m) => (
          <Link key={m.key} to={`${basePath}/${m.key}`} className="cpe-unit-center-shortcut">
            {m.key === 'unit-reviews' || m.key === 'credit-claims' || REVIEW_MENU[m.key] ? (
              <AuditOutlined />
            ) : m.key === 'credit-imports' ? (
              <UploadOutlined />
            ) : m.key === 'members' ? (
              <TeamOutlined />
            ) : m.key === 'credit-stats' ? (
              <BarChartOutlined />
            ) : (
              <EditOutlined />
            )}
            <span>{m.label}</span>
          </Link>
        ))}
      </div>
    </div>
  );
}

/** 单位信息修改: the registration form, prefilled with the data in force, back to review on submit. */
function UnitInfoChange({ center }: { center: UnitCenter }) {
  const { message } = App.useApp();
  const mine = useMyRegistration();
  const submit = useSubmitInfoChange();
  const { unit } = center;

  if (mine.isPending) return <PageSpin />;
  if (mine.isError)
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(mine.error).message}
        extra={<Button onClick={() => mine.refetch()}>重试</Button>}
      />
    );

  const latest = mine.data.application;
  const own = latest && latest.unitId === unit.id ? latest : null;
  const heading = <h2 className="cpe-unit-center-title">单位信息修改</h2>;

  if (own && own.kind === 'change-info' && own.status === 'pending') {
    return (
      <div className="cpe-unit-center-section">
        {heading}
        <Result
          className="cpe-unit-result"
          icon={<ClockCircleOutlined />}
          title="单位信息修改待主管部门审核"
          subTitle={`修改申请已提交至${own.reviewerName}，${INFO_CHANGE_NOTE}。`}
        />
        <h3 className="cpe-unit-section-title">提交的单位资料</h3>
        <UnitDataView data={own.data} reviewerName={own.reviewerName} fileUrl={ownFileUrl} />
        <ReviewHistory events={own.events} />
      </div>
    );
  }

  // Another open change of the unit (a 变更管理员 filed by someone else): nothing to submit meanwhile.
  const blocked = center.pendingChange;
  const rejected = own?.kind === 'change-info' && own.status === 'rejected' ? own : null;
  const complete = own && own.status !== 'draft' && own.data.regArea && own.data.licenceFileId;
  const initial: UnitDraft = complete
    ? own.data
    : {
        category: unit.category,
        unitName: unit.name,
        uscc: unit.uscc,
        unitType: unit.unitType as UnitDraft['unitType'],
        address: unit.address,
      };

  const onSubmit = async (data: UnitData) => {
    try {
      await submit.mutateAsync(data);
      message.success('单位信息修改已提交，请等待审核');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (err) {
      if (errorCode(err) === 'UNIT_APPLICATION_OPEN') void mine.refetch();
      throw err;
    }
  };

  return (
    <div className="cpe-unit-center-section">
      {heading}
      <Alert className="cpe-unit-alert" type="info" showIcon title={INFO_CHANGE_NOTE} />
      {blocked && (
        <Alert
          className="cpe-unit-alert"
          type="warning"
          showIcon
          title="该单位有一项变更申请正在审核中，审核完成前不能提交单位信息修改。"
        />
      )}
      {rejected && (
        <Alert
          className="cpe-unit-alert"
          type="error"
          showIcon
          title="上次的单位信息修改审核未通过"
          description={`原因：${rejected.reason || '未填写'}。请根据审核意见修改后重新提交。`}
        />
      )}
      {!complete && (
        <Alert
          className="cpe-unit-alert"
          type="warning"
          showIcon
          title="未能载入完整的单位资料，请补充填写注册地、参保地、所在地等信息，并重新上传证照和单位授权书。"
        />
      )}
      <UnitForm
        key={`${unit.id}-${unit.version}-${own?.id ?? 'unit'}-${own?.status ?? ''}`}
        mode="change"
        ownUnitId={unit.id}
        initial={initial}
        submitText="提交修改"
        submitNote={`确认无误后提交，${INFO_CHANGE_NOTE}。`}
        confirmTitle="确认提交单位信息修改？"
        confirmContent={`${INFO_CHANGE_NOTE}。`}
        onSubmit={onSubmit}
        disabled={blocked}
      />
      {rejected && <ReviewHistory events={rejected.events} />}
    </div>
  );
}

/** 单位注册审核 for a 主管部门: the applications addressed to it. */
function UnitReviews() {
  return (
    <div className="cpe-unit-center-section">
      <p className="cpe-unit-current">您当前选择的是：继续教育单位注册审核</p>
      <UnitReviewList variant="portal" />
    </div>
  );
}

/** A 申报 menu item: its list at `${basePath}/<key>`, an application's form at `${basePath}/<key>/<id>`. */
function ApplicationFiling({ menuKey, type, basePath }: { menuKey: string; type: string; basePath: string }) {
  const base = `${basePath}/${menuKey}`;
  return (
    <Suspense fallback={<PageSpin />}>
      {/* Relative to the portal's `unit-center/*` route. */}
      <Routes>
        <Route path={menuKey} element={<ApplicationListPage type={type} basePath={base} />} />
        <Route path={`${menuKey}/:id`} element={<ApplicationFormPage basePath={base} />} />
        <Route
          path="*"
          element={
            <Result
              status="404"
              title="页面不存在"
              extra={
                <Link to={base}>
                  <Button type="primary">返回列表</Button>
                </Link>
              }
            />
          }
        />
      </Routes>
    </Suspense>
  );
}

/**
 * 单位中心 (portal route `${basePath}/*`, login required): the seed's menu on the left, the chosen item on
 * the right. Paths: `${basePath}` (单位信息),
 * `${basePath}/unit-info` (单位信息修改), `${basePath}/unit-reviews` (单位注册审核, 主管部门 only),
 * `${basePath}/<申报 item>[/<id>]` (APPLICATION_MENU: 市级高级研修项目申报, 开班方案上报, 计划变化情况上报,
 * 结业上报, 继续教育基地申报, 工程师基地申报), `${basePath}/<审核 item>…` (REVIEW_MENU: 继续教育基地审核,
 * 工程师基地审核, 主管部门 only), `${basePath}/members` (单位人员), `${basePath}/credit-stats` (学时统计), `${basePath}/roster` (学员注册名单).
 */
export function UnitCenterPage({ basePath = '/unit-center' }: { basePath?: string }) {
  const site = useSite().data;
  usePageTitle('单位中心', site?.name);
  const center = useUnitCenter();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const key = pathname.startsWith(`${basePath}/`) ? (pathname.slice(basePath.length + 1).split('/')[0] ?? '') : '';
  const pending = useUnitCenterPending(key, center.isSuccess);

  if (center.isPending) return <PageSpin />;
  if (center.isError) {
    if (isUnauthenticated(center.error)) return <PageSpin />;
    if (errorCode(center.error) === 'FORBIDDEN')
      return (
        <div className="cpe-unit-page">
          <div className="cpe-unit-panel">
            <Result
              status="403"
              title="您还不是单位管理员"
              subTitle="请先注册管理员，单位资料经上级部门审核通过后，即可进入单位中心。"
              extra={
                <Link to="/units/register">
                  <Button type="primary" size="large">
                    注册管理员
                  </Button>
                </Link>
              }
            />
          </div>
        </div>
      );
    return (
      <div className="cpe-unit-page">
        <Result
          status="error"
          title="加载失败"
          subTitle={toApiError(center.error).message}
          extra={<Button onClick={() => center.refetch()}>重试</Button>}
        />
      </div>
    );
  }

  const data = center.data;
  const item = data.menu.find((m) => m.key === key);
  const waiting: Record<string, number> = {
    members: pending.data?.members ?? 0,
    'credit-claims': pending.data?.creditClaims ?? 0,
  };
  /** A menu item's label with what waits there; its link is read out as "单位人员，2项待处理". */
  const labelOf = (m: { key: string; label: string }) =>
    waiting[m.key] ? (
      <span className="cpe-unit-menu-label">
        {m.label}
        <Badge count={waiting[m.key]} size="small" overflowCount={99} />
      </span>
    ) : (
      m.label
    );
  const ariaOf = (m: { key: string; label: string }) =>
    waiting[m.key] ? `${m.label}，${waiting[m.key]}项待处理` : undefined;
  let content: ReactNode;
  if (!key) content = <Overview center={data} basePath={basePath} />;
  else if (!item)
    content = (
      <Result
        status="404"
        title="页面不存在"
        extra={
          <Link to={basePath}>
            <Button type="primary">返回单位中心</Button>
          </Link>
        }
      />
    );
  else if (key === 'unit-info') content = <UnitInfoChange center={data} />;
  else if (key === 'unit-reviews') content = <UnitReviews />;
  else if (key === 'members')
    content = (
      <Suspense fallback={<PageSpin />}>
        <UnitMembers />
      </Suspense>
    );
  else if (key === 'credit-stats')
    content = (
      <Suspense fallback={<PageSpin />}>
        <UnitCreditStats />
      </Suspense>
    );
  else if (key === 'credit-claims')
    content = (
      <Suspense fallback={<PageSpin />}>
        <UnitCreditClaims />
      </Suspense>
    );
  else if (key === 'credit-imports')
    content = (
      <Suspense fallback={<PageSpin />}>
        <UnitCreditImports />
      </Suspense>
    );
  else if (key === 'credit-recognition')
    content = (
      <Suspense fallback={<PageSpin />}>
        <CreditQueueBase.Provider value={UNIT_CENTER_CREDIT_QUEUE}>
          <CreditRecognitionPage />
        </CreditQueueBase.Provider>
      </Suspense>
    );
  else if (key === 'roster')
    content = (
      <Suspense fallback={<PageSpin />}>
        <RosterPage />
      </Suspense>
    );
  else if (APPLICATION_MENU[key])
    content = <ApplicationFiling menuKey={key} type={APPLICATION_MENU[key]} basePath={basePath} />;
  else if (REVIEW_MENU[key])
    content = (
      <Suspense fallback={<PageSpin />}>
        <PortalReviews type={REVIEW_MENU[key]} basePath={`${basePath}/${key}`} />
      </Suspense>
    );
  else content = <Result status="404" title="页面不存在" />;

  return (
    <div className="cpe-unit-page cpe-unit-center">
      <div className="cpe-unit-center-head">
        <h1 className="cpe-unit-title">
          <Link to={basePath}>单位中心</Link>
        </h1>
        <span className="cpe-unit-center-unit">
          {data.unit.name} <Tag color="blue">{UNIT_CATEGORY_LABELS[data.unit.category]}</Tag>
        </span>
      </div>
      <div className="cpe-unit-center-body">
        <nav className="cpe-unit-center-menu" aria-label="单位中心">
          {screens.lg === false ? (
            // Phones and tablets: every item in view above the content, which keeps the whole width.
            <ul className="cpe-unit-center-chips">
              {data.menu.map((m) => (
                <li key={m.key}>
                  <Link
                    to={`${basePath}/${m.key}`}
                    className={m.key === key ? 'cpe-unit-chip is-active' : 'cpe-unit-chip'}
                    aria-current={m.key === key ? 'page' : undefined}
                    aria-label={ariaOf(m)}
                  >
                    {labelOf(m)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <Menu
              mode="inline"
              selectedKeys={key ? [key] : []}
              items={data.menu.map((m) => ({
                key: m.key,
                label: (
                  <Link to={`${basePath}/${m.key}`} aria-label={ariaOf(m)}>
                    {labelOf(m)}
                  </Link>
                ),
              }))}
            />
          )}
        </nav>
        <section className="cpe-unit-center-content">{content}</section>
      </div>
    </div>
  );
}
