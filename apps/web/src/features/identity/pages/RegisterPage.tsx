import { zPhone, zRealName, zUsername } from '@cpe/shared/schemas/identity';
import type { TSsoPending } from '@cpe/shared/schemas/sso';
import { PASSWORD_HINT, USERNAME_HINT } from '@cpe/shared/validators/account';
import { ID_TYPE_LABELS, type IdType } from '@cpe/shared/validators/id-document';
import { maskIdNumber } from '@cpe/shared/validators/mask';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  Result,
  Steps,
  type UploadFile,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { applyApiError, useShowApiError } from '../../../shared/api/form-errors';
import { useImageCaptcha } from '../../../shared/captcha/ImageCaptcha';
import { CaptchaFormItem, SmsFormItem, sendSmsCode } from '../../../shared/form/CodeFields';
import { confirmPasswordRule, newPasswordRule, zodRule } from '../../../shared/form/rules';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSsoPending } from '../../sso/api';
import { useSite } from '../api';
import { AgreementModal } from '../components/AgreementModal';
import { AuthPanel } from '../components/AuthPanel';
import { chosenPhoto, DocumentPhotoField } from '../components/DocumentPhotoField';
import { IdDocumentFields, idDocumentBody } from '../components/IdDocumentFields';
import { nationalityName } from '../nationality';
import type { RegistrationComplete, RegistrationFlow, RegistrationManual, SmsSent } from '../types';

interface BasicValues {
  username: string;
  password: string;
  confirmPassword: string;
  realName: string;
  idType: IdType;
  idNumber: string;
  /** ISO 3166-1 alpha-3, for a 护照 only. */
  nationality?: string;
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
  sso,
  onDone,
}: {
  initialValues: Partial<BasicValues>;
  /** Registering from a 第三方登录: the account is linked to it; its verified name and number are used as they are. */
  sso?: TSsoPending;
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

  const sendSms = () =>
    sendSmsCode({
      form,
      fields: ['phone', 'captchaCode'],
      captcha,
      send: (c) =>
        api.post<SmsSent>('/api/sms-codes', { phone: form.getFieldValue('phone'), purpose: 'register', ...c }),
      onSent: () => message.success('短信验证码已发送，请注意查收'),
      onError: showError,
    });

  const onFinish = async (v: BasicValues) => {
    setSubmitting(true);
    try {
      const flow = await api.post<RegistrationFlow>('/api/registrations', {
        username: v.username.trim(),
        password: v.password,
        confirmPassword: v.confirmPassword,
        realName: v.realName.trim(),
        ...idDocumentBody(v),
        phone: v.phone,
        smsCode: v.smsCode.trim(),
        agree: true,
        ...(sso ? { sso: true } : {}),
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
      {sso && (
        <Alert
          className="cpe-step-notice"
          type="info"
          showIcon
          title={`注册完成后，您的${sso.provider.name}账号将与新账号绑定，以后可直接使用${sso.provider.name}登录`}
          description={sso.identity ? `姓名和证件号码来自${sso.provider.name}的实名认证，不能修改。` : undefined}
        />
      )}
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
        {sso?.identity ? (
          <>
            {/* The provider's verified identity: shown, sent, not editable (the server uses its own copy). */}
            <Form.Item label="用户姓名">{sso.identity.realName}</Form.Item>
            <Form.Item label="证件类型">{ID_TYPE_LABELS[sso.identity.idType]}</Form.Item>
            <Form.Item label="证件号码">{maskIdNumber(sso.identity.idNumber)}</Form.Item>
            {(['realName', 'idType', 'idNumber'] as const).map((name) => (
              <Form.Item key={name} name={name} hidden>
                <Input />
              </Form.Item>
            ))}
          </>
        ) : (
          <>
            <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
              <Input placeholder="请输入您的真实姓名" maxLength={60} autoComplete="name" />
            </Form.Item>
            <IdDocumentFields form={form} />
          </>
        )}
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
          <p className="cpe-form-note">
            请使用本人证件信息注册，一经绑定将不能修改。护照等无法在线实名认证的证件，下一步上传证件照片，由工作人员人工审核。
          </p>
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

type Identity = Pick<BasicValues, 'realName' | 'idType' | 'idNumber' | 'nationality'>;

/** The flow's data as the person checks it; the number only masked. */
function FlowSummary({ flow, nationality }: { flow: RegistrationFlow; nationality?: string }) {
  return (
    <Descriptions
      className="cpe-realname-info"
      column={1}
      bordered
      size="middle"
      items={[
        { key: 'username', label: '用户账号', children: flow.username },
        { key: 'realName', label: '用户姓名', children: flow.realName },
        { key: 'idType', label: '证件类型', children: ID_TYPE_LABELS[flow.idType] },
        { key: 'idNumber', label: '证件号码', children: flow.idNumberMasked },
        ...(flow.idType === 'passport'
          ? [{ key: 'nationality', label: '国籍', children: nationalityName(nationality) }]
          : []),
        { key: 'phone', label: '手机号', children: flow.phoneMasked },
      ]}
    />
  );
}

/**
 * 2 实名认证. A document the 实名认证 service verifies (`online`): name and number are checked; when that fails,
 * both can be corrected here and checked again without a new SMS code. Any other (`manual`, every 护照): a photo
 * of the document goes to staff, and the account is created at once, pending their 实名审核.
 */
function RealnameStep({
  flow,
  typed,
  onFlow,
  onDone,
  onExpired,
}: {
  flow: RegistrationFlow;
  /** What was typed in step 1 (the full number, which the flow only shows masked). */
  typed: Identity;
  onFlow: (flow: RegistrationFlow, identity: Identity) => void;
  onDone: (username: string, verification: RegistrationFlow['verification']) => void;
  onExpired: (message: string) => void;
}) {
  const [editForm] = Form.useForm<Identity>();
  const [photoForm] = Form.useForm<{ photo: UploadFile[] }>();
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [failureFields, setFailureFields] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();
  const manual = flow.verification === 'manual';

  // The correction fields appear with the failure; mark them once they exist.
  useEffect(() => {
    if (failureFields) applyApiError(failureFields, editForm);
  }, [failureFields, editForm]);

  const failed = (err: unknown, form: FormInstance | null) => {
    const e = toApiError(err);
    if (e.code === 'REGISTRATION_EXPIRED') onExpired(e.message);
    else if (e.code === 'REALNAME_FAILED') {
      setFailure(e.message);
      setFailureFields(e);
      setEditing(true);
    } else showError(e, form);
  };

  /** Saves corrected name and document; the answer says how they are verified now. */
  const saveIdentity = async (values: Identity) => {
    const updated = await api.post<RegistrationFlow>('/api/registrations/identity', {
      token: flow.token,
      realName: values.realName.trim(),
      ...idDocumentBody(values),
    });
    // Step 1 keeps what was typed last, in case the flow expires and the person starts again.
    onFlow(updated, values);
    return updated;
  };

  const verifyOnline = async (token: string) => {
    const done = await api.post<RegistrationComplete>('/api/registrations/complete', { token });
    onDone(done.username, 'online');
  };

  const submitCorrection = async (values: Identity) => {
    setBusy(true);
    try {
      const updated = await saveIdentity(values);
      setEditing(false);
      setFailure(null);
      // A document only staff can verify waits for its photo; any other is checked at once.
      if (updated.verification === 'online') await verifyOnline(updated.token);
    } catch (err) {
      failed(err, editForm);
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    setBusy(true);
    try {
      await verifyOnline(flow.token);
    } catch (err) {
      failed(err, null);
    } finally {
      setBusy(false);
    }
  };

  const submitPhoto = async (v: { photo: UploadFile[] }) => {
    const photo = chosenPhoto(v.photo);
    if (!photo) return;
    const body = new FormData();
    body.set('token', flow.token);
    body.set('photo', photo, photo.name);
    setBusy(true);
    try {
      const done = await api.post<RegistrationManual>('/api/registrations/manual', body);
      onDone(done.username, 'manual');
    } catch (err) {
      failed(err, photoForm);
    } finally {
      setBusy(false);
    }
  };

  if (editing)
    return (
      <div className="cpe-realname">
        {failure && (
          <Alert
            className="cpe-step-notice"
            type="error"
            showIcon
            title={failure}
            description="请在下方核对并修改用户姓名和证件信息，然后再次点击“实名认证”，无需重新获取短信验证码。"
          />
        )}
        <Form
          form={editForm}
          name="realname"
          {...FORM_LAYOUT}
          size="large"
          className="cpe-form"
          initialValues={typed}
          onFinish={submitCorrection}
        >
          <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
            <Input placeholder="请输入您的真实姓名" maxLength={60} />
          </Form.Item>
          <IdDocumentFields form={editForm} />
          <Form.Item {...TAIL_LAYOUT}>
            <Button type="primary" htmlType="submit" size="large" block loading={busy}>
              {manual ? '保存' : '实名认证'}
            </Button>
          </Form.Item>
          {!failure && (
            <Form.Item {...TAIL_LAYOUT}>
              <Button type="link" block onClick={() => setEditing(false)}>
                取消修改
              </Button>
            </Form.Item>
          )}
        </Form>
      </div>
    );

  if (manual)
    return (
      <div className="cpe-realname">
        <Alert
          className="cpe-step-notice"
          type="info"
          showIcon
          title="该证件类型须上传证件照片，由工作人员人工审核"
          description="请上传证件照片（护照请上传个人资料页，即带照片的一页），工作人员核对姓名和证件号码后完成实名认证。提交后即可登录，审核通过后才能购买公需科目和学习。"
        />
        <FlowSummary flow={flow} nationality={typed.nationality} />
        <Form
          form={photoForm}
          name="realname-photo"
          layout="vertical"
          size="large"
          className="cpe-realname-info cpe-realname-photo"
          onFinish={submitPhoto}
        >
          <DocumentPhotoField
            form={photoForm}
            label="证件照片"
            extra="请上传清晰、完整的证件照片页，支持格式：JPG、PNG，大小不超过5M。照片仅用于本次实名审核，工作人员查看时将记录审计日志。"
          />
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            提交人工审核
          </Button>
          <Button type="link" block onClick={() => setEditing(true)}>
            修改姓名或证件信息
          </Button>
        </Form>
      </div>
    );

  return (
    <div className="cpe-realname">
      <p className="cpe-step-lead">请核对以下信息，点击“实名认证”完成姓名与证件号码核验。</p>
      <FlowSummary flow={flow} nationality={typed.nationality} />
      <div className="cpe-step-actions">
        <Button type="primary" size="large" block loading={busy} onClick={verify}>
          实名认证
        </Button>
      </div>
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
  const [verification, setVerification] = useState<RegistrationFlow['verification']>('online');
  const [notice, setNotice] = useState<string | null>(null);
  // From a 第三方登录 (/register?sso=1): the pending login of this browser, its verified identity filled in.
  const [params] = useSearchParams();
  const ssoPending = useSsoPending(params.get('sso') === '1');
  const sso = ssoPending.data?.mode === 'link' ? undefined : ssoPending.data;

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
      {step === 0 && ssoPending.isLoading && <PageSpin />}
      {step === 0 && !ssoPending.isLoading && (
        <BasicInfoStep
          initialValues={sso?.identity ? { ...typed, ...sso.identity } : typed}
          notice={
            notice ??
            (ssoPending.isError ? `${toApiError(ssoPending.error).message}（可继续注册，注册后不会绑定）` : null)
          }
          sso={sso}
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
          typed={{
            realName: typed.realName ?? '',
            idType: typed.idType ?? 'idCard',
            idNumber: typed.idNumber ?? '',
            nationality: typed.nationality,
          }}
          onFlow={(f, identity) => {
            setFlow(f);
            setTyped((t) => ({ ...t, ...identity }));
          }}
          onDone={(name, how) => {
            setUsername(name);
            setVerification(how);
            setStep(2);
          }}
          onExpired={backToStart}
        />
      )}
      {step === 2 && verification === 'manual' && (
        <Result
          status="success"
          title="已提交人工实名审核"
          subTitle={
            <>
              您的用户账号为 <strong className="cpe-username">{username}</strong>
              ，现在即可使用用户账号或手机号码登录。工作人员审核通过证件照片后，您就可以购买公需科目并开始学习；审核结果将以短信通知您，也可登录后在“个人中心”查看。
            </>
          }
          extra={
            <Button type="primary" size="large" onClick={() => navigate('/login', { state: { identifier: username } })}>
              立即登录
            </Button>
          }
        />
      )}
      {step === 2 && verification === 'online' && (
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
