import { HomeOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result } from 'antd';
import { Suspense, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useSite } from '../features/identity/api';
import { useStaffLogout, useStaffMe } from '../features/identity/staff-api';
import { toApiError } from '../shared/api/client';
import { Emblem } from '../shared/Emblem';
import { PageSpin } from '../shared/PageSpin';

const MENU = [
  { key: '/', icon: <HomeOutlined />, label: '首页' },
  {
    key: 'account-security',
    icon: <SafetyOutlined />,
    label: '账号安全',
    children: [{ key: '/recoveries', label: '人工找回审核' }],
  },
];

/** The staff intranet frame: title bar, left menu, content. Every page inside needs a staff login. */
export function ConsoleLayout() {
  const site = useSite().data;
  const me = useStaffMe();
  const logout = useStaffLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // Below lg the menu folds away entirely (the toggle stays), leaving the table the whole width.
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
    <Layout className="cpe-console">
      <Layout.Header className="cpe-console-header">
        <div className="cpe-console-brand">
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
          width={208}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          collapsedWidth={narrow ? 0 : 80}
          onBreakpoint={setNarrow}
          theme="dark"
          className="cpe-console-sider"
        >
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[location.pathname]}
            defaultOpenKeys={['account-security']}
            items={MENU}
            onClick={({ key }) => navigate(key)}
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
