import { OIDC_SCOPE_LABELS } from '@cpe/shared/schemas/oidc-provider';
import { App, Button, Card, Empty, List, Popconfirm, Tag } from 'antd';
import { toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { useAuthorizedApps, useRevokeApp } from '../api';
import { ClientLogo } from './ClientLogo';
import '../oidc-provider.css';

/** 个人中心 → 已授权应用: the systems this person let sign them in, and what each receives; 撤销授权 ends it. */
export function AuthorizedAppsCard() {
  const apps = useAuthorizedApps();
  const revoke = useRevokeApp();
  const { message } = App.useApp();
  return (
    <Card title="已授权应用" id="authorized-apps" className="cpe-me-card" loading={apps.isPending}>
      {apps.isError ? (
        <Empty description={`加载失败：${toApiError(apps.error).message}`} />
      ) : (
        <List
          dataSource={apps.data?.items ?? []}
          locale={{
            emptyText: <Empty description="暂无已授权应用。通过统一认证登录其他系统并同意授权后，将显示在这里。" />,
          }}
          renderItem={(app) => (
            <List.Item>
              <div className="cpe-authorized-app">
                <ClientLogo logo={app.logo} name={app.name} size={40} />
                <div className="cpe-authorized-app-body">
                  <div className="cpe-authorized-app-name">{app.name}</div>
                  <div className="cpe-authorized-app-meta">
                    {app.scopes.map((s) => (
                      <Tag key={s}>{OIDC_SCOPE_LABELS[s]}</Tag>
                    ))}
                    授权时间 {formatDateTime(app.grantedAt)}
                  </div>
                </div>
                <Popconfirm
                  title={`撤销对“${app.name}”的授权？`}
                  description="撤销后，该系统不能再获取您的信息，您在该系统的登录也将结束。"
                  okText="撤销授权"
                  cancelText="取消"
                  onConfirm={() =>
                    revoke.mutateAsync(app.clientId).then(
                      () => message.success(`已撤销对“${app.name}”的授权`),
                      (err) => message.error(toApiError(err).message),
                    )
                  }
                >
                  <Button danger>撤销授权</Button>
                </Popconfirm>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
