import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useLogout, useMe, useSite } from '../features/identity/api';
import { Emblem } from '../shared/Emblem';
import { PageSpin } from '../shared/PageSpin';

/** Pages of the 统一认证中心 (login, registration, reset): the header names it beside the platform. */
const AUTH_CENTER_PATHS = ['/login', '/register', '/reset'];

export function PortalLayout() {
  const site = useSite().data;
  const me = useMe().data;
  const logout = useLogout();
  const { pathname } = useLocation();
  const authCenter = AUTH_CENTER_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));

  return (
    <div className="cpe-portal">
      <header className="cpe-header">
        <div className="cpe-header-inner">
          <Link to="/" className="cpe-brand">
            <Emblem />
            <span className="cpe-brand-text">
              <span className="cpe-brand-name">{site?.name ?? '\u00a0'}</span>
              {authCenter && site && <span className="cpe-brand-sub">{site.authCenterName}</span>}
            </span>
          </Link>
          <nav className="cpe-user-nav" aria-label="用户">
            {me ? (
              <>
                <span className="cpe-user-name">
                  <UserOutlined /> {me.realName}
                </span>
                <Link to="/me">个人中心</Link>
                <button
                  type="button"
                  className="cpe-link-button"
                  onClick={() => logout.mutate()}
                  disabled={logout.isPending}
                >
                  <LogoutOutlined /> 退出
                </button>
              </>
            ) : me === null ? (
              <>
                <Link to="/login">登录</Link>
                <span className="cpe-nav-sep">|</span>
                <Link to="/register">注册</Link>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      {site?.demoMode && (
        <div className="cpe-demo-banner" role="note">
          演示模式：短信验证码与图形验证码可在 /api/dev/outbox 查看
        </div>
      )}
      <main className="cpe-main">
        <Suspense fallback={<PageSpin />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="cpe-footer">
        {site && (
          <p className="cpe-footer-line">
            <span>版权所有：{site.name}</span>
            {'  '}
            <span>咨询电话：{site.hotline}</span>
          </p>
        )}
      </footer>
    </div>
  );
}
