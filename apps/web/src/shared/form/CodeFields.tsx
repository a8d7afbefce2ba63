// Module paths, not the package index: the index also carries area data and other domains.
import { zCaptchaCode, zSmsCode } from '@cpe/shared/schemas/identity';
import { Form, type FormInstance, Input } from 'antd';
import { ImageCaptcha, type ImageCaptchaState } from '../captcha/ImageCaptcha';
import { SmsCodeButton } from '../captcha/SmsCodeButton';
import { zodMessage, zodRule } from './rules';

const fieldId = (formName: string | undefined, name: string) => (formName ? `${formName}_${name}` : name);

const CAPTCHA_EMPTY = '图片验证码不能为空';
const captchaRule = zodRule(zCaptchaCode, CAPTCHA_EMPTY);

/**
 * *验证码 [请输入图片验证码] [picture]: the code goes in field captchaCode, the id stays in the hook.
 * `forSms`: the captcha only guards 获取短信验证码 (checked by validateCaptcha when sending), so submitting the
 * form does not ask for it again after the code was spent.
 */
export function CaptchaFormItem({
  captcha,
  formName,
  forSms = false,
}: {
  captcha: ImageCaptchaState;
  formName?: string;
  forSms?: boolean;
}) {
  return (
    <Form.Item label="验证码" htmlFor={fieldId(formName, 'captchaCode')} required>
      <div className="cpe-code-row">
        <Form.Item name="captchaCode" noStyle rules={forSms ? [] : [captchaRule]}>
          <Input placeholder="请输入图片验证码" maxLength={10} autoComplete="off" spellCheck={false} />
        </Form.Item>
        <ImageCaptcha captcha={captcha} />
      </div>
    </Form.Item>
  );
}

/** Checks the fields 获取短信验证码 needs (e.g. phone and captchaCode) with their rules; false when one is wrong. */
export async function validateForSms(form: FormInstance, fields: string[]): Promise<boolean> {
  const others = fields.filter((f) => f !== 'captchaCode');
  let ok = true;
  try {
    if (others.length) await form.validateFields(others);
  } catch {
    ok = false;
  }
  if (fields.includes('captchaCode')) {
    const message = zodMessage(zCaptchaCode, form.getFieldValue('captchaCode'), CAPTCHA_EMPTY);
    form.setFields([{ name: 'captchaCode', errors: message ? [message] : [] }]);
    if (message) ok = false;
  }
  return ok;
}

/**
 * 获取短信验证码 behind the image captcha: checks `fields` (validateForSms), sends with the captcha's id and code,
 * then draws a new captcha whatever happened (it is single use) and empties its field. On success `onSent` (the
 * toast) and the seconds until 重新获取; on failure `onError` and null.
 */
export async function sendSmsCode({
  form,
  fields,
  captcha,
  send,
  onSent,
  onError,
}: {
  form: FormInstance;
  fields: string[];
  captcha: ImageCaptchaState;
  send: (c: { captchaId: string | null; captchaCode: string }) => Promise<{ resendAfterSeconds: number }>;
  onSent: () => void;
  onError: (err: unknown, form: FormInstance) => void;
}): Promise<number | null> {
  if (!(await validateForSms(form, fields))) return null;
  let sent: { resendAfterSeconds: number } | undefined;
  let failure: unknown;
  try {
    sent = await send({ captchaId: captcha.id, captchaCode: form.getFieldValue('captchaCode') });
  } catch (err) {
    failure = err;
  }
  captcha.refresh();
  form.setFieldValue('captchaCode', '');
  if (!sent) {
    onError(failure, form);
    return null;
  }
  onSent();
  return sent.resendAfterSeconds;
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
