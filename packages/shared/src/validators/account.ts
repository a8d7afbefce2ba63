/** Rules of 新用户注册 as the seed states them, with its placeholder texts. */

export const USERNAME_RE = /^[A-Za-z][A-Za-z0-9_]{3,29}$/;
export const USERNAME_HINT = '请输入以字母开头的4-30位字母、数字或下划线的组合';

export const PASSWORD_HINT = '请输入8-20位大写字母，小写字母，数字和特殊字符其中任意三种的组合';

export type PasswordError = 'length' | 'classes' | 'containsUsername' | 'whitespace';

export const PASSWORD_MESSAGES: Record<PasswordError, string> = {
  length: '登录密码长度应为8-20位',
  classes: '登录密码须包含大写字母、小写字母、数字和特殊字符中的任意三种',
  containsUsername: '登录密码不能包含用户账号',
  whitespace: '登录密码不能包含空格',
};

export function passwordClassCount(password: string): number {
  let n = 0;
  if (/[A-Z]/.test(password)) n++;
  if (/[a-z]/.test(password)) n++;
  if (/\d/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

export function validatePassword(password: string, username?: string): PasswordError | null {
  if (password.length < 8 || password.length > 20) return 'length';
  if (/\s/.test(password)) return 'whitespace';
  if (passwordClassCount(password) < 3) return 'classes';
  if (username && username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'containsUsername';
  }
  return null;
}

/** Chinese characters, letters and the middle dot used in names such as 买买提·艾力. */
/**
 * A Chinese name (少数民族 parts joined by ·), or a name in Latin letters as a 居住证, 永居证 or passport prints it:
 * words separated by one space, hyphen or apostrophe (Jean-Luc O'Brien, José Müller).
 */
export const REAL_NAME_RE =
  /^(?:(?=.{2,30}$)[\u3400-\u9FFFA-Za-z]+(?:[·•][\u3400-\u9FFFA-Za-z]+)*|(?=.{2,60}$)[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[ '’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*)$/u;

/** Strips spaces, a leading +86 / 0086 and dashes before checking a mainland mobile number. */
export function normalizePhone(raw: string): string {
  return raw.replace(/[\s-]+/g, '').replace(/^(\+86|0086)/, '');
}
export const PHONE_RE = /^1[3-9]\d{9}$/;

export const SMS_CODE_RE = /^\d{6}$/;
