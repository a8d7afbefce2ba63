import { BankOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { ERRORS } from '@cpe/shared/errors';
import type { TLoginProviderPublic } from '@cpe/shared/schemas/sso';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Spin, Tabs, Tooltip } from 'antd';
import { lazy, Suspense, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { SliderCaptcha, type SliderCaptchaHandle } from '../../../shared/captcha/SliderCaptcha';
import { requiredText } from '../../../shared/form/rules';
import { safeRedirect } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { ssoStartUrl, useLoginProviders } from '../../sso/api';
import { ProviderIcon } from '../../sso/components/ProviderIcon';
import { ME_KEY, useMe, useSite } from '../api';
import type { Me } from '../types';

// Loaded when shown (both import shared schemas, hence zod): CA 证书登录's dialog when someone chooses it, the
// 扫码登录 tab's panel (and its QR code library) when the tab is opened.
const CaLoginDialog = lazy(() =>
  import('../../sso/components/CaLoginDialog').then((m) => ({ default: m.CaLoginDialog })),
);
const QrLoginPanel = lazy(() => import('../components/QrLoginPanel').then((m) => ({ default: m.QrLoginPanel })));

type LoginBody =
  | { loginType: 'person'; identifier: string; password: string; sliderToken: string }
  | { loginType: 'legal'; uscc: string; password: string; sliderToken: string };

/** What a login form shares: the slider token, the error above the button, a new puzzle after each failure. */
function useLoginForm<V>(toBody: (values: V, sliderToken: string) => LoginBody) {
  const [form] = Form.useForm<V>();
  const slider = useRef<SliderCaptchaHandle>(null);
  const [sliderToken, setSliderToken] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const login = useMutation({ mutationFn: (body: LoginBody) => api.post<Me>('/api/sessions', body) });

  const onFinish = async (values: V) => {
    if (!sliderToken) {
      slider.current?.demand();
      return;
    }
    setError(null);
    try {
      const me = await login.mutateAsync(toBody(values, sliderToken));
      queryClient.setQueryData(ME_KEY, me);
      message.success(`欢迎您，${me.realName}`);
      // The page the person was sent here from; else 首页, where every part of the portal starts.
      const target = safeRedirect(params.get('redirect'), '/');
      navigate(me.mustChangePassword ? `/password/initial?redirect=${encodeURIComponent(target)}` : target, {
        replace: true,
      });
    } catch (err) {
      // The slider token was spent by this attempt.
      slider.current?.reset();
      // The server's message above the button; any field messages also go on their fields.
      applyApiError(err, form);
      setError(toApiError(err).message);
    }
  };
  const onFinishFailed = () => {
    if (!sliderToken) slider.current?.demand();
  };

  const tail = (
    <>
      <Form.Item>
        <SliderCaptcha ref={slider} onChange={setSliderToken} />
      </Form.Item>
      {error && <Alert className="cpe-login-error" type="error" showIcon title={error} />}
      <Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={login.isPending}>
          登录
        </Button>
      </Form.Item>
    </>
  );
  return { form, onFinish, onFinishFailed, tail };
}

function PersonLoginForm({ initialIdentifier }: { initialIdentifier?: string }) {
  const { form, onFinish, onFinishFailed, tail } = useLoginForm<{ identifier: string; password: string }>(
    (v, sliderToken) => ({ loginType: 'person', identifier: v.identifier.trim(), password: v.password, sliderToken }),
  );
  return (
    <Form
      form={form}
      name="person"
      size="large"
      onFinish={onFinish}
      onFinishFailed={onFinishFailed}
      initialValues={{ identifier: initialIdentifier }}
      requiredMark={false}
    >
      <Form.Item name="identifier" rules={[requiredText('请输入用户名/手机号码/身份证号')]}>
        <Input
          prefix={<UserOutlined />}
          placeholder="用户名/手机号码/身份证号"
          aria-label="用户名/手机号码/身份证号"
          autoComplete="username"
          maxLength={64}
        />
      </Form.Item>
      <Form.Item name="password" rules={[requiredText('请输入密码')]}>
        <Input.Password
          prefix={<LockOutlined />}
          placeholder="请输入密码"
          aria-label="密码"
          autoComplete="current-password"
          maxLength={128}
        />
      </Form.Item>
      {tail}
    </Form>
  );
}

function LegalLoginForm() {
  const { form, onFinish, onFinishFailed, tail } = useLoginForm<{ uscc: string; password: string }>(
    (v, sliderToken) => ({ loginType: 'legal', uscc: v.uscc.trim(), password: v.password, sliderToken }),
  );
  return (
    <Form
      form={form}
      name="legal"
      size="large"
      onFinish={onFinish}
      onFinishFailed={onFinishFailed}
      requiredMark={false}
    >
      <Form.Item name="uscc" rules={[requiredText('请输入统一社会信用代码')]}>
        <Input
          prefix={<BankOutlined />}
          placeholder="统一社会信用代码"
          aria-label="统一社会信用代码"
          autoComplete="username"
          maxLength={32}
        />
      </Form.Item>
      <Form.Item name="password" rules={[requiredText('请输入密码')]}>
        <Input.Password
          prefix={<LockOutlined />}
          placeholder="请输入密码"
          aria-label="密码"
          autoComplete="current-password"
          maxLength={128}
        />
      </Form.Item>
      {tail}
    </Form>
  );
}

/**
 * 其它方式登录: the 第三方登录 staff enabled (系统管理 → 第三方登录). A redirect provider's icon is a plain link, since
 * the server sends the browser on to the provider; CA 证书 signs in place, in a dialog. Nothing configured, nothing
 * shown.
 */
function OtherLogin({ redirect }: { redirect: string }) {
  const providers = useLoginProviders().data?.items ?? [];
  const [ca, setCa] = useState<{ provider: TLoginProviderPublic; open: boolean } | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="cpe-other-login">
      <span className="cpe-other-login-title">其它方式登录</span>
      <span className="cpe-other-login-icons">
        {providers.map((p) => (
          <Tooltip key={p.id} title={`使用${p.name}登录`}>
            {p.type === 'ca' ? (
              <button
                type="button"
                className="cpe-provider-button"
                aria-label={`使用${p.name}登录`}
                aria-haspopup="dialog"
                onClick={() => setCa({ provider: p, open: true })}
              >
                <ProviderIcon icon={p.icon} />
              </button>
            ) : (
              <a href={ssoStartUrl(p.id, redirect)} aria-label={`使用${p.name}登录`}>
                <ProviderIcon icon={p.icon} />
              </a>
            )}
          </Tooltip>
        ))}
      </span>
      {ca && (
        <Suspense fallback={null}>
          <CaLoginDialog
            provider={ca.provider}
            open={ca.open}
            redirect={redirect}
            onClose={() => setCa({ ...ca, open: false })}
            afterClose={() => setCa(null)}
          />
        </Suspense>
      )}
    </div>
  );
}

/** Why a 第三方登录 came back without signing in (/login?sso_error=CODE): the server's message for its code. */
function ssoErrorMessage(code: string | null): string | null {
  if (!code) return null;
  return code.startsWith('SSO_') && Object.hasOwn(ERRORS, code)
    ? ERRORS[code as keyof typeof ERRORS].message
    : '第三方登录未成功，请重试，或使用账号密码登录';
}

function LoginGraphic() {
  return (
    <div className="cpe-login-graphic">
      <svg viewBox="0 0 420 220" className="cpe-login-art" aria-hidden="true" focusable="false">
        <g fill="none" stroke="rgba(255,255,255,.55)" strokeWidth="1.5">
          <path d="M60 150 L150 80 L260 120 L360 60" />
          <path d="M150 80 L210 30 M260 120 L300 190 M150 80 L120 180" />
        </g>
        <g fill="#fff">
          <circle cx="60" cy="150" r="7" />
          <circle cx="150" cy="80" r="10" />
          <circle cx="260" cy="120" r="8" />
          <circle cx="360" cy="60" r="7" />
          <circle cx="210" cy="30" r="5" />
          <circle cx="300" cy="190" r="5" />
          <circle cx="120" cy="180" r="5" />
        </g>
        <g fill="rgba(255,255,255,.18)">
          <rect x="20" y="196" width="380" height="4" rx="2" />
          <rect x="40" y="160" width="28" height="36" />
          <rect x="74" y="140" width="22" height="56" />
          <rect x="300" y="150" width="30" height="46" />
          <rect x="336" y="128" width="24" height="68" />
          <rect x="366" y="166" width="20" height="30" />
        </g>
      </svg>
      <div className="cpe-login-slogan">单点登录, 全网通办</div>
      <div className="cpe-login-slogan-en">SINGLE SIGN ON, FULL ONLINE PROCESSING</div>
    </div>
  );
}

/** 统一认证中心 login: 个人用户 / 法人用户 tabs, slider, links to 忘记密码? and 用户注册, 其它方式登录. */
export function LoginPage() {
  const site = useSite().data;
  const me = useMe().data;
  const location = useLocation();
  const [params] = useSearchParams();
  const state = (location.state ?? {}) as { notice?: string; identifier?: string };
  const ssoError = ssoErrorMessage(params.get('sso_error'));
  usePageTitle('登录', site?.authCenterName);

  return (
    <div className="cpe-login">
      <div className="cpe-login-inner">
        <LoginGraphic />
        <div className="cpe-login-card">
          {state.notice && <Alert className="cpe-login-notice" type="success" showIcon title={state.notice} />}
          {ssoError && <Alert className="cpe-login-notice" type="error" showIcon title={ssoError} />}
          {!state.notice && !ssoError && me === null && params.has('redirect') && (
            <Alert className="cpe-login-notice" type="info" showIcon title="请登录后继续访问" />
          )}
          {me && (
            <Alert
              className="cpe-login-notice"
              type="info"
              showIcon
              title={
                <>
                  您已登录（{me.realName}），<Link to="/me">进入个人中心</Link>
                </>
              }
            />
          )}
          <Tabs
            centered
            size="large"
            destroyOnHidden
            items={[
              { key: 'person', label: '个人用户', children: <PersonLoginForm initialIdentifier={state.identifier} /> },
              { key: 'legal', label: '法人用户', children: <LegalLoginForm /> },
              {
                key: 'qr',
                label: '扫码登录',
                children: (
                  <Suspense
                    fallback={
                      <div className="cpe-qr-login">
                        <div className="cpe-qr-login-box">
                          <Spin />
                        </div>
                      </div>
                    }
                  >
                    <QrLoginPanel />
                  </Suspense>
                ),
              },
            ]}
          />
          <div className="cpe-login-links">
            <Link to="/reset">忘记密码?</Link>
            <Link to="/register">用户注册</Link>
          </div>
          <OtherLogin redirect={safeRedirect(params.get('redirect'), '/')} />
        </div>
      </div>
    </div>
  );
}
