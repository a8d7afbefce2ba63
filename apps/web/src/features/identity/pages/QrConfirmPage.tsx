import { DesktopOutlined } from '@ant-design/icons';
import type { TQrLoginStatus } from '@cpe/shared/schemas/qr-login';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Result } from 'antd';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../api';

type Request = { browser: string; ip: string; place: string; requestedAt: string; expiresAt: string };

/**
 * 扫码登录 on the phone (the QR's link, opened signed in; RequireLogin sends others to log in first and back
 * here, fragment included). Opening it tells the desktop 已扫描; the person sees which browser asks, from where
 * and when, and confirms or cancels.
 */
export function QrConfirmPage() {
  usePageTitle('扫码登录', useSite().data?.authCenterName);
  const code = useLocation().hash.slice(1);
  const me = useMe().data;
  const [done, setDone] = useState<Extract<TQrLoginStatus, 'confirmed' | 'cancelled'> | null>(null);
  const request = useQuery({
    queryKey: ['qr-login', code],
    queryFn: () => api.post<Request>('/api/qr-logins/scan', { code }),
    enabled: code.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const decide = useMutation({
    mutationFn: (action: 'confirm' | 'cancel') => api.post(`/api/qr-logins/${action}`, { code }),
    onSuccess: (_, action) => setDone(action === 'confirm' ? 'confirmed' : 'cancelled'),
  });

  if (!code) return <Result status="warning" title="二维码无效" subTitle="请使用手机扫描电脑登录页上的二维码" />;
  if (request.isPending) return <PageSpin />;
  if (request.isError)
    return (
      <Result
        status="warning"
        title="无法登录"
        subTitle={toApiError(request.error).message}
        extra={<Link to="/">返回首页</Link>}
      />
    );
  if (done === 'confirmed')
    return <Result status="success" title="已确认登录" subTitle="电脑端将自动进入平台，您可以关闭本页面" />;
  if (done === 'cancelled') return <Result status="info" title="已取消登录" subTitle="电脑端不会登录您的账号" />;

  const r = request.data;
  return (
    <div className="cpe-qr-confirm">
      <DesktopOutlined className="cpe-qr-confirm-icon" />
      <h2>确认登录</h2>
      <p className="cpe-qr-confirm-lead">
        电脑端正在请求登录您的账号{me ? `（${me.realName}）` : ''}，请确认是您本人操作
      </p>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="浏览器">{r.browser}</Descriptions.Item>
        <Descriptions.Item label="地点（IP）">
          {r.place}（{r.ip}）
        </Descriptions.Item>
        <Descriptions.Item label="请求时间">{formatDateTime(r.requestedAt)}</Descriptions.Item>
      </Descriptions>
      {decide.isError && <Alert type="error" showIcon title={toApiError(decide.error).message} />}
      <Button type="primary" size="large" block loading={decide.isPending} onClick={() => decide.mutate('confirm')}>
        确认登录
      </Button>
      <Button size="large" block disabled={decide.isPending} onClick={() => decide.mutate('cancel')}>
        取消
      </Button>
      <p className="cpe-qr-confirm-note">如果不是您本人操作，请点击取消，并及时修改密码</p>
    </div>
  );
}
