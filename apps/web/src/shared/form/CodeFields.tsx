import { zCaptchaCode, zSmsCode } from '@cpe/shared';
import { Form, Input } from 'antd';
import { ImageCaptcha, type ImageCaptchaState } from '../captcha/ImageCaptcha';
import { SmsCodeButton } from '../captcha/SmsCodeButton';
import { zodRule } from './rules';

const fieldId = (formName: string | undefined, name: string) => (formName ? `${formName}_${name}` : name);

/** *验证码 [请输入图片验证码] [picture]: the code goes in field captchaCode, the id stays in the hook. */
export function CaptchaFormItem({ captcha, formName }: { captcha: ImageCaptchaState; formName?: string }) {
  return (
    <Form.Item label="验证码" htmlFor={fieldId(formName, 'captchaCode')} required>
      <div className="cpe-code-row">
        <Form.Item name="captchaCode" noStyle rules={[zodRule(zCaptchaCode, '图片验证码不能为空')]}>
          <Input placeholder="请输入图片验证码" maxLength={10} autoComplete="off" spellCheck={false} />
        </Form.Item>
        <ImageCaptcha captcha={captcha} />
      </div>
    </Form.Item>
  );
}

/** *短信验证码 [请输入短信验证码] [获取短信验证码]. */
export function SmsFormItem({
  formName,
  canSend,
  onSend,
}: {
  formName?: string;
  canSend: boolean;
  onSend: () => Promise<number | null>;
}) {
  return (
    <Form.Item label="短信验证码" htmlFor={fieldId(formName, 'smsCode')} required>
      <div className="cpe-code-row">
        <Form.Item name="smsCode" noStyle rules={[zodRule(zSmsCode)]}>
          <Input placeholder="请输入短信验证码" maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
        </Form.Item>
        <SmsCodeButton disabled={!canSend} onSend={onSend} />
      </div>
    </Form.Item>
  );
}
