import { MobileOutlined, ScanOutlined } from '@ant-design/icons';
import { ZResetStartRequest } from '@cpe/shared/schemas/identity';
import { PASSWORD_HINT } from '@cpe/shared/validators/account';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, type FormInstance, Input, Result, Steps } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useImageCaptcha } from '../../../shared/captcha/ImageCaptcha';
import { CaptchaFormItem, SmsFormItem, sendSmsCode } from '../../../shared/form/CodeFields';
import { confirmPasswordRule, newPasswordRule, zodRule } from '../../../shared/form/rules';
import { usePageTitle } from '../../../shared/usePageTitle';
import { ME_KEY, useSite } from '../api';
import { AuthPanel } from '../components/AuthPanel';
import type { Ok, ResetStep, SmsSent } from '../types';

type Stage = 'account' | 'method' | 'verify' | 'password' | 'done';
const STAGES: Stage[] = ['account', 'method', 'verify', 'password', 'done'];

const FORM_LAYOUT = { labelCol: { sm: { span: 6 } }, wrapperCol: { sm: { span: 16 } } } as const;
const TAIL_LAYOUT = { wrapperCol: { sm: { offset: 6, span: 16 } } } as const;

/** Errors of any step: RESET_STEP_INVALID starts over at 确认账号, others go on the form or a toast. */
type OnError = (err: unknown, form?: FormInstance) => void;

/** 1 确认账号 */
function AccountStep({
  identifier,
  onAdvance,
  onError,
}: {
  identifier: string;
  onAdvance: (flow: ResetStep, identifier: string) => void;
  onError: OnError;
}) {
  const [form] = Form.useForm<{ identifier: string; captchaCode: string }>();
  const captcha = useImageCaptcha();
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { identifier: string; captchaCode: string }) => {
    setBusy(true);
    let flow: ResetStep | undefined;
    let failure: unknown;
    try {
      flow = await api.post<ResetStep>('/api/password-resets', {
        identifier: v.identifier.trim(),
        captchaId: captcha.id,
        captchaCode: v.captchaCode,
      });
    } catch (err) {
      failure = err;
    } finally {
      setBusy(false);
    }
    captcha.refresh();
    form.setFieldValue('captchaCode', '');
    if (flow) onAdvance(flow, v.identifier);
    else onError(failure, form);
  };
  return (
    <Form
      form={form}
      name="resetAccount"
      {...FORM_LAYOUT}
      size="large"
      className="cpe-form"
      initialValues={{ identifier }}
      onFinish={onFinish}
    >
      <Form.Item label="账号" name="identifier" rules={[zodRule(ZResetStartRequest.shape.identifier)]}>
        <Input placeholder="用户名/手机号/身份证号" maxLength={64} autoComplete="username" spellCheck={false} />
      </Form.Item>
      <CaptchaFormItem captcha={captcha} formName="resetAccount" />
      <Form.Item {...TAIL_LAYOUT}>
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>
          下一步
        </Button>
      </Form.Item>
    </Form>
  );
}

/** 2 验证方式: 通过手机找回, 通过刷脸找回 (only in the government app), or 人工找回. */
function MethodStep({
  flow,
  onAdvance,
  onError,
}: {
  flow: ResetStep;
  onAdvance: (flow: ResetStep) => void;
  onError: OnError;
}) {
  const { modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const choosePhone = async () => {
    setBusy(true);
    try {
      onAdvance(await api.post<ResetStep>('/api/password-resets/method', { token: flow.token, method: 'phone' }));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  const explainFace = () =>
    modal.info({
      title: '刷脸找回',
      content: (
        <>
          <p>刷脸找回需要使用手机摄像头进行人脸识别，仅支持在“重庆市政务”APP（渝快办）中办理，网页端无法使用。</p>
          <p>请在手机上打开渝快办APP，在登录页选择“忘记密码”并按提示完成刷脸验证；或返回本页选择“手机找回”。</p>
        </>
      ),
      okText: '知道了',
    });

  return (
    <div className="cpe-methods-wrap">
      <p className="cpe-step-lead">您正在为【{flow.accountMasked}】找回密码，请选择验证方式</p>
      <div className="cpe-methods">
        <div className="cpe-method">
          <MobileOutlined className="cpe-method-icon" />
          <div className="cpe-method-text">
            <div className="cpe-method-title">通过手机找回</div>
            <div className="cpe-method-desc">
              {flow.phoneMasked
                ? `如果您的手机${flow.phoneMasked}还在正常使用请选择此方式`
                : '您的账号未绑定手机号，无法通过手机找回，请通过人工找回'}
            </div>
          </div>
          <Button type="primary" disabled={!flow.phoneMasked} loading={busy} onClick={choosePhone}>
            手机找回
          </Button>
        </div>
        <div className="cpe-method">
          <ScanOutlined className="cpe-method-icon" />
          <div className="cpe-method-text">
            <div className="cpe-method-title">通过刷脸找回: 仅支持身份证</div>
            <div className="cpe-method-desc">
              您的姓名: {flow.nameMasked}, 身份证号: {flow.idNumberMasked}
            </div>
          </div>
          <Button onClick={explainFace}>刷脸找回</Button>
        </div>
      </div>
      <p className="cpe-manual-link">
        <Link to="/reset/manual">没有绑定手机号和邮箱? 通过人工找回&gt;&gt;</Link>
      </p>
    </div>
  );
}

/** 3 安全验证: a code to the bound phone. */
function VerifyStep({
  flow,
  onAdvance,
  onError,
}: {
  flow: ResetStep;
  onAdvance: (flow: ResetStep) => void;
  onError: OnError;
}) {
  const [form] = Form.useForm<{ captchaCode: string; smsCode: string }>();
  const captcha = useImageCaptcha();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const captchaCode = Form.useWatch('captchaCode', form);

  const sendSms = () =>
    sendSmsCode({
      form,
      fields: ['captchaCode'],
      captcha,
      send: (c) => api.post<SmsSent>('/api/password-resets/sms', { token: flow.token, ...c }),
      onSent: () => message.success(`短信验证码已发送至${flow.phoneMasked ?? '您的手机'}，请注意查收`),
      onError,
    });

  const onFinish = async (v: { smsCode: string }) => {
    setBusy(true);
    try {
      onAdvance(
        await api.post<ResetStep>('/api/password-resets/verify', { token: flow.token, smsCode: v.smsCode.trim() }),
      );
    } catch (err) {
      onError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="cpe-step-lead">您正在使用手机进行校验</p>
      <Form form={form} name="resetVerify" {...FORM_LAYOUT} size="large" className="cpe-form" onFinish={onFinish}>
        <Form.Item label="手机号" required>
          <Input value={flow.phoneMasked ?? ''} readOnly variant="filled" aria-label="手机号" />
        </Form.Item>
        <CaptchaFormItem captcha={captcha} formName="resetVerify" forSms />
        <SmsFormItem formName="resetVerify" canSend={Boolean(captchaCode?.trim())} onSend={sendSms} />
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            下一步
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}

/** 4 重置密码 */
function PasswordStep({ flow, onDone, onError }: { flow: ResetStep; onDone: () => void; onError: OnError }) {
  const [form] = Form.useForm<{ password: string; confirmPassword: string }>();
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { password: string; confirmPassword: string }) => {
    setBusy(true);
    try {
      await api.post<Ok>('/api/password-resets/password', { token: flow.token, ...v });
      onDone();
    } catch (err) {
      onError(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="cpe-step-lead">请为账号【{flow.accountMasked}】设置新密码</p>
      <Form form={form} name="resetPassword" {...FORM_LAYOUT} size="large" className="cpe-form" onFinish={onFinish}>
        <Form.Item
          label="新密码"
          name="password"
          rules={[newPasswordRule()]}
          extra="8-20位，须包含大写字母、小写字母、数字、特殊字符中的任意三种，不能包含用户账号"
        >
          <Input.Password placeholder={PASSWORD_HINT} maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="确认密码" name="confirmPassword" rules={[confirmPasswordRule()]} dependencies={['password']}>
          <Input.Password placeholder="请输入确认密码" maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            下一步
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}

/** 忘记密码: 确认账号 → 验证方式 → 安全验证 → 重置密码 → 完成. Every step hands out a new token. */
export function ResetPasswordPage() {
  const site = useSite().data;
  usePageTitle('忘记密码', site?.authCenterName);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  // Kept when the flow starts over, so the account need not be typed again.
  const [identifier, setIdentifier] = useState('');
  const [stage, setStage] = useState<Stage>('account');
  const [flow, setFlow] = useState<ResetStep | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const advance = (next: ResetStep) => {
    setFlow(next);
    setStage(next.step);
    setNotice(null);
  };

  const onError = useCallback<OnError>(
    (err, form) => {
      const e = toApiError(err);
      if (e.code === 'RESET_STEP_INVALID') {
        setFlow(null);
        setStage('account');
        setNotice(e.message);
        return;
      }
      showError(e, form);
    },
    [showError],
  );

  return (
    <AuthPanel
      title="忘记密码"
      steps={
        <Steps
          current={STAGES.indexOf(stage)}
          size="small"
          titlePlacement="vertical"
          responsive={false}
          items={[
            { title: '确认账号' },
            { title: '验证方式' },
            { title: '安全验证' },
            { title: '重置密码' },
            { title: '完成' },
          ]}
        />
      }
    >
      {notice && <Alert className="cpe-step-notice" type="warning" showIcon title={notice} />}
      {stage === 'account' && (
        <AccountStep
          identifier={identifier}
          onAdvance={(next, typed) => {
            setIdentifier(typed);
            advance(next);
          }}
          onError={onError}
        />
      )}
      {stage === 'method' && flow && <MethodStep flow={flow} onAdvance={advance} onError={onError} />}
      {stage === 'verify' && flow && <VerifyStep flow={flow} onAdvance={advance} onError={onError} />}
      {stage === 'password' && flow && (
        <PasswordStep
          flow={flow}
          onDone={() => {
            setFlow(null);
            setStage('done');
            // A reset ends the account's sessions; if it was this browser's, the header must say so.
            void queryClient.invalidateQueries({ queryKey: ME_KEY });
          }}
          onError={onError}
        />
      )}
      {stage === 'done' && (
        <Result
          status="success"
          title="密码重置成功"
          subTitle="您的密码已重置，原有的登录状态均已退出，请使用新密码登录。"
          extra={
            <Button type="primary" size="large" onClick={() => navigate('/login')}>
              返回登录
            </Button>
          }
        />
      )}
    </AuthPanel>
  );
}
