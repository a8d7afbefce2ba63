import { ApiOutlined, PlusOutlined } from '@ant-design/icons';
import {
  LOGIN_PROVIDER_ICON_LABELS,
  LOGIN_PROVIDER_ICONS,
  LOGIN_PROVIDER_ID_RE,
  LOGIN_PROVIDER_TYPE_LABELS,
  type TLoginProviderAdmin,
  type TLoginProviderCreate,
  type TLoginProviderType,
  WECHAT_API_BASE_URL,
  WECHAT_OPEN_BASE_URL,
} from '@cpe/shared/schemas/sso';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Switch,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { ProviderIcon } from '../../sso/components/ProviderIcon';
import '../../units/units.css';

const KEY = ['admin-login-providers'] as const;

type FormValues = Omit<TLoginProviderCreate, 'sortOrder'> & { sortOrder: number };

/** A new provider starts as what most 政务服务网 register: OIDC with the name and 身份证号码 in profile claims. */
const NEW_OIDC: Partial<FormValues> = {
  type: 'oidc',
  icon: 'gov',
  scopes: 'openid profile',
  nameClaim: 'name',
  idNumberClaim: 'id_card',
  enabled: true,
  sortOrder: 10,
};
const WECHAT_SCOPE = 'snsapi_login';

function ProviderModal({
  editing,
  open,
  onClose,
}: {
  editing: TLoginProviderAdmin | null;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const type = (Form.useWatch('type', form) ?? editing?.type ?? 'oidc') as TLoginProviderType;
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      editing
        ? api.put<TLoginProviderAdmin>(`/api/login-providers/${editing.id}`, v)
        : api.post<TLoginProviderAdmin>('/api/login-providers', v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const onOk = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    try {
      const saved = await save.mutateAsync({ ...v, clientSecret: v.clientSecret ?? '' });
      message.success(editing ? '已保存' : `已新增，请在认证方登记回调地址 ${saved.callbackUrl}`);
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) setError(applyApiError(err, form));
    }
  };

  /** Switching the protocol puts that protocol's usual scope in place (an edited one is kept). */
  const onTypeChange = (t: TLoginProviderType) => {
    const scopes = form.getFieldValue('scopes') as string | undefined;
    if (t === 'wechat') {
      form.setFieldsValue({
        icon: 'wechat',
        ...(scopes?.includes('openid') || !scopes ? { scopes: WECHAT_SCOPE } : {}),
      });
    } else if (!scopes || scopes === WECHAT_SCOPE) form.setFieldsValue({ scopes: 'openid profile', icon: 'gov' });
  };

  return (
    <Modal
      open={open}
      title={editing ? `编辑第三方登录：${editing.name}` : '新增第三方登录'}
      okText="保存"
      onOk={onOk}
      onCancel={onClose}
      okButtonProps={{ loading: save.isPending }}
      cancelButtonProps={{ disabled: save.isPending }}
      destroyOnHidden
      width={680}
    >
      {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error} />}
      <Form<FormValues>
        form={form}
        name="login-provider"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 17 }}
        size="small"
        initialValues={
          editing
            ? {
                ...editing,
                clientSecret: '',
                issuer: editing.issuer ?? undefined,
                openBaseUrl: editing.openBaseUrl ?? undefined,
                apiBaseUrl: editing.apiBaseUrl ?? undefined,
                idNumberClaim: editing.idNumberClaim ?? undefined,
                nameClaim: editing.nameClaim ?? undefined,
                usccClaim: editing.usccClaim ?? undefined,
              }
            : NEW_OIDC
        }
      >
        {editing ? (
          <Form.Item label="标识">
            <Typography.Text code>{editing.id}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            label="标识"
            name="id"
            rules={[
              {
                required: true,
                pattern: LOGIN_PROVIDER_ID_RE,
                message: '2-32位小写字母、数字或连字符，以字母开头',
              },
            ]}
            extra="出现在回调地址中，保存后不能修改，如 zwfw、wechat、e-license"
          >
            <Input maxLength={32} placeholder="zwfw" autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          label="显示名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请输入显示名称' }]}
        >
          <Input maxLength={30} placeholder="重庆市政务服务网" />
        </Form.Item>
        <Form.Item label="协议类型" name="type" rules={[{ required: true }]}>
          <Radio.Group
            options={Object.entries(LOGIN_PROVIDER_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
            onChange={(e) => onTypeChange(e.target.value)}
          />
        </Form.Item>
        <Form.Item label="图标" name="icon" rules={[{ required: true }]}>
          <Select
            options={LOGIN_PROVIDER_ICONS.map((icon) => ({
              value: icon,
              label: (
                <span className="cpe-provider-option">
                  <ProviderIcon icon={icon} size={18} /> {LOGIN_PROVIDER_ICON_LABELS[icon]}
                </span>
              ),
            }))}
          />
        </Form.Item>
        {type === 'oidc' ? (
          <Form.Item
            label="Issuer"
            name="issuer"
            rules={[{ required: true, message: '请输入 Issuer（发行方地址）' }]}
            extra="认证方的发行方地址；端点与签名公钥（JWKS）从其 /.well-known/openid-configuration 读取"
          >
            <Input placeholder="https://zwfw.example.gov.cn/oidc" />
          </Form.Item>
        ) : (
          <>
            <Form.Item label="开放平台地址" name="openBaseUrl" extra={`留空即 ${WECHAT_OPEN_BASE_URL}`}>
              <Input placeholder={WECHAT_OPEN_BASE_URL} />
            </Form.Item>
            <Form.Item label="接口地址" name="apiBaseUrl" extra={`留空即 ${WECHAT_API_BASE_URL}`}>
              <Input placeholder={WECHAT_API_BASE_URL} />
            </Form.Item>
          </>
        )}
        <Form.Item
          label={type === 'oidc' ? 'Client ID' : 'AppID'}
          name="clientId"
          rules={[{ required: true, whitespace: true, message: '请输入 Client ID / AppID' }]}
        >
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={type === 'oidc' ? 'Client Secret' : 'AppSecret'}
          name="clientSecret"
          rules={editing ? [] : [{ required: true, whitespace: true, message: '请输入 Client Secret / AppSecret' }]}
          extra={editing ? '已设置；留空则不修改。密钥加密保存，不会再显示。' : '加密保存，保存后不再显示'}
        >
          <Input.Password maxLength={500} autoComplete="new-password" placeholder={editing ? '留空则不修改' : ''} />
        </Form.Item>
        <Form.Item label="scope" name="scopes" rules={[{ required: true, whitespace: true, message: '请输入 scope' }]}>
          <Input maxLength={200} />
        </Form.Item>
        {type === 'oidc' && (
          <>
            <Form.Item
              label="证件号码声明"
              name="idNumberClaim"
              extra="认证方核验过的身份证号码（或其它证件号码）所在的声明，可用 a.b 表示嵌套；留空则首次登录须绑定已有账号"
            >
              <Input maxLength={64} placeholder="id_card" />
            </Form.Item>
            <Form.Item label="姓名声明" name="nameClaim">
              <Input maxLength={64} placeholder="name" />
            </Form.Item>
            <Form.Item
              label="统一社会信用代码声明"
              name="usccClaim"
              extra="法人用户：带有该声明的登录即以该单位管理员身份登录（电子营业执照、政务服务网法人登录）"
            >
              <Input maxLength={64} placeholder="uscc" />
            </Form.Item>
          </>
        )}
        <Form.Item label="排序" name="sortOrder" extra="登录页图标从小到大排列">
          <InputNumber min={0} max={999} precision={0} />
        </Form.Item>
        <Form.Item
          label="启用"
          name="enabled"
          valuePropName="checked"
          extra="停用后登录页不再显示，已绑定的账号可用密码登录"
        >
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 系统管理 → 第三方登录 (console /login-providers, 系统管理员). */
export function LoginProvidersPage() {
  const site = useSite().data;
  usePageTitle('第三方登录', site?.staffConsoleName);
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<{ items: TLoginProviderAdmin[] }>('/api/login-providers'),
  });
  const [editing, setEditing] = useState<{ open: boolean; provider: TLoginProviderAdmin | null }>({
    open: false,
    provider: null,
  });
  const [checking, setChecking] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.del<{ ok: true }>(`/api/login-providers/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const check = async (p: TLoginProviderAdmin) => {
    setChecking(p.id);
    try {
      const r = await api.post<{ ok: boolean; message: string }>(`/api/login-providers/${p.id}/check`);
      (r.ok ? modal.success : modal.error)({ title: `测试连接：${p.name}`, content: r.message });
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setChecking(null);
    }
  };

  const columns: ColumnsType<TLoginProviderAdmin> = [
    { title: '排序', dataIndex: 'sortOrder', width: 56, align: 'center' },
    {
      title: '显示名称',
      key: 'name',
      width: 210,
      render: (_v, p) => (
        <span className="cpe-provider-option">
          <ProviderIcon icon={p.icon} size={28} />
          <span>
            {p.name}
            <span className="cpe-provider-sub">
              {p.type === 'oidc' ? 'OpenID Connect' : '微信登录'} · 标识 {p.id}
            </span>
          </span>
        </span>
      ),
    },
    {
      title: '认证方地址 / 回调地址（在认证方登记）',
      key: 'urls',
      render: (_v, p) => (
        <div className="cpe-provider-urls">
          <div>{p.type === 'oidc' ? p.issuer : (p.apiBaseUrl ?? WECHAT_API_BASE_URL)}</div>
          <Typography.Text type="secondary" copyable={{ text: p.callbackUrl, tooltips: ['复制回调地址', '已复制'] }}>
            {p.callbackUrl}
          </Typography.Text>
        </div>
      ),
    },
    { title: 'Client ID / AppID', dataIndex: 'clientId', width: 140, ellipsis: true },
    {
      title: '状态',
      dataIndex: 'enabled',
      width: 80,
      render: (on: boolean) => (on ? <Badge status="success" text="启用" /> : <Badge status="default" text="停用" />),
    },
    { title: '已绑定账号', dataIndex: 'linkedAccounts', width: 90, align: 'right' },
    {
      title: '操作',
      key: 'action',
      width: 220,
      render: (_v, p) => (
        <span className="cpe-unit-row-actions">
          <Button type="link" size="small" onClick={() => setEditing({ open: true, provider: p })}>
            编辑
          </Button>
          <Button type="link" size="small" icon={<ApiOutlined />} loading={checking === p.id} onClick={() => check(p)}>
            测试连接
          </Button>
          <Popconfirm
            title={`删除${p.name}？`}
            description={
              p.linkedAccounts
                ? `${p.linkedAccounts} 个账号的绑定将一并删除，这些用户需使用账号密码登录。`
                : '删除后登录页不再显示该登录方式。'
            }
            okText="删除"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={async () => {
              try {
                await remove.mutateAsync(p.id);
                message.success(`已删除${p.name}`);
              } catch (err) {
                if (!isUnauthenticated(err)) message.error(toApiError(err).message);
              }
            }}
          >
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        </span>
      ),
    },
  ];

  const forbidden = errorCode(list.error) === 'FORBIDDEN';
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">第三方登录</h1>
      <div className="cpe-console-panel cpe-unit-console-panel">
        <Alert
          className="cpe-unit-alert"
          type="info"
          showIcon
          title="政务服务网、电子营业执照等 OpenID Connect 认证方，以及微信开放平台“网站应用”的微信登录"
          description="启用后登录页显示其图标。首次用其登录时，认证方核验过的证件号码与已有账号一致的，由本人用该账号的密码或短信验证码确认绑定；没有账号的，进入注册并预填实名信息；微信不提供实名信息，须绑定已有账号或注册。请在认证方登记各行的回调地址。"
        />
        <div className="cpe-unit-toolbar">
          <span />
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            disabled={forbidden}
            onClick={() => setEditing({ open: true, provider: null })}
          >
            新增第三方登录
          </Button>
        </div>
        {error && (
          <Alert
            className="cpe-unit-alert"
            type="error"
            showIcon
            title={forbidden ? '仅系统管理员可以配置第三方登录' : error.message}
          />
        )}
        <Table<TLoginProviderAdmin>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending}
          pagination={false}
          locale={{ emptyText: list.isPending ? '加载中…' : '尚未配置第三方登录' }}
        />
      </div>
      <ProviderModal
        key={editing.provider?.id ?? 'new'}
        open={editing.open}
        editing={editing.provider}
        onClose={() => setEditing((e) => ({ ...e, open: false }))}
      />
    </div>
  );
}
