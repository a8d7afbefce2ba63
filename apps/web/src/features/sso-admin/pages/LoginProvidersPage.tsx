import { ApiOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
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
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
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
const TYPE_SHORT_LABELS: Record<TLoginProviderType, string> = {
  oidc: 'OpenID Connect',
  wechat: '微信登录',
  ca: 'CA 证书',
};
/** 吊销列表 files are taken up to this (the server's limit). */
const CRL_MAX_BYTES = 10 * 1024 * 1024;

function base64Of(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * A .cer/.crt/.pem file as PEM text: PEM files as they are, a DER file (what Windows exports as .cer) or its bare
 * base64 wrapped as PEM. Null when the file is neither.
 */
function certificatePem(bytes: Uint8Array): string | null {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const blocks = text.match(PEM_CERT_RE);
  if (blocks) return blocks.join('\n');
  let b64: string;
  if (bytes[0] === 0x30) b64 = base64Of(bytes);
  else if (/^[A-Za-z0-9+/=\s]+$/.test(text.trim()) && text.trim().startsWith('MII')) b64 = text.replace(/\s+/g, '');
  else return null;
  const lines = b64.match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----'].join('\n');
}

const dateOf = (iso: string | null) => formatDateTime(iso).slice(0, 10);
const minuteOf = (iso: string | null) => formatDateTime(iso).slice(0, 16);
const isPast = (iso: string | null) => iso !== null && new Date(iso).getTime() < Date.now();

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
      message.success(
        editing ? '已保存' : saved.type === 'ca' ? '已新增' : `已新增，请在认证方登记回调地址 ${saved.callbackUrl}`,
      );
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) setError(applyApiError(err, form));
    }
  };

  /** Switching the protocol puts that protocol's usual scope and icon in place (an edited scope is kept). */
  const onTypeChange = (t: TLoginProviderType) => {
    const scopes = form.getFieldValue('scopes') as string | undefined;
    if (t === 'ca') {
      form.setFieldsValue({ icon: 'ca' });
    } else if (t === 'wechat') {
      form.setFieldsValue({
        icon: 'wechat',
        ...(scopes?.includes('openid') || !scopes ? { scopes: WECHAT_SCOPE } : {}),
      });
    } else if (!scopes || scopes === WECHAT_SCOPE) form.setFieldsValue({ scopes: 'openid profile', icon: 'gov' });
    else if (form.getFieldValue('icon') === 'ca') form.setFieldsValue({ icon: 'gov' });
  };

  /** 选择证书文件: the file's certificates added to the text (a chain may take several files). */
  const addCertificateFile = async (file: File) => {
    const pem = certificatePem(new Uint8Array(await file.arrayBuffer()));
    if (!pem) {
      message.error(`${file.name} 不是证书文件，请选择 DER 或 PEM 格式的 .cer / .crt / .pem 文件`);
      return;
    }
    const current = ((form.getFieldValue('caCertificates') as string | null | undefined) ?? '').trim();
    if (current.replace(/\s+/g, '').includes(pem.replace(/\s+/g, ''))) {
      message.info('该证书已在列表中');
      return;
    }
    form.setFieldsValue({ caCertificates: current ? `${current}\n${pem}` : pem });
    await form.validateFields(['caCertificates']).catch(() => undefined);
    message.success(`已读取证书文件 ${file.name}`);
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
                caCertificates: editing.caCertificates ?? undefined,
                signerUrl: editing.signerUrl ?? undefined,
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
            extra={
              type === 'ca'
                ? '保存后不能修改，如 ca-cqca'
                : '出现在回调地址中，保存后不能修改，如 zwfw、wechat、e-license'
            }
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
        {type === 'ca' ? (
          <>
            <Form.Item
              label="CA 证书"
              required
              extra="受信任的 CA 根证书或中级证书（PEM 格式，可多个）；可选择 .cer / .crt / .pem 文件，DER 格式自动转换。只接受由这些 CA 签发的用户证书。"
            >
              <Form.Item
                name="caCertificates"
                noStyle
                rules={[{ required: true, whitespace: true, message: '请粘贴或上传受信任的 CA 证书（PEM 格式）' }]}
              >
                <Input.TextArea
                  rows={6}
                  wrap="off"
                  className="cpe-provider-pem"
                  placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
                  aria-label="CA 证书"
                  spellCheck={false}
                />
              </Form.Item>
              <Upload
                accept=".cer,.crt,.pem,.der"
                showUploadList={false}
                beforeUpload={(file) => {
                  void addCertificateFile(file);
                  return false;
                }}
              >
                <Button size="small" icon={<UploadOutlined />} className="cpe-provider-pem-pick">
                  选择证书文件
                </Button>
              </Upload>
            </Form.Item>
            <Form.Item
              label="签名程序地址"
              name="signerUrl"
              rules={[{ required: true, whitespace: true, message: '请输入签名程序地址' }]}
              extra="CA 机构提供的签名程序（USB Key 浏览器组件）页面；登录页在弹出窗口中打开它，并与之交换签名原文和签名"
            >
              <Input placeholder="https://ca.example.com/signer" />
            </Form.Item>
          </>
        ) : (
          <>
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
            <Form.Item
              label="scope"
              name="scopes"
              rules={[{ required: true, whitespace: true, message: '请输入 scope' }]}
            >
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

/** A CA row: its signing program, the trusted certificates, the revocation list's state and 上传吊销列表. */
function CaSummary({
  provider: p,
  uploading,
  onUpload,
}: {
  provider: TLoginProviderAdmin;
  uploading: boolean;
  onUpload: (file: File) => void;
}) {
  const crlStale = p.crl !== null && isPast(p.crl.nextUpdate);
  return (
    <div className="cpe-provider-urls cpe-provider-ca-summary">
      <div>
        <span className="cpe-provider-sub">签名程序</span>
        {p.signerUrl}
      </div>
      <div>
        <span className="cpe-provider-sub">CA 证书</span>
        {p.caCertificateInfo.map((c) => (
          <div key={`${c.serialNumber}-${c.subject}`}>
            {c.subject}
            <span className="cpe-provider-sub">
              有效期至 {dateOf(c.validTo)}
              {isPast(c.validTo) && <Typography.Text type="danger">（已过期）</Typography.Text>}
            </span>
          </div>
        ))}
      </div>
      <div>
        <span className="cpe-provider-sub">吊销列表</span>
        {p.crl === null ? (
          <div>
            <Typography.Text type="warning">未上传吊销列表</Typography.Text>
          </div>
        ) : (
          <>
            <div>本次更新 {minuteOf(p.crl.thisUpdate)}</div>
            <div>
              下次更新 {minuteOf(p.crl.nextUpdate) || '未注明'}
              {crlStale && <Typography.Text type="danger"> 已过期</Typography.Text>}
            </div>
            <div>共 {p.crl.entries} 条</div>
          </>
        )}
        <Upload
          accept=".crl,.pem,.der"
          showUploadList={false}
          beforeUpload={(file) => {
            onUpload(file);
            return false;
          }}
        >
          <Button type="link" size="small" icon={<UploadOutlined />} loading={uploading}>
            上传吊销列表
          </Button>
        </Upload>
      </div>
    </div>
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
  const [uploading, setUploading] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.del<{ ok: true }>(`/api/login-providers/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  /** 上传吊销列表: the file as it is (DER or PEM), base64; the server checks it is the configured CA's. */
  const uploadCrl = async (p: TLoginProviderAdmin, file: File) => {
    if (file.size > CRL_MAX_BYTES) {
      message.error('吊销列表文件最大10MB');
      return;
    }
    setUploading(p.id);
    try {
      const crl = base64Of(new Uint8Array(await file.arrayBuffer()));
      const saved = await api.put<TLoginProviderAdmin>(`/api/login-providers/${p.id}/crl`, { crl });
      queryClient.setQueryData<{ items: TLoginProviderAdmin[] }>(KEY, (old) =>
        old ? { items: old.items.map((x) => (x.id === saved.id ? saved : x)) } : old,
      );
      message.success('吊销列表已更新');
    } catch (err) {
      if (isUnauthenticated(err)) return;
      const e = toApiError(err);
      modal.error({ title: `上传吊销列表：${p.name}`, content: e.fields?.crl ?? e.message });
    } finally {
      setUploading(null);
    }
  };

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
              {TYPE_SHORT_LABELS[p.type]} · 标识 {p.id}
            </span>
          </span>
        </span>
      ),
    },
    {
      title: '认证方地址 / 回调地址（在认证方登记）',
      key: 'urls',
      render: (_v, p) =>
        p.type === 'ca' ? (
          <CaSummary provider={p} uploading={uploading === p.id} onUpload={(file) => uploadCrl(p, file)} />
        ) : (
          <div className="cpe-provider-urls">
            <div>{p.type === 'oidc' ? p.issuer : (p.apiBaseUrl ?? WECHAT_API_BASE_URL)}</div>
            <Typography.Text type="secondary" copyable={{ text: p.callbackUrl, tooltips: ['复制回调地址', '已复制'] }}>
              {p.callbackUrl}
            </Typography.Text>
          </div>
        ),
    },
    {
      title: 'Client ID / AppID',
      dataIndex: 'clientId',
      width: 140,
      ellipsis: true,
      render: (v: string, p) => (p.type === 'ca' ? '—' : v),
    },
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
          title="政务服务网、电子营业执照等 OpenID Connect 认证方，微信开放平台“网站应用”的微信登录，以及 CA 数字证书（USB Key）登录"
          description="启用后登录页显示其图标。首次用其登录时，认证方核验过的证件号码与已有账号一致的，由本人用该账号的密码或短信验证码确认绑定；没有账号的，进入注册并预填实名信息；微信不提供实名信息，须绑定已有账号或注册。请在认证方登记各行的回调地址。CA 证书登录只接受所配置 CA 签发、未被吊销的证书，证书中的身份证号码或统一社会信用代码即其身份（单位证书以该单位的法人用户登录），请按 CA 的发布周期上传吊销列表。"
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
