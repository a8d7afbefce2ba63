// The zod-free module: pages without schemas (login) must not pull zod in.
import { PASSWORD_MESSAGES, validatePassword } from '@cpe/shared/validators/account';
import type { FormRule } from 'antd';

/** The part of a zod schema a form rule needs; the schemas come from @cpe/shared, the server's own. */
interface SafeParser {
  safeParse(value: unknown): { success: boolean; error?: { issues: ReadonlyArray<{ message: string }> } };
}

/**
 * The message the server's zod schema gives for a value, or null when it passes. An empty value is parsed
 * as missing (the schema's "请输入…" message) unless `emptyMessage` is given.
 */
export function zodMessage(schema: SafeParser, value: unknown, emptyMessage?: string): string | null {
  const empty = value === undefined || value === null || value === '';
  if (empty && emptyMessage) return emptyMessage;
  const result = schema.safeParse(empty ? undefined : value);
  return result.success ? null : (result.error?.issues[0]?.message ?? '格式不正确');
}

/** A form rule that runs the server's zod schema, so the browser says exactly what the server would. */
export function zodRule(schema: SafeParser, emptyMessage?: string): FormRule {
  return {
    required: true,
    validator: async (_rule, value: unknown) => {
      const message = zodMessage(schema, value, emptyMessage);
      if (message) throw new Error(message);
    },
  };
}

/** 登录密码 rules of @cpe/shared (length, three of four classes, no spaces, not containing the username). */
export function newPasswordRule(usernameField?: string): FormRule {
  return ({ getFieldValue }) => ({
    required: true,
    validator: async (_rule, value: string | undefined) => {
      if (!value) throw new Error('请输入登录密码');
      const username = usernameField ? (getFieldValue(usernameField) as string | undefined) : undefined;
      const error = validatePassword(value, username?.trim() || undefined);
      if (error) throw new Error(PASSWORD_MESSAGES[error]);
    },
  });
}

export function confirmPasswordRule(passwordField = 'password'): FormRule {
  return ({ getFieldValue }) => ({
    required: true,
    validator: async (_rule, value: string | undefined) => {
      if (!value) throw new Error('请输入确认密码');
      if (value !== getFieldValue(passwordField)) throw new Error('两次输入的密码不一致');
    },
  });
}

export function requiredText(message: string): FormRule {
  return { required: true, whitespace: true, message };
}
