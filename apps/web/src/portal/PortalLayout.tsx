import { CloseOutlined, DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { HelpPanel } from '../features/help/components/HelpPanel';
import { useLogout, useMe, useSite } from '../features/identity/api';
import { HeaderMessages, MenuMessages, MenuUnreadDot } from '../features/messages/components/MessagesNav';
import { Emblem } from '../shared/Emblem';
import { PageSpin } from '../shared/PageSpin';
import { useDismiss } from '../shared/useDismiss';
import { CONTINUING_EDUCATION_PATHS, continuingEducation, LEARNING_CENTRE } from './learning-centre';
import '../features/purchase/portal-nav.css';

/** Pages of the 统一认证中心 (login, registration, reset): the header names it beside the platform. */
const AUTH_CENTER_PATHS = ['/login', '/register', '/reset'];

/**
 * A menu of the main navigation (在线学习中心 ▾, 继续教育 ▾): a disclosure menu in plain markup (this layout is on the
 * first page's bundle), closed by a choice, a click elsewhere, Escape or leaving the page.
 */
function NavMenu({
  label,
  items,
  active,
}: {
  label: string;
  items: ReadonlyArray<{ key: string; to: string; label: string }>;
  active: boolean;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useDismiss(open, setOpen, root, button);

  return (
    <div className={`cpe-nav-menu${open ? ' is-open' : ''}`} ref={root}>
      <button
        ref={button}
        type="button"
        className={`cpe-nav-item${active ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((v) => !v)}
      >
        {label} <DownOutlined className="cpe-nav-caret" />
      </button>
      <ul id={menuId} className="cpe-nav-dropdown" hidden={!open}>
        {items.map((m) => (
          <li key={m.key}>
            <Link to={m.to} onClick={() => setOpen(false)}>
              {m.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

const within = (pathname: string, prefixes: string[]) =>
  prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export function PortalLayout() {
  const site = useSite().data;
  const me = useMe().data;
  const logout = useLogout();
  const { pathname } = useLocation();
  const authCenter = AUTH_CENTER_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  // Phones (≤ 575 px): the main navigation folds into a panel opened by 菜单; a new page closes it.
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the panel.
  useEffect(() => setNavOpen(false), [pathname]);

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
                <HeaderMessages />
                <Link to="/me">个人中心</Link>
                {me.unitAdmin && <Link to="/unit-center">单位中心</Link>}
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
      {!authCenter && (
        <nav className={`cpe-main-nav${navOpen ? ' is-open' : ''}`} aria-label="主导航">
          <div className="cpe-main-nav-inner" id="cpe-main-nav-items">
            <button
              type="button"
              className="cpe-nav-toggle"
              aria-expanded={navOpen}
              aria-controls="cpe-main-nav-items"
              onClick={() => setNavOpen((v) => !v)}
              onKeyDown={(e) => e.key === 'Escape' && setNavOpen(false)}
            >
              {navOpen ? <CloseOutlined /> : <MenuOutlined />} 菜单
              {me && !navOpen && <MenuUnreadDot />}
            </button>
            <NavLink to="/" end className="cpe-nav-item">
              首页
            </NavLink>
            <NavMenu
              label="在线学习中心"
              items={LEARNING_CENTRE.filter((m) => m.nav)}
              active={within(pathname, ['/gxkm', '/study', '/certificates'])}
            />
            <NavMenu
              label="继续教育"
              items={continuingEducation(me)}
              active={within(pathname, CONTINUING_EDUCATION_PATHS)}
            />
            {me && (
              <>
                <MenuMessages />
                <NavLink to="/orders" className="cpe-nav-item">
                  我的订单
                </NavLink>
                <NavLink to="/invoices" className="cpe-nav-item">
                  我的发票
                </NavLink>
              </>
            )}
            <NavLink to="/help" className="cpe-nav-item">
              咨询方式
            </NavLink>
          </div>
        </nav>
      )}
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
      <HelpPanel signedIn={Boolean(me)} />
    </div>
  );
}
