import { Button } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { PageSpin } from '../../../shared/PageSpin';
import { useMe } from '../api';

/**
 * Pages that need a login: nobody logged in (or the session ended) → /login?redirect=<here>; an initial
 * password still to change → /password/initial?redirect=<here>.
 */
export function RequireLogin({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSpin />;
  // Plain markup, not antd Result: this component is on the first page's bundle.
  if (me.isError)
    return (
      <div className="cpe-load-error" role="alert">
        <p>加载失败：{toApiError(me.error).message}</p>
        <Button onClick={() => me.refetch()}>重试</Button>
      </div>
    );
  if (!me.data) {
    const redirect = encodeURIComponent(location.pathname + location.search + location.hash);
    return <Navigate to={`/login?redirect=${redirect}`} replace />;
  }
  // Accounts with an initial password (学员注册名单) change it before anything else.
  if (me.data.mustChangePassword) {
    const redirect = encodeURIComponent(location.pathname + location.search + location.hash);
    return <Navigate to={`/password/initial?redirect=${redirect}`} replace />;
  }
  return children;
}
