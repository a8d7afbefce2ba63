import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Tag } from 'antd';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useConsentDetails, useDecideConsent } from '../api';
import { ClientLogo } from '../components/ClientLogo';
import '../oidc-provider.css';

/**
 * 授权确认 (/authorize/:uid, login required): another system registered in 接入系统 asks to sign this person in
 * through the 统一认证中心. The page lists exactly what the system will receive; 同意授权 is remembered (个人中心 →
 * 已授权应用), so the next visit goes straight through. Reached from the provider's interaction, which answers
 * the sign-in itself from the portal session and only sends people here to decide.
 */
export function AuthorizePage() {
  const site = useSite().data;
  usePageTitle('授权确认', site?.authCenterName);
  const uid = useParams().uid ?? '';
  const details = useConsentDetails(uid);
  const decide = useDecideConsent(uid);
  const continueTo = details.data?.continueTo;

  useEffect(() => {
    // The interaction still needs its sign-in step (this page was the way back from the login page).
    if (continueTo) window.location.replace(continueTo);
  }, [continueTo]);

  if (details.isPending || continueTo) return <PageSpin />;
  if (details.isError)
    return (
      <Result
        status="warning"
        title="无法完成授权"
        subTitle={toApiError(details.error).message}
        extra={<Link to="/">返回平台首页</Link>}
      />
    );

  const d = details.data;
  const go = (decision: 'approve' | 'deny') =>
    decide.mutate(decision, { onSuccess: ({ redirectTo }) => window.location.assign(redirectTo) });
  return (
    <div className="cpe-authorize">
      <div className="cpe-authorize-head">
        <ClientLogo logo={d.client.logo} name={d.client.name} />
        <h1>
          “{d.client.name}”申请使用您的{site?.authCenterName ?? '统一认证中心'}账号登录
          {d.client.trusted && (
            <Tag color="blue" icon={<SafetyCertificateOutlined />} style={{ marginLeft: 8 }}>
              可信系统
            </Tag>
          )}
        </h1>
      </div>
      <p className="cpe-authorize-account">当前登录账号：{d.account.realName}</p>
      <p>同意后，该系统将获得您的以下信息：</p>
      <ul className="cpe-authorize-list" aria-label="将提供的信息">
        {d.items.map((i) => (
          <li key={i.scope}>
            <span>{i.label}</span>
            <span>{i.value}</span>
          </li>
        ))}
      </ul>
      {decide.isError && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toApiError(decide.error).message} />
      )}
      <div className="cpe-authorize-actions">
        <Button type="primary" size="large" block loading={decide.isPending} onClick={() => go('approve')}>
          同意授权
        </Button>
        <Button size="large" block disabled={decide.isPending} onClick={() => go('deny')}>
          拒绝
        </Button>
      </div>
      <p className="cpe-authorize-note">您可以随时在“个人中心 → 已授权应用”中撤销授权。</p>
    </div>
  );
}
