import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input } from 'antd';
import { useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { SliderCaptcha, type SliderCaptchaHandle } from '../../../shared/captcha/SliderCaptcha';
import { Emblem } from '../../../shared/Emblem';
import { requiredText } from '../../../shared/form/rules';
import { safeRedirect } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../api';
import { STAFF_ME_KEY, useStaffMe } from '../staff-api';
import type { StaffMe } from '../types';

interface Values {
  username: string;
  password: string;
}

/** 内网 login: 用户名, 密码, slider. */
export function StaffLoginPage() {
  const site = useSite().data;
  usePageTitle('登录', site?.staffConsoleName);
  const me = useStaffMe().data;
  const [form] = Form.useForm<Values>();
  const slider = useRef<SliderCaptchaHandle>(null);
  const [sliderToken, setSliderToken] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const login = useMutation({
    mutationFn: (body: Values & { sliderToken: string }) => api.post<StaffMe>('/api/sessions', body),
  });
  const target = safeRedirect(params.get('redirect'), '/');

  if (me) return <Navigate to={target} replace />;

  const onFinish = async (v: Values) => {
    if (!sliderToken) {
      slider.current?.demand();
      return;
    }
    setError(null);
    try {
      const staff = await login.mutateAsync({ username: v.username.trim(), password: v.password, sliderToken });
      queryClient.setQueryData(STAFF_ME_KEY, staff);
      message.success(`欢迎您，${staff.displayName}`);
      navigate(target, { replace: true });
    } catch (err) {
      slider.current?.reset();
      applyApiError(err, form);
      setError(toApiError(err).message);
    }
  };

  return (
    <div className="cpe-staff-login">
      <div className="cpe-staff-login-card">
        <div className="cpe-staff-login-head">
          <Emblem size={40} />
          <h1>{site?.staffConsoleName}</h1>
        </div>
        <Form
          form={form}
          name="staffLogin"
          layout="vertical"
          size="large"
          onFinish={onFinish}
          onFinishFailed={() => !sliderToken && slider.current?.demand()}
        >
          <Form.Item label="用户名" name="username" rules={[requiredText('请输入用户名')]}>
            <Input prefix={<UserOutlined />} placeholder="请输入用户名" autoComplete="username" maxLength={64} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[requiredText('请输入密码')]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder="请输入密码"
              autoComplete="current-password"
              maxLength={128}
            />
          </Form.Item>
          <Form.Item>
            <SliderCaptcha ref={slider} onChange={setSliderToken} />
          </Form.Item>
          {error && <Alert className="cpe-login-error" type="error" showIcon title={error} />}
          <Button type="primary" htmlType="submit" size="large" block loading={login.isPending}>
            登录
          </Button>
        </Form>
      </div>
      <p className="cpe-staff-login-foot">本系统仅限授权工作人员使用，请妥善保管账号和密码</p>
    </div>
  );
}
