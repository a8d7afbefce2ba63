import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { PageSpin } from '../../../shared/PageSpin';
import { useMe } from '../api';

/** Pages that need a login: nobody logged in (or the session ended) → /login?redirect=<here>. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
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
    const redirect = encodeURIComponent(location.pathname + location.search + location.hash);
    return <Navigate to={`/login?redirect=${redirect}`} replace />;
  }
  return children;
}
