import {
  BankOutlined,
  BarChartOutlined,
  CustomerServiceOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuOutlined,
  SafetyOutlined,
  SettingOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Result } from 'antd';
import { Suspense, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useSite } from '../features/identity/api';
import { useStaffLogout, useStaffMe } from '../features/identity/staff-api';
import { toApiError } from '../shared/api/client';
import { Emblem } from '../shared/Emblem';
import { PageSpin } from '../shared/PageSpin';

/**
 * The intranet's menu as the seed shows it (职称管理 … 单位中心); the systems beyond this product are listed
 * disabled so staff find their way around as before.
 */
const soon = (key: string, label: string) => ({ key, label, disabled: true, title: '不在本系统范围' });
const MENU = [
  { key: '/', icon: <HomeOutlined />, label: '首页' },
  { key: '/dashboard', icon: <BarChartOutlined />, label: '数据看板' },
  soon('titles', '职称管理'),
  soon('experts', '专家管理'),
  {
    key: 'continuing-education',
    icon: <BankOutlined />,
    label: '继续教育管理',
    children: [
      { key: 'unit-registration', label: '单位注册管理', children: [{ key: '/unit-reviews', label: '单位注册审核' }] },
      {
        key: 'advanced-seminar',
        label: '市级高级研修项目',
        children: [
          { key: '/application-reviews', label: '项目审核管理' },
          { key: '/class-plan-reviews', label: '开班方案审核' },
          { key: '/plan-change-reviews', label: '计划变化审核' },
          { key: '/completion-reviews', label: '结业审核' },
          { key: '/application-batches', label: '申报批次' },
          { key: '/application-stats', label: '项目统计' },
          { key: '/applications/advanced-seminar', label: '市级高级研修项目申报' },
          { key: '/applications/class-plan', label: '开班方案上报' },
          { key: '/applications/plan-change', label: '计划变化情况上报' },
          { key: '/applications/completion', label: '结业上报' },
        ],
      },
      {
        key: 'base-management',
        label: '基地管理',
        children: [
          { key: '/bases', label: '基地名单' },
          // 基地认定: 主管部门 (单位中心) → 区县人社局 → 市人社局.
          { key: '/education-base-reviews', label: '继续教育基地认定' },
          { key: '/engineer-base-reviews', label: '工程师基地认定' },
        ],
      },
      {
        key: 'public-courses',
        label: '公需科目',
        children: [
          { key: '/courses', label: '课程管理' },
          { key: '/training-plans', label: '学习计划管理' },
          { key: '/rosters', label: '学员注册名单' },
          { key: '/orders-admin', label: '订单管理' },
          { key: '/learners', label: '学员管理' },
          { key: '/makeup-requests', label: '补学审核' },
          { key: '/certificates', label: '证书管理' },
        ],
      },
      {
        // 学时档案: what people register is confirmed by their unit, then 认定 by the bureau under the standards here.
        key: 'credits-management',
        label: '学时管理',
        children: [
          { key: '/credit-recognition', label: '学时认定' },
          { key: '/credit-standards', label: '学时折算标准' },
          { key: '/credits-admin', label: '学时查询与更正' },
          { key: '/credit-stats-admin', label: '学时统计' },
          { key: '/credit-imports', label: '学时批量导入' },
        ],
      },
    ],
  },
  soon('postdoc', '博士后管理'),
  soon('unit-center', '单位中心'),
  {
    key: 'help-desk',
    icon: <CustomerServiceOutlined />,
    label: '咨询服务',
    children: [
      { key: '/tickets', label: '在线客服' },
      { key: '/faqs', label: '常见问题' },
      { key: '/help-hotlines', label: '咨询热线' },
    ],
  },
  {
    key: 'account-security',
    icon: <SafetyOutlined />,
    label: '账号安全',
    children: [
      { key: '/recoveries', label: '人工找回审核' },
      // 人工实名审核: 护照 and other documents the 实名认证 service cannot verify; the same handlers as 人工找回.
      { key: '/realname-reviews', label: '实名审核' },
    ],
  },
  {
    key: 'system',
    icon: <SettingOutlined />,
    label: '系统管理',
    children: [
      // 通知公告 on the portal: 系统管理员, 培训中心, 市人社局 (all readers) and 区县人社局 (their district).
      { key: '/notices', label: '通知公告' },
      { key: '/org-nodes', label: '组织机构与单位类型' },
      { key: '/staff-accounts', label: '工作人员与角色' },
      { key: '/audit-logs', label: '审计日志' },
      // Every staff member reads it (deadlines); 系统管理员 and 市人社局审核人员 edit it.
      { key: '/calendar', label: '工作日历' },
      // 政务服务网 / 微信 / 电子营业执照 and other OIDC providers on the portal's login page.
      { key: '/login-providers', label: '第三方登录' },
      // 统一认证中心 as an OpenID provider: the systems that sign people in through it (系统管理员 only).
      { key: '/oidc-clients', label: '接入系统' },
    ],
  },
];

type MenuItem = { key: string; children?: MenuItem[] } & Record<string, unknown>;

/**
 * The menu a staff member can use: 市人社局 reviewers (and the system administrator) see 项目审核管理 and its
 * companions; a 区县人社局 sees its own 市级高级研修项目申报; 培训中心运营 (and the system administrator)
 * see 学习计划管理 and 订单管理 (the server refuses the others anyway).
 */
function menuFor(staff: { roles: string[]; orgNodeKind: string | null }): MenuItem[] {
  const city = staff.orgNodeKind === null || staff.orgNodeKind === 'city';
  const sysadmin = staff.roles.includes('sysadmin');
  const reviews = city && (staff.roles.includes('reviewer') || sysadmin);
  const training = staff.roles.includes('training-operator') || sysadmin;
  // 数据看板: the training centre and administrators (all), reviewers of 市人社局 (all) or of a 区县人社局 (their district).
  const dashboard =
    training ||
    (staff.roles.includes('reviewer') && (staff.orgNodeKind === 'city' || staff.orgNodeKind === 'district'));
  const hidden = new Set([
    ...(dashboard ? [] : ['/dashboard']),
    ...(reviews
      ? []
      : [
          '/application-reviews',
          '/application-batches',
          '/application-stats',
          '/class-plan-reviews',
          '/plan-change-reviews',
          '/completion-reviews',
        ]),
    // 基地认定 passes through the 区县人社局 of the unit: its reviewers see their district's, 市人社局 all.
    ...(reviews || (staff.roles.includes('reviewer') && staff.orgNodeKind === 'district')
      ? []
      : ['/education-base-reviews', '/engineer-base-reviews']),
    ...(staff.orgNodeKind === 'district' ? [] : ['/applications/advanced-seminar']),
    ...(staff.orgNodeKind === 'district'
      ? []
      : ['/applications/class-plan', '/applications/plan-change', '/applications/completion']),
    ...(training ? [] : ['/training-plans', '/rosters', '/orders-admin', '/learners', '/makeup-requests']),
    ...(training ? [] : ['/certificates']),
    ...(training ? [] : ['/tickets', '/faqs', '/help-hotlines']),
    ...(training ? [] : ['/courses']),
    // 学时认定: reviewers of a 区县人社局 (their district's) or 市人社局 (all); 学时折算标准: the training centre.
    ...(staff.roles.includes('reviewer') || sysadmin ? [] : ['/credit-recognition']),
    ...(training ? [] : ['/credit-standards']),
    ...(training ? [] : ['/credit-imports']),
    // 学时查询与更正, 学时统计: as 数据看板 (a 区县人社局 its district's); 学时更正 itself the server limits further.
    ...(dashboard ? [] : ['/credits-admin', '/credit-stats-admin']),
    ...(staff.roles.includes('reviewer') || sysadmin ? [] : ['/unit-reviews']),
    // 基地名单: 市人社局 and 系统管理员 (all), a 区县人社局 reviewer (its district's, read-only).
    ...(sysadmin || (staff.roles.includes('reviewer') && staff.orgNodeKind !== 'department') ? [] : ['/bases']),
    ...(staff.roles.includes('recovery-handler') || sysadmin ? [] : ['/recoveries', '/realname-reviews']),
    ...(sysadmin ? [] : ['/org-nodes', '/staff-accounts', '/audit-logs', '/oidc-clients', '/login-providers']),
    ...(training || staff.roles.includes('reviewer') ? [] : ['/notices']),
  ]);
  const prune = (items: MenuItem[]): MenuItem[] =>
    items
      .filter((i) => !hidden.has(i.key))
      .map((i) => (i.children ? { ...i, children: prune(i.children) } : i))
      .filter((i) => !i.children || i.children.length > 0);
  return prune(MENU as MenuItem[]);
}

/** A record or a form step under a menu item keeps that item highlighted. */
const PARENT_KEYS = [
  '/unit-reviews',
  '/application-reviews',
  '/class-plan-reviews',
  '/plan-change-reviews',
  '/completion-reviews',
  '/education-base-reviews',
  '/engineer-base-reviews',
  '/applications/advanced-seminar',
  '/applications/class-plan',
  '/applications/plan-change',
  '/applications/completion',
  '/learners',
  '/tickets',
  '/credits-admin',
];
const menuKeyOf = (pathname: string) => PARENT_KEYS.find((k) => pathname.startsWith(`${k}/`)) ?? pathname;

/** The staff intranet frame: title bar, left menu, content. Every page inside needs a staff login. */
export function ConsoleLayout() {
  const site = useSite().data;
  const me = useStaffMe();
  const logout = useStaffLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // Below lg the menu folds away entirely, leaving the table the whole width: its toggle is in the title bar (antd's
  // floating tab would cover the first line of every page) and the opened menu lies over the page.
  const [narrow, setNarrow] = useState(false);

  if (me.isPending) return <PageSpin />;
  if (me.isError)
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(me.error).message}
        extra={<Button onClick={() => me.refetch()}>重试</Button>}
      />
    );
  if (!me.data) {
    const redirect = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?redirect=${redirect}`} replace />;
  }

  return (
    <Layout className={narrow ? 'cpe-console cpe-console-narrow' : 'cpe-console'}>
      <Layout.Header className="cpe-console-header">
        <div className="cpe-console-brand">
          {narrow && (
            <Button
              type="text"
              className="cpe-console-menu-toggle"
              icon={<MenuOutlined />}
              aria-label={collapsed ? '打开菜单' : '收起菜单'}
              aria-expanded={!collapsed}
              aria-controls="cpe-console-menu"
              onClick={() => setCollapsed((c) => !c)}
            />
          )}
          <Emblem size={26} />
          <span className="cpe-console-title">{site?.staffConsoleName}</span>
        </div>
        <div className="cpe-console-user">
          <span>
            <UserOutlined /> {me.data.displayName}
          </span>
          <Button
            type="text"
            size="small"
            icon={<LogoutOutlined />}
            onClick={() => logout.mutate()}
            loading={logout.isPending}
          >
            退出
          </Button>
        </div>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          // Wide enough for the seed's longest label, 市级高级研修项目申报, at the third level.
          width={236}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          collapsedWidth={narrow ? 0 : 80}
          trigger={narrow ? null : undefined}
          onBreakpoint={(below) => {
            setNarrow(below);
            if (below) setCollapsed(true);
          }}
          theme="dark"
          className="cpe-console-sider"
        >
          <Menu
            id="cpe-console-menu"
            theme="dark"
            mode="inline"
            selectedKeys={[menuKeyOf(location.pathname)]}
            defaultOpenKeys={[
              'continuing-education',
              'unit-registration',
              'advanced-seminar',
              'base-management',
              'public-courses',
              'credits-management',
              'help-desk',
              'account-security',
              'system',
            ]}
            items={menuFor(me.data) as typeof MENU}
            onClick={({ key }) => {
              navigate(key);
              if (narrow) setCollapsed(true);
            }}
          />
        </Layout.Sider>
        <Layout.Content className="cpe-console-content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
