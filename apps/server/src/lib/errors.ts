import { ERRORS, type ErrorCode } from '@cpe/shared';

/** The one error type of the API: a stable code, a Chinese message, optionally per-field messages. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** More of the body than code, message and fields (TRAINEES_INVALID lists every bad line). */
  readonly extra?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    opts: {
      message?: string;
      fields?: Record<string, string>;
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    const def = ERRORS[code];
    super(opts.message ?? def.message);
    this.code = code;
    this.status = def.status;
    this.fields = opts.fields;
    this.headers = opts.headers;
    this.extra = opts.extra;
  }

  toBody(): { code: ErrorCode; message: string; fields?: Record<string, string> } {
    const body = this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
    return this.extra ? { ...this.extra, ...body } : body;
  }
}

/** A validation error naming one field, for rules the schema cannot check (uniqueness, codes). */
export function fieldError(code: ErrorCode, field: string, message?: string): AppError {
  const text = message ?? ERRORS[code].message;
  return new AppError(code, { message: text, fields: { [field]: text } });
}
