import { ID_TYPE_LABELS, ID_TYPES, zIdNumber, zPhone, zRealName, zUsername } from '@cpe/shared/schemas/identity';
import { PASSWORD_HINT, USERNAME_HINT } from '@cpe/shared/validators/account';
import { Alert, App, Button, Checkbox, Descriptions, Form, Input, Result, Steps } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { applyApiError, useShowApiError } from '../../../shared/api/form-errors';
import { useImageCaptcha } from '../../../shared/captcha/ImageCaptcha';
import { CaptchaFormItem, SmsFormItem, validateForSms } from '../../../shared/form/CodeFields';
import { NativeSelect } from '../../../shared/form/NativeSelect';
import { confirmPasswordRule, newPasswordRule, zodRule } from '../../../shared/form/rules';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../api';
import { AgreementModal } from '../components/AgreementModal';
import { AuthPanel } from '../components/AuthPanel';
import type { RegistrationComplete, RegistrationFlow, SmsSent } from '../types';

interface BasicValues {
  username: string;
  password: string;
  confirmPassword: string;
  realName: string;
  idType: 'idCard';
  idNumber: string;
  phone: string;
  captchaCode: string;
  smsCode: string;
  agree: boolean;
}

const FORM_LAYOUT = {
  labelCol: { sm: { span: 6 } },
  wrapperCol: { sm: { span: 16 } },
} as const;
const TAIL_LAYOUT = { wrapperCol: { sm: { offset: 6, span: 16 } } } as const;

/** 1 基本信息: everything the account needs; the phone is proven by an SMS code. */
function BasicInfoStep({
  initialValues,
  notice,
  onDone,
}: {
  initialValues: Partial<BasicValues>;
  notice: string | null;
  onDone: (flow: RegistrationFlow, typed: BasicValues) => void;
}) {
  const [form] = Form.useForm<BasicValues>();
  const site = useSite().data;
  const captcha = useImageCaptcha();
  const showError = useShowApiError();
  const { message } = App.useApp();
  // The agreement is the #agreement fragment of this page, shown in a modal (a link one can share).
  const { hash } = useLocation();
  const navigate = useNavigate();
  const closeAgreement = () => navigate({ hash: '' }, { replace: true });
  const [submitting, setSubmitting] = useState(false);
  const phone = Form.useWatch('phone', form);
  const captchaCode = Form.useWatch('captchaCode', form);

  const sendSms = async (): Promise<number | null> => {
    if (!(await validateForSms(form, ['phone', 'captchaCode']))) return null;
    let sent: SmsSent | undefined;
    let failure: unknown;
    try {
      sent = await api.post<SmsSent>('/api/sms-codes', {
        phone: form.getFieldValue('phone'),
        purpose: 'register',
        captchaId: captcha.id,
        captchaCode: form.getFieldValue('captchaCode'),
      });
    } catch (err) {
      failure = err;
    }
    // The image captcha is single use: whatever happened, draw a new one.
    captcha.refresh();
    form.setFieldValue('captchaCode', '');
    if (!sent) {
      showError(failure, form);
      return null;
    }
    message.success('短信验证码已发送，请注意查收');
    return sent.resendAfterSeconds;
  };

  const onFinish = async (v: BasicValues) => {
    setSubmitting(true);
    try {
      const flow = await api.post<RegistrationFlow>('/api/registrations', {
        username: v.username.trim(),
        password: v.password,
        confirmPassword: v.confirmPassword,
        realName: v.realName.trim(),
        idType: v.idType,
        idNumber: v.idNumber,
        phone: v.phone,
        smsCode: v.smsCode.trim(),
        agree: true,
      });
      onDone(flow, v);
    } catch (err) {
      showError(err, form);
    } finally {
      setSubmitting(false);
    }
  };

  const authCenterName = site?.authCenterName ?? '';
  return (
    <>
      {notice && <Alert className="cpe-step-notice" type="warning" showIcon title={notice} />}
      <Form
        form={form}
        name="register"
        {...FORM_LAYOUT}
        size="large"
        className="cpe-form"
        onFinish={onFinish}
        initialValues={initialValues}
        scrollToFirstError={{ block: 'center' }}
      >
        <Form.Item label="用户账号" name="username" rules={[zodRule(zUsername)]}>
          <Input placeholder={USERNAME_HINT} maxLength={30} autoComplete="username" spellCheck={false} />
        </Form.Item>
        <Form.Item
          label="登录密码"
          name="password"
          rules={[newPasswordRule('username')]}
          dependencies={['username']}
          extra="8-20位，须包含大写字母、小写字母、数字、特殊字符中的任意三种，不能包含用户账号"
        >
          <Input.Password placeholder={PASSWORD_HINT} maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="确认密码" name="confirmPassword" rules={[confirmPasswordRule()]} dependencies={['password']}>
          <Input.Password placeholder="请输入确认密码" maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
          <Input placeholder="请输入您的真实姓名" maxLength={30} autoComplete="name" />
        </Form.Item>
        <Form.Item label="证件类型" name="idType" rules={[{ required: true, message: '请选择证件类型' }]}>
          <NativeSelect options={ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_LABELS[t] }))} />
        </Form.Item>
        <Form.Item label="身份证号码" name="idNumber" rules={[zodRule(zIdNumber)]}>
          <Input placeholder="请输入您的身份证号码" maxLength={18} autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item label="手机号" name="phone" rules={[zodRule(zPhone)]}>
          <Input placeholder="请输入您的手机号码" maxLength={20} inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <CaptchaFormItem captcha={captcha} formName="register" forSms />
        <SmsFormItem formName="register" canSend={Boolean(phone?.trim() && captchaCode?.trim())} onSend={sendSms} />
        <Form.Item {...TAIL_LAYOUT}>
          <Form.Item
            name="agree"
            valuePropName="checked"
            noStyle
            rules={[
              {
                validator: async (_r, value: boolean | undefined) => {
                  if (value !== true) throw new Error('请阅读并同意注册协议');
                },
              },
            ]}
          >
            <Checkbox>我已阅读并同意</Checkbox>
          </Form.Item>
          {/* Outside the checkbox label, so reading the agreement never ticks the box by itself. */}
          <Link to="#agreement">《{authCenterName}注册协议》</Link>
        </Form.Item>
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
            注册
          </Button>
        </Form.Item>
        <Form.Item {...TAIL_LAYOUT}>
          <p className="cpe-form-note">请使用本人身份证信息注册，一经绑定将不能修改。</p>
        </Form.Item>
      </Form>
      <AgreementModal
        open={hash === '#agreement'}
        authCenterName={authCenterName}
        siteName={site?.name ?? ''}
        onClose={closeAgreement}
        onAgree={() => {
          form.setFields([{ name: 'agree', value: true, errors: [] }]);
          closeAgreement();
        }}
      />
    </>
  );
}

/**
 * 2 实名认证: checks name and ID number; when that fails, both can be corrected here and checked again
 * without a new SMS code.
 */
function RealnameStep({
  flow,
  typed,
  onFlow,
  onDone,
  onExpired,
}: {
  flow: RegistrationFlow;
  /** What was typed in step 1 (the full ID number, which the flow only shows masked). */
  typed: { realName: string; idNumber: string };
  onFlow: (flow: RegistrationFlow, identity: { realName: string; idNumber: string }) => void;
  onDone: (username: string) => void;
  onExpired: (message: string) => void;
}) {
  const [editForm] = Form.useForm<{ realName: string; idNumber: string }>();
  const [failure, setFailure] = useState<string | null>(null);
  const [failureFields, setFailureFields] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();

  // The correction fields appear with the failure; mark them once they exist.
  useEffect(() => {
    if (failureFields) applyApiError(failureFields, editForm);
  }, [failureFields, editForm]);

  const verify = async () => {
    let values: { realName: string; idNumber: string } | undefined;
    if (failure) {
      try {
        values = await editForm.validateFields();
      } catch {
        return;
      }
    }
    setBusy(true);
    try {
      let token = flow.token;
      if (values) {
        const updated = await api.post<RegistrationFlow>('/api/registrations/identity', {
          token,
          realName: values.realName.trim(),
          idNumber: values.idNumber,
        });
        // Step 1 keeps what was typed last, in case the flow expires and the person starts again.
        onFlow(updated, values);
        token = updated.token;
      }
      const done = await api.post<RegistrationComplete>('/api/registrations/complete', { token });
      onDone(done.username);
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'REGISTRATION_EXPIRED') {
        onExpired(e.message);
      } else if (e.code === 'REALNAME_FAILED') {
        setFailure(e.message);
        setFailureFields(e);
      } else {
        showError(e, failure ? editForm : null);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cpe-realname">
      {failure ? (
        <>
          <Alert
            className="cpe-step-notice"
            type="error"
            showIcon
            title={failure}
            description="请在下方核对并修改用户姓名和身份证号码，然后再次点击“实名认证”，无需重新获取短信验证码。"
          />
          <Form
            form={editForm}
            name="realname"
            {...FORM_LAYOUT}
            size="large"
            className="cpe-form"
            initialValues={typed}
            onFinish={verify}
          >
            <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
              <Input placeholder="请输入您的真实姓名" maxLength={30} />
            </Form.Item>
            <Form.Item label="身份证号码" name="idNumber" rules={[zodRule(zIdNumber)]}>
              <Input placeholder="请输入您的身份证号码" maxLength={18} spellCheck={false} />
            </Form.Item>
            <Form.Item {...TAIL_LAYOUT}>
              <Button type="primary" htmlType="submit" size="large" block loading={busy}>
                实名认证
              </Button>
            </Form.Item>
          </Form>
        </>
      ) : (
        <>
          <p className="cpe-step-lead">请核对以下信息，点击“实名认证”完成姓名与身份证号码核验。</p>
          <Descriptions
            className="cpe-realname-info"
            column={1}
            bordered
            size="middle"
            items={[
              { key: 'username', label: '用户账号', children: flow.username },
              { key: 'realName', label: '用户姓名', children: flow.realName },
              { key: 'idNumber', label: '身份证号码', children: flow.idNumberMasked },
              { key: 'phone', label: '手机号', children: flow.phoneMasked },
            ]}
          />
          <div className="cpe-step-actions">
            <Button type="primary" size="large" block loading={busy} onClick={verify}>
              实名认证
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/** 新用户注册: 1 基本信息 → 2 实名认证 → 3 注册成功. */
export function RegisterPage() {
  const site = useSite().data;
  usePageTitle('新用户注册', site?.authCenterName);
  const navigate = useNavigate();
  // Step-1 values live here, so nothing typed is lost when the person comes back to step 1.
  const [typed, setTyped] = useState<Partial<BasicValues>>({ idType: 'idCard' });
  const [step, setStep] = useState(0);
  const [flow, setFlow] = useState<RegistrationFlow | null>(null);
  const [username, setUsername] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const backToStart = (message: string) => {
    // Keep every typed value; only the spent codes must be entered again.
    setTyped((t) => ({ ...t, smsCode: '', captchaCode: '' }));
    setNotice(`${message}（已填写的信息已保留，请重新获取短信验证码后提交）`);
    setFlow(null);
    setStep(0);
  };

  return (
    <AuthPanel
      title="新用户注册"
      subtitle="本账号是您享受全面的城市咨询及服务的网上通行证，请确保账号的唯一性及资料的准确性"
      steps={
        <Steps
          current={step}
          size="small"
          titlePlacement="vertical"
          responsive={false}
          items={[{ title: '基本信息' }, { title: '实名认证' }, { title: '注册成功' }]}
        />
      }
    >
      {step === 0 && (
        <BasicInfoStep
          initialValues={typed}
          notice={notice}
          onDone={(f, values) => {
            setTyped(values);
            setNotice(null);
            setFlow(f);
            setStep(1);
          }}
        />
      )}
      {step === 1 && flow && (
        <RealnameStep
          flow={flow}
          typed={{ realName: typed.realName ?? '', idNumber: typed.idNumber ?? '' }}
          onFlow={(f, identity) => {
            setFlow(f);
            setTyped((t) => ({ ...t, ...identity }));
          }}
          onDone={(name) => {
            setUsername(name);
            setStep(2);
          }}
          onExpired={backToStart}
        />
      )}
      {step === 2 && (
        <Result
          status="success"
          title="注册成功"
          subTitle={
            <>
              您的用户账号为 <strong className="cpe-username">{username}</strong>
              ，可使用用户账号、手机号码或身份证号登录。
            </>
          }
          extra={
            <Button type="primary" size="large" onClick={() => navigate('/login', { state: { identifier: username } })}>
              立即登录
            </Button>
          }
        />
      )}
    </AuthPanel>
  );
}
