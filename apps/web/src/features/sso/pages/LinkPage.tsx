import { LockOutlined, MobileOutlined, UserOutlined } from '@ant-design/icons';
import { zPhone } from '@cpe/shared/schemas/identity';
import type { TSsoPending } from '@cpe/shared/schemas/sso';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Result, Tabs } from 'antd';
import { useRef, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { applyApiError, useShowApiError } from '../../../shared/api/form-errors';
import { useImageCaptcha } from '../../../shared/captcha/ImageCaptcha';
import { SliderCaptcha, type SliderCaptchaHandle } from '../../../shared/captcha/SliderCaptcha';
import { CaptchaFormItem, SmsFormItem, sendSmsCode } from '../../../shared/form/CodeFields';
import { requiredText, zodRule } from '../../../shared/form/rules';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { ME_KEY, useSite } from '../../identity/api';
import { AuthPanel } from '../../identity/components/AuthPanel';
import type { Me, SmsSent } from '../../identity/types';
import { useCancelSso, useSsoPending } from '../api';
import { ProviderIcon } from '../components/ProviderIcon';
import '../sso.css';

type Linked = { me: Me; redirect: string };

/** After the link: signed in like any login, on to where the person was going. */
function useLinked() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (r: Linked, providerName: string) => {
    queryClient.setQueryData(ME_KEY, r.me);
    message.success(`已绑定${providerName}，欢迎您，${r.me.realName}`);
    navigate(r.redirect, { replace: true });
  };
}

/** 密码验证: the account's password (and, when WeChat found no account, which account) plus the slider. */
function PasswordLink({ pending }: { pending: TSsoPending }) {
  const [form] = Form.useForm<{ identifier?: string; password: string }>();
  const slider = useRef<SliderCaptchaHandle>(null);
  const [sliderToken, setSliderToken] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const done = useLinked();
  const choose = pending.mode === 'choose';

  const onFinish = async (v: { identifier?: string; password: string }) => {
    if (!sliderToken) {
      slider.current?.demand();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const r = await api.post<Linked>('/api/sso/pending/password', {
        ...(choose ? { identifier: v.identifier?.trim() } : {}),
        password: v.password,
        sliderToken,
      });
      done(r, pending.provider.name);
    } catch (err) {
      slider.current?.reset();
      setError(applyApiError(err, form) ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      name="sso-password"
      size="large"
      onFinish={onFinish}
      onFinishFailed={() => !sliderToken && slider.current?.demand()}
      requiredMark={false}
    >
      {choose && (
        <Form.Item name="identifier" rules={[requiredText('请输入用户名/手机号码/证件号码')]}>
          <Input
            prefix={<UserOutlined />}
            placeholder="用户名/手机号码/身份证号"
            aria-label="用户名/手机号码/身份证号"
            autoComplete="username"
            maxLength={64}
          />
        </Form.Item>
      )}
      <Form.Item name="password" rules={[requiredText('请输入密码')]}>
        <Input.Password
          prefix={<LockOutlined />}
          placeholder={choose ? '请输入该账号的密码' : '请输入本平台账号的密码'}
          aria-label="密码"
          autoComplete="current-password"
          maxLength={128}
        />
      </Form.Item>
      <Form.Item>
        <SliderCaptcha ref={slider} onChange={setSliderToken} />
      </Form.Item>
      {error && <Alert className="cpe-login-error" type="error" showIcon title={error} />}
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        确认绑定并登录
      </Button>
    </Form>
  );
}

/** 短信验证: a code to the account's own phone (shown masked), or, when WeChat found no account, to the phone typed. */
function SmsLink({ pending }: { pending: TSsoPending }) {
  const [form] = Form.useForm<{ phone?: string; captchaCode: string; smsCode: string }>();
  const captcha = useImageCaptcha();
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();
  const { message } = App.useApp();
  const done = useLinked();
  const choose = pending.mode === 'choose';
  const phone = Form.useWatch('phone', form);
  const captchaCode = Form.useWatch('captchaCode', form);

  const sendSms = () =>
    sendSmsCode({
      form,
      fields: choose ? ['phone', 'captchaCode'] : ['captchaCode'],
      captcha,
      send: (c) =>
        api.post<SmsSent>('/api/sso/pending/sms-codes', {
          ...(choose ? { phone: form.getFieldValue('phone') } : {}),
          ...c,
        }),
      onSent: () => message.success('短信验证码已发送，请注意查收'),
      onError: showError,
    });

  const onFinish = async (v: { phone?: string; smsCode: string }) => {
    setBusy(true);
    try {
      const r = await api.post<Linked>('/api/sso/pending/sms', {
        ...(choose ? { phone: v.phone } : {}),
        smsCode: v.smsCode.trim(),
      });
      done(r, pending.provider.name);
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  if (!choose && !pending.account?.phoneMasked)
    return <Alert type="info" showIcon title="该账号未绑定手机号，请使用密码验证" />;
  return (
    <Form form={form} name="sso-sms" layout="vertical" size="large" onFinish={onFinish} requiredMark={false}>
      {choose ? (
        <Form.Item label="手机号码" name="phone" rules={[zodRule(zPhone)]}>
          <Input
            prefix={<MobileOutlined />}
            placeholder="已绑定账号的手机号码"
            maxLength={20}
            inputMode="tel"
            autoComplete="tel"
          />
        </Form.Item>
      ) : (
        <Form.Item label="手机号码">
          <span className="cpe-username">{pending.account?.phoneMasked}</span>
        </Form.Item>
      )}
      <CaptchaFormItem captcha={captcha} formName="sso-sms" forSms />
      <SmsFormItem
        formName="sso-sms"
        canSend={Boolean(captchaCode?.trim() && (!choose || phone?.trim()))}
        onSend={sendSms}
      />
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        确认绑定并登录
      </Button>
    </Form>
  );
}

/**
 * /login/link: the first login through a 第三方登录 whose account is not linked yet. `link`: the provider's verified
 * 证件号码 is an account's, which the person confirms once with its password or an SMS code. `choose` (微信, which
 * proves no 实名): link an existing account, or register one.
 */
export function LinkPage() {
  const site = useSite().data;
  usePageTitle('绑定账号', site?.authCenterName);
  const pending = useSsoPending();
  const cancel = useCancelSso();
  const navigate = useNavigate();

  if (pending.isPending) return <PageSpin />;
  if (pending.isError) {
    const e = toApiError(pending.error);
    return (
      <AuthPanel title="绑定账号">
        <Result
          status="warning"
          title={e.code === 'SSO_PENDING_EXPIRED' ? '第三方登录已超时' : e.message}
          subTitle={e.code === 'SSO_PENDING_EXPIRED' ? e.message : undefined}
          extra={
            <Link to="/login">
              <Button type="primary">返回登录</Button>
            </Link>
          }
        />
      </AuthPanel>
    );
  }
  const p = pending.data;
  if (p.mode === 'register') return <Navigate to="/register?sso=1" replace />;

  const onCancel = async () => {
    await cancel.mutateAsync().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <AuthPanel title="绑定账号" subtitle={`首次使用${p.provider.name}登录，请先绑定本平台账号，以后即可直接登录`}>
      <div className="cpe-sso-who">
        <ProviderIcon icon={p.provider.icon} size={40} />
        <div>
          <strong>{p.provider.name}</strong>
          <div className="cpe-muted">
            {p.label ? `${p.provider.type === 'ca' ? '已验证证书' : '已授权'}：${p.label}` : '已完成身份认证'}
          </div>
        </div>
      </div>
      {p.mode === 'link' && p.account ? (
        <Alert
          className="cpe-sso-notice"
          type="info"
          showIcon
          title={
            <>
              该账号已实名为 <strong>{p.account.realNameMasked}</strong>（{p.account.idNumberMasked}）
            </>
          }
          description={`${p.provider.name}核验的实名信息与本平台的这个账号一致。请验证该账号的密码或手机短信验证码，确认是您本人的账号。`}
        />
      ) : (
        <Alert
          className="cpe-sso-notice"
          type="info"
          showIcon
          title={`该${p.provider.name}账号尚未绑定本平台账号`}
          description={
            <>
              请验证您已有的账号完成绑定；还没有账号，请<Link to="/register?sso=1">注册新账号</Link>
              ，注册完成后自动绑定。
            </>
          }
        />
      )}
      <Tabs
        centered
        destroyOnHidden
        items={[
          { key: 'password', label: '密码验证', children: <PasswordLink pending={p} /> },
          { key: 'sms', label: '短信验证', children: <SmsLink pending={p} /> },
        ]}
      />
      <div className="cpe-sso-actions">
        <Button type="link" onClick={onCancel} loading={cancel.isPending}>
          取消，返回登录
        </Button>
        {p.mode === 'choose' && (
          <Link to="/register?sso=1">
            <Button type="link">注册新账号并绑定</Button>
          </Link>
        )}
      </div>
    </AuthPanel>
  );
}
