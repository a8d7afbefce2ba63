import { LogoutOutlined } from '@ant-design/icons';
import { REALNAME_STATUS_LABELS, type TRealnameStatus, zPhone, zRealName } from '@cpe/shared/schemas/identity';
import { PASSWORD_HINT } from '@cpe/shared/validators/account';
import { ID_TYPE_LABELS, type IdType } from '@cpe/shared/validators/id-document';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Tag, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useImageCaptcha } from '../../../shared/captcha/ImageCaptcha';
import { CaptchaFormItem, SmsFormItem, sendSmsCode } from '../../../shared/form/CodeFields';
import { confirmPasswordRule, newPasswordRule, requiredText, zodRule } from '../../../shared/form/rules';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { AuthorizedAppsCard } from '../../oidc-provider/components/AuthorizedAppsCard';
import { LinkedLoginsCard } from '../../sso/components/LinkedLoginsCard';
import { WorkUnitCard } from '../../units/components/WorkUnitCard';
import { ME_KEY, useLogout, useMe, useSite } from '../api';
import { chosenPhoto, DocumentPhotoField } from '../components/DocumentPhotoField';
import { IdDocumentFields, idDocumentBody } from '../components/IdDocumentFields';
import { nationalityName } from '../nationality';
import type { Me, Ok, SmsSent } from '../types';

const FORM_LAYOUT = { labelCol: { sm: { span: 6 } }, wrapperCol: { sm: { span: 16 } } } as const;
const TAIL_LAYOUT = { wrapperCol: { sm: { offset: 6, span: 16 } } } as const;

const REALNAME_TAG_COLORS: Record<TRealnameStatus, string> = {
  verified: 'success',
  pending: 'processing',
  rejected: 'error',
  none: 'warning',
};

function ProfileCard({ me }: { me: Me }) {
  const logout = useLogout();
  return (
    <Card
      title="个人资料"
      className="cpe-me-card"
      extra={
        <Button icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()}>
          退出登录
        </Button>
      }
    >
      <Descriptions
        column={1}
        size="middle"
        items={[
          { key: 'username', label: '用户账号', children: me.username },
          { key: 'realName', label: '用户姓名', children: me.realName },
          { key: 'idType', label: '证件类型', children: ID_TYPE_LABELS[me.idType] },
          {
            key: 'idNumber',
            label: '证件号码',
            children: (
              <span>
                {me.idNumberMasked}
                <span className="cpe-muted-note">
                  {me.realNameVerified ? '证件号码一经绑定不能修改' : '实名审核通过后绑定，不能再修改'}
                </span>
              </span>
            ),
          },
          ...(me.nationality ? [{ key: 'nationality', label: '国籍', children: nationalityName(me.nationality) }] : []),
          { key: 'phone', label: '手机号', children: me.phoneMasked ?? <span className="cpe-muted">未绑定</span> },
          {
            key: 'verified',
            label: '实名认证',
            children: (
              <Tag color={REALNAME_TAG_COLORS[me.realNameStatus]}>{REALNAME_STATUS_LABELS[me.realNameStatus]}</Tag>
            ),
          },
          { key: 'createdAt', label: '注册时间', children: formatDateTime(me.createdAt) },
        ]}
      />
    </Card>
  );
}

interface ResubmitValues {
  realName: string;
  idType: IdType;
  idNumber: string;
  nationality?: string;
  photo: UploadFile[];
}

/**
 * 实名认证 not (yet) verified: 人工审核中 says what waits; 未通过 gives the staff's reason and the 重新提交 form
 * (name and document may be corrected; they become the account's when staff approve).
 */
function RealnameCard({ me }: { me: Me }) {
  const [form] = Form.useForm<ResubmitValues>();
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const onFinish = async (v: ResubmitValues) => {
    const photo = chosenPhoto(v.photo);
    if (!photo) return;
    const body = new FormData();
    body.set('realName', v.realName.trim());
    for (const [k, value] of Object.entries(idDocumentBody(v))) body.set(k, value);
    body.set('photo', photo, photo.name);
    setBusy(true);
    try {
      await api.post<{ realNameStatus: 'pending' }>('/api/me/realname-review', body);
      message.success('已重新提交，请等待工作人员审核');
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  if (me.realNameStatus === 'pending')
    return (
      <Card title="实名认证" id="realname" className="cpe-me-card cpe-me-realname">
        <Alert
          type="info"
          showIcon
          title="人工审核中"
          description="您的证件照片已提交，正在等待工作人员人工审核。审核通过后即可购买公需科目并开始学习，审核结果将以短信通知您。"
        />
      </Card>
    );
  return (
    <Card title="实名认证" id="realname" className="cpe-me-card cpe-me-realname">
      <Alert
        className="cpe-step-notice"
        type={me.realNameStatus === 'rejected' ? 'error' : 'warning'}
        showIcon
        title={me.realNameStatus === 'rejected' ? '实名审核未通过' : '尚未实名认证'}
        description={
          <>
            {me.realNameRejectReason && <div className="cpe-realname-reason">退回原因：{me.realNameRejectReason}</div>}
            <div>请核对姓名和证件信息，重新上传证件照片后提交。实名审核通过后才能购买公需科目和学习。</div>
          </>
        }
      />
      <Form
        form={form}
        name="realname-review"
        {...FORM_LAYOUT}
        size="large"
        className="cpe-form"
        initialValues={{ realName: me.realName, idType: me.idType, nationality: me.nationality ?? undefined }}
        onFinish={onFinish}
      >
        <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
          <Input placeholder="请输入与证件一致的姓名" maxLength={60} />
        </Form.Item>
        <IdDocumentFields form={form} />
        <DocumentPhotoField
          form={form}
          label="证件照片"
          extra="护照请上传个人资料页（带照片的一页），支持格式：JPG、PNG，大小不超过5M"
        />
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" loading={busy}>
            重新提交
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** 修改密码: success ends every session, this one too. */
function ChangePasswordCard() {
  const [form] = Form.useForm<{ oldPassword: string; password: string; confirmPassword: string }>();
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe().data;

  const onFinish = async (v: { oldPassword: string; password: string; confirmPassword: string }) => {
    setBusy(true);
    try {
      await api.post<Ok>('/api/me/password', v);
      // Every session ended with the change: leave first, then forget the login (else /me bounces to ?redirect).
      navigate('/login', {
        replace: true,
        state: { notice: '密码修改成功，您在所有设备上的登录均已退出，请使用新密码重新登录', identifier: me?.username },
      });
      queryClient.setQueryData(ME_KEY, null);
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="修改密码" id="password" className="cpe-me-card">
      <Form form={form} name="pwd" {...FORM_LAYOUT} size="large" className="cpe-form" onFinish={onFinish}>
        <Form.Item label="原密码" name="oldPassword" rules={[requiredText('请输入原密码')]}>
          <Input.Password placeholder="请输入原密码" maxLength={128} autoComplete="current-password" />
        </Form.Item>
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
          <Button type="primary" htmlType="submit" loading={busy}>
            确认修改
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** 更换手机号: the new number is proven by an SMS code. */
function ChangePhoneCard() {
  const [form] = Form.useForm<{ phone: string; captchaCode: string; smsCode: string }>();
  const captcha = useImageCaptcha();
  const [busy, setBusy] = useState(false);
  const showError = useShowApiError();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const phone = Form.useWatch('phone', form);
  const captchaCode = Form.useWatch('captchaCode', form);

  const sendSms = () =>
    sendSmsCode({
      form,
      fields: ['phone', 'captchaCode'],
      captcha,
      send: (c) =>
        api.post<SmsSent>('/api/sms-codes', { phone: form.getFieldValue('phone'), purpose: 'change-phone', ...c }),
      onSent: () => message.success('短信验证码已发送，请注意查收'),
      onError: showError,
    });

  const onFinish = async (v: { phone: string; smsCode: string }) => {
    setBusy(true);
    try {
      const me = await api.post<Me>('/api/me/phone', { phone: v.phone, smsCode: v.smsCode.trim() });
      queryClient.setQueryData(ME_KEY, me);
      form.resetFields();
      message.success(`手机号已更换为${me.phoneMasked ?? ''}`);
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="更换手机号" id="phone" className="cpe-me-card">
      <Form form={form} name="phone" {...FORM_LAYOUT} size="large" className="cpe-form" onFinish={onFinish}>
        <Form.Item label="新手机号" name="phone" rules={[zodRule(zPhone)]}>
          <Input placeholder="请输入新的手机号码" maxLength={20} inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <CaptchaFormItem captcha={captcha} formName="phone" forSms />
        <SmsFormItem formName="phone" canSend={Boolean(phone?.trim() && captchaCode?.trim())} onSend={sendSms} />
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" loading={busy}>
            确认更换
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** 个人中心 (login required): 实名认证 while not verified, profile, 工作单位, 修改密码, 更换手机号, 退出登录. */
export function MePage() {
  const me = useMe().data;
  const site = useSite().data;
  const { hash } = useLocation();
  usePageTitle('个人中心', site?.name);

  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [hash]);

  if (!me) return null;
  return (
    <div className="cpe-me">
      <h1 className="cpe-me-title">个人中心</h1>
      {me.mustChangePassword && (
        <Alert className="cpe-step-notice" type="warning" showIcon title="为了您的账号安全，请先修改密码。" />
      )}
      {me.realNameStatus !== 'verified' && <RealnameCard me={me} />}
      <div className="cpe-me-grid">
        {/* The account and its links on the left, the forms that change it on the right. */}
        <div className="cpe-me-forms">
          <ProfileCard me={me} />
          {!me.mustChangePassword && <WorkUnitCard />}
          {!me.mustChangePassword && <LinkedLoginsCard />}
          {!me.mustChangePassword && <AuthorizedAppsCard />}
        </div>
        <div className="cpe-me-forms">
          <ChangePasswordCard />
          <ChangePhoneCard />
        </div>
      </div>
    </div>
  );
}
