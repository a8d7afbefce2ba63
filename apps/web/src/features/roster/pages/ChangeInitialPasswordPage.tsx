import { PASSWORD_HINT, PASSWORD_MESSAGES, validatePassword } from '@cpe/shared/validators/account';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, type FormRule, Input } from 'antd';
import { useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { confirmPasswordRule, requiredText } from '../../../shared/form/rules';
import { safeRedirect } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { fetchMe, ME_KEY, useLogout, useMe, useSite } from '../../identity/api';
import { AuthPanel } from '../../identity/components/AuthPanel';
import type { Ok } from '../../identity/types';
import '../roster.css';

export const INITIAL_PASSWORD_PATH = '/password/initial';

interface Values {
  oldPassword: string;
  password: string;
  confirmPassword: string;
}

/** The 登录密码 rules of @cpe/shared, the username being the signed-in person's (an ID number here). */
const passwordRule =
  (username: string): FormRule =>
  () => ({
    required: true,
    validator: async (_rule, value: string | undefined) => {
      if (!value) throw new Error('请输入新密码');
      const error = validatePassword(value, username);
      if (error) throw new Error(PASSWORD_MESSAGES[error]);
    },
  });

/**
 * 修改初始密码 (portal `/password/initial?redirect=…`): accounts created from a 学员注册名单 (and any other
 * with mustChangePassword) land here after login and from every login-only page. The change ends every
 * session on the server, so unless the session survives, the person signs in again with the new password
 * and continues to where they were going.
 */
export function ChangeInitialPasswordPage() {
  const site = useSite().data;
  usePageTitle('修改初始密码', site?.authCenterName);
  const me = useMe();
  const [params] = useSearchParams();
  const target = safeRedirect(params.get('redirect'), '/');
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const leaving = useRef(false);
  const showError = useShowApiError();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();

  if (me.isPending) return <PageSpin />;
  if (me.isError)
    return (
      <div className="cpe-load-error" role="alert">
        <p>加载失败：{toApiError(me.error).message}</p>
        <Button onClick={() => me.refetch()}>重试</Button>
      </div>
    );
  if (!leaving.current) {
    if (!me.data) return <Navigate to={`/login?redirect=${encodeURIComponent(target)}`} replace />;
    if (!me.data.mustChangePassword) return <Navigate to={target} replace />;
  }
  const username = me.data?.username ?? '';

  const onFinish = async (v: Values) => {
    setBusy(true);
    try {
      await api.post<Ok>('/api/me/password', v);
    } catch (err) {
      showError(err, form);
      setBusy(false);
      return;
    }
    leaving.current = true;
    try {
      const fresh = await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
      if (fresh && !fresh.mustChangePassword) {
        message.success('密码修改成功');
        navigate(target, { replace: true });
        return;
      }
    } catch {
      // the session is gone either way: sign in again below
    }
    navigate(`/login?redirect=${encodeURIComponent(target)}`, {
      replace: true,
      state: { notice: '初始密码修改成功，请使用新密码重新登录', identifier: username },
    });
    queryClient.setQueryData(ME_KEY, null);
  };

  return (
    <AuthPanel title="修改初始密码">
      <Alert
        className="cpe-step-notice"
        type="warning"
        showIcon
        title="首次登录请先修改初始密码"
        description="为了您的账号安全，请将初始密码（edu@身份证号码后六位）修改为只有您知道的密码后再继续使用。"
      />
      <Form<Values>
        form={form}
        name="initial-password"
        labelCol={{ sm: { span: 6 } }}
        wrapperCol={{ sm: { span: 16 } }}
        size="large"
        className="cpe-form"
        onFinish={onFinish}
      >
        <Form.Item label="用户账号">
          <span className="cpe-roster-mono">{username}</span>
        </Form.Item>
        <Form.Item label="原密码" name="oldPassword" rules={[requiredText('请输入原密码')]}>
          <Input.Password placeholder="请输入初始密码" maxLength={128} autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="password"
          rules={[passwordRule(username)]}
          extra="8-20位，须包含大写字母、小写字母、数字、特殊字符中的任意三种，不能包含用户账号"
        >
          <Input.Password placeholder={PASSWORD_HINT} maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirmPassword"
          rules={[confirmPasswordRule()]}
          dependencies={['password']}
        >
          <Input.Password placeholder="请再次输入新密码" maxLength={20} autoComplete="new-password" />
        </Form.Item>
        <Form.Item wrapperCol={{ sm: { offset: 6, span: 16 } }}>
          <Button type="primary" htmlType="submit" loading={busy}>
            确认修改
          </Button>
          <Button type="link" onClick={() => logout.mutate()} loading={logout.isPending}>
            退出登录
          </Button>
        </Form.Item>
      </Form>
    </AuthPanel>
  );
}
