import { App, Button, Card, Empty, Popconfirm } from 'antd';
import { toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { useLinkedLogins, useLoginProviders, useUnlinkLogin } from '../api';
import { ProviderIcon } from './ProviderIcon';
import '../sso.css';

/**
 * 个人中心 → 第三方账号: the providers this account signs in with directly, each with 解除绑定 (always allowed:
 * every account keeps its password). Linking happens at the first login through a provider.
 */
export function LinkedLoginsCard() {
  const links = useLinkedLogins();
  const providers = useLoginProviders().data?.items ?? [];
  const unlink = useUnlinkLogin();
  const { message } = App.useApp();
  const items = links.data?.items ?? [];

  const onUnlink = async (providerId: string, name: string) => {
    try {
      await unlink.mutateAsync(providerId);
      message.success(`已解除绑定${name}`);
    } catch (err) {
      message.error(toApiError(err).message);
    }
  };

  return (
    <Card title="第三方账号" id="logins" className="cpe-me-card" loading={links.isPending}>
      {items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            providers.length
              ? `尚未绑定第三方账号。在登录页选择${providers.map((p) => p.name).join('、')}登录时，可按提示绑定本账号。`
              : '尚未绑定第三方账号'
          }
        />
      ) : (
        items.map((l) => (
          <div key={l.providerId} className="cpe-me-login">
            <ProviderIcon icon={l.icon} size={36} />
            <div className="cpe-me-login-text">
              <div className="cpe-me-login-name">{l.name}</div>
              <div className="cpe-muted-note">
                绑定于 {formatDateTime(l.linkedAt)}
                {l.lastLoginAt ? ` · 最近登录 ${formatDateTime(l.lastLoginAt)}` : ''}
              </div>
            </div>
            <Popconfirm
              title={`解除绑定${l.name}？`}
              description={`解除后不能再用${l.name}直接登录本账号，可在下次用它登录时重新绑定。`}
              okText="解除绑定"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => onUnlink(l.providerId, l.name)}
            >
              <Button danger loading={unlink.isPending && unlink.variables === l.providerId}>
                解除绑定
              </Button>
            </Popconfirm>
          </div>
        ))
      )}
    </Card>
  );
}
