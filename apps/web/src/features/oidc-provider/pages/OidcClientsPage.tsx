import { KeyOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  OIDC_SCOPE_LABELS,
  OIDC_SCOPES,
  OIDC_TRUSTED_ONLY_SCOPES,
  type TOidcClient,
  type TOidcClientWithSecret,
  type TOidcScope,
} from '@cpe/shared/schemas/oidc-provider';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Result,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorCode, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import {
  useDeleteKey,
  useDeleteOidcClient,
  useOidcClients,
  useOidcLogo,
  useResetOidcSecret,
  useRotateKey,
  useSaveOidcClient,
  useSigningKeys,
} from '../api';
import { ClientLogo } from '../components/ClientLogo';
import '../oidc-provider.css';

interface ClientForm {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  backchannelLogoutUri: string;
  scopes: TOidcScope[];
  trusted: boolean;
  enabled: boolean;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const SCOPE_OPTIONS = OIDC_SCOPES.map((s) => ({ value: s, label: OIDC_SCOPE_LABELS[s], disabled: s === 'openid' }));

/** The secret, shown once after 新增 or 重置密钥. */
function showSecret(modal: ReturnType<typeof App.useApp>['modal'], c: TOidcClientWithSecret) {
  modal.success({
    title: '请立即保存客户端密钥',
    width: 560,
    content: (
      <>
        <Alert
          type="warning"
          showIcon
          style={{ margin: '8px 0 12px' }}
          title="客户端密钥只显示这一次，关闭后无法再次查看；遗失后只能重置密钥。"
        />
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            { key: 'id', label: 'Client ID', children: <Typography.Text copyable>{c.clientId}</Typography.Text> },
            {
              key: 'secret',
              label: 'Client Secret',
              children: (
                <Typography.Text copyable className="cpe-oidc-secret">
                  {c.clientSecret}
                </Typography.Text>
              ),
            },
          ]}
        />
      </>
    ),
    okText: '我已保存',
  });
}

function ClientModal({ editing, onClose }: { editing: TOidcClient | 'new'; onClose: () => void }) {
  const [form] = Form.useForm<ClientForm>();
  const { message, modal } = App.useApp();
  const save = useSaveOidcClient();
  const logo = useOidcLogo();
  const [error, setError] = useState<string | null>(null);
  const existing = editing === 'new' ? null : editing;
  const trusted = Form.useWatch('trusted', form);

  const submit = async () => {
    let v: ClientForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    const body = {
      name: v.name,
      redirectUris: lines(v.redirectUris),
      postLogoutRedirectUris: lines(v.postLogoutRedirectUris),
      backchannelLogoutUri: v.backchannelLogoutUri?.trim() || null,
      scopes: v.scopes,
      trusted: v.trusted,
      enabled: v.enabled,
    };
    save.mutate(
      { id: existing?.id, body },
      {
        onSuccess: (saved) => {
          onClose();
          if ('clientSecret' in saved) showSecret(modal, saved as TOidcClientWithSecret);
          else message.success('接入系统已保存');
        },
        onError: (err) => setError(applyApiError(err, form)),
      },
    );
  };

  return (
    <Modal
      open
      title={existing ? `修改接入系统：${existing.name}` : '新增接入系统'}
      width={680}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Form<ClientForm>
        form={form}
        name="oidc-client"
        layout="vertical"
        initialValues={
          existing
            ? {
                ...existing,
                redirectUris: existing.redirectUris.join('\n'),
                postLogoutRedirectUris: existing.postLogoutRedirectUris.join('\n'),
                backchannelLogoutUri: existing.backchannelLogoutUri ?? '',
              }
            : {
                scopes: ['openid', 'profile'],
                trusted: false,
                enabled: true,
              }
        }
      >
        <Form.Item
          label="系统名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请输入系统名称' }]}
        >
          <Input maxLength={40} placeholder="如：重庆人社培训网" />
        </Form.Item>
        {existing && (
          <Form.Item label="图标">
            <Space>
              <ClientLogo logo={existing.logo} name={existing.name} size={40} />
              <Upload
                accept="image/png,image/jpeg"
                showUploadList={false}
                beforeUpload={(file) => {
                  logo.mutate(
                    { id: existing.id, file },
                    {
                      onSuccess: () => message.success('图标已更新'),
                      onError: (err) => message.error(toApiError(err).message),
                    },
                  );
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={logo.isPending}>
                  上传图标（JPG/PNG）
                </Button>
              </Upload>
              {existing.logo && (
                <Button onClick={() => logo.mutate({ id: existing.id, file: null })} disabled={logo.isPending}>
                  删除图标
                </Button>
              )}
            </Space>
          </Form.Item>
        )}
        <Form.Item
          label="登录回调地址（redirect_uri，每行一个）"
          name="redirectUris"
          rules={[{ required: true, whitespace: true, message: '请至少填写一个登录回调地址' }]}
          extra="授权请求中的 redirect_uri 必须与这里登记的地址完全一致。"
        >
          <Input.TextArea rows={2} placeholder="https://px.example.gov.cn/oidc/callback" />
        </Form.Item>
        <Form.Item label="退出后跳转地址（post_logout_redirect_uri，每行一个，可不填）" name="postLogoutRedirectUris">
          <Input.TextArea rows={2} placeholder="https://px.example.gov.cn/" />
        </Form.Item>
        <Form.Item
          label="后端退出通知地址（backchannel_logout_uri，可不填）"
          name="backchannelLogoutUri"
          extra="门户或其他系统退出时，平台向此地址发送 logout_token，该系统应结束对应会话。"
        >
          <Input placeholder="https://px.example.gov.cn/oidc/backchannel-logout" />
        </Form.Item>
        <Form.Item
          label="授权范围"
          name="scopes"
          extra="证件号码仅可授予可信系统；手机号码对非可信系统只提供部分隐藏的号码。"
          rules={[
            {
              validator: async (_r, v: TOidcScope[] | undefined) => {
                if (!trusted && v?.some((s) => OIDC_TRUSTED_ONLY_SCOPES.includes(s)))
                  throw new Error('只有可信系统才能获取证件类型和证件号码');
              },
            },
          ]}
        >
          <Checkbox.Group options={SCOPE_OPTIONS} />
        </Form.Item>
        <Space size="large">
          <Form.Item label="可信系统" name="trusted" valuePropName="checked">
            <Switch checkedChildren="可信" unCheckedChildren="否" />
          </Form.Item>
          <Form.Item label="启用" name="enabled" valuePropName="checked">
            <Switch checkedChildren="启用" unCheckedChildren="停用" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function SigningKeys() {
  const keys = useSigningKeys();
  const rotate = useRotateKey();
  const remove = useDeleteKey();
  const { message } = App.useApp();
  return (
    <div className="cpe-console-panel" style={{ marginTop: 16 }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          签名密钥
        </Typography.Title>
        <Popconfirm
          title="轮换签名密钥？"
          description="新密钥立即用于签名；旧密钥继续公布，已签发的令牌仍可验证。"
          okText="轮换"
          cancelText="取消"
          onConfirm={() =>
            rotate.mutateAsync().then(
              () => message.success('已轮换签名密钥'),
              (err) => message.error(toApiError(err).message),
            )
          }
        >
          <Button icon={<KeyOutlined />} loading={rotate.isPending}>
            轮换签名密钥
          </Button>
        </Popconfirm>
      </Space>
      <Table
        rowKey="kid"
        size="small"
        loading={keys.isPending}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: '密钥标识（kid）',
            dataIndex: 'kid',
            render: (kid: string) => (
              <Typography.Text copyable={{ text: kid }}>{`${kid.slice(0, 16)}…`}</Typography.Text>
            ),
          },
          { title: '算法', dataIndex: 'alg', width: 90 },
          { title: '创建时间', dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v) },
          {
            title: '状态',
            dataIndex: 'active',
            width: 130,
            render: (active: boolean) => (active ? <Tag color="green">正在签名</Tag> : <Tag>仅用于验证</Tag>),
          },
          {
            title: '操作',
            width: 90,
            render: (_: unknown, k) =>
              !k.active && (
                <Popconfirm
                  title="删除该密钥？"
                  description="删除后，由它签名且尚未过期的令牌将无法验证（令牌最长有效期为1小时）。"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={() =>
                    remove.mutateAsync(k.kid).then(
                      () => message.success('已删除'),
                      (err) => message.error(toApiError(err).message),
                    )
                  }
                >
                  <Button type="link" danger size="small">
                    删除
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </div>
  );
}

/**
 * 系统管理 → 接入系统 (console /oidc-clients, 系统管理员): the systems that sign people in through the 统一认证中心
 * (OpenID Connect), and the provider's signing keys.
 */
export function OidcClientsPage() {
  const site = useSite().data;
  usePageTitle('接入系统', site?.staffConsoleName);
  const clients = useOidcClients();
  const reset = useResetOidcSecret();
  const remove = useDeleteOidcClient();
  const [editing, setEditing] = useState<TOidcClient | 'new' | null>(null);
  const { message, modal } = App.useApp();

  if (clients.isError) {
    const code = errorCode(clients.error);
    return (
      <div className="cpe-console-page">
        <Result
          status={code === 'FORBIDDEN' ? '403' : 'error'}
          title={code === 'FORBIDDEN' ? '没有权限' : '加载失败'}
          subTitle={toApiError(clients.error).message}
        />
      </div>
    );
  }

  const columns: ColumnsType<TOidcClient> = [
    {
      title: '系统名称',
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space>
          <ClientLogo logo={c.logo} name={name} size={32} />
          <span>{name}</span>
          {c.trusted && <Tag color="blue">可信</Tag>}
        </Space>
      ),
    },
    {
      title: 'Client ID',
      dataIndex: 'clientId',
      render: (v: string) => <Typography.Text copyable>{v}</Typography.Text>,
    },
    {
      title: '授权范围',
      dataIndex: 'scopes',
      render: (scopes: TOidcScope[]) => scopes.map((s) => <Tag key={s}>{OIDC_SCOPE_LABELS[s]}</Tag>),
    },
    {
      title: '登录回调地址',
      dataIndex: 'redirectUris',
      render: (uris: string[]) => uris.map((u) => <div key={u}>{u}</div>),
    },
    {
      title: '状态',
      dataIndex: 'enabled',
      width: 80,
      render: (enabled: boolean) => (enabled ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
    },
    {
      title: '操作',
      width: 200,
      render: (_: unknown, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(c)}>
            修改
          </Button>
          <Popconfirm
            title="重置客户端密钥？"
            description="旧密钥立即失效，该系统需换用新密钥。"
            okText="重置"
            cancelText="取消"
            onConfirm={() =>
              reset.mutateAsync(c.id).then(
                (saved) => showSecret(modal, saved),
                (err) => message.error(toApiError(err).message),
              )
            }
          >
            <Button type="link" size="small">
              重置密钥
            </Button>
          </Popconfirm>
          <Popconfirm
            title={`删除“${c.name}”？`}
            description="该系统的全部授权和令牌立即失效。"
            okText="删除"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() =>
              remove.mutateAsync(c.id).then(
                () => message.success('已删除'),
                (err) => message.error(toApiError(err).message),
              )
            }
          >
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '系统管理' }, { title: '接入系统' }]}
      />
      <div className="cpe-console-panel">
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="其他系统通过 OpenID Connect 接入统一认证中心（授权码 + PKCE）。将下列 Issuer、Client ID 和客户端密钥提供给接入系统的开发人员即可。"
          description={
            clients.data && (
              <Descriptions
                size="small"
                column={1}
                items={[
                  {
                    key: 'issuer',
                    label: 'Issuer',
                    children: <Typography.Text copyable>{clients.data.issuer}</Typography.Text>,
                  },
                  {
                    key: 'discovery',
                    label: '发现文档',
                    children: <Typography.Text copyable>{clients.data.discoveryUrl}</Typography.Text>,
                  },
                ]}
              />
            )
          }
        />
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新增接入系统
          </Button>
        </Space>
        <Table
          rowKey="id"
          loading={clients.isPending}
          dataSource={clients.data?.items ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 960 }}
        />
      </div>
      <SigningKeys />
      {editing && (
        <ClientModal
          // The row as last loaded (a logo uploaded in the dialog shows at once).
          editing={editing === 'new' ? 'new' : (clients.data?.items.find((c) => c.id === editing.id) ?? editing)}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
