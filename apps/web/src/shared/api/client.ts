import type { ApiErrorBody } from '@cpe/shared';

/** An API failure in the server's one shape ({ code, message, fields? }), or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  /** The whole error body, for the few errors that carry more (TRAINEES_INVALID: every bad line). */
  readonly body: Record<string, unknown>;

  constructor(
    status: number,
    body: { code: string; message: string; fields?: Record<string, string> } & Record<string, unknown>,
  ) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.fields = body.fields;
    this.body = body;
  }
}

export const NETWORK_ERROR_MESSAGE = '网络连接异常，请检查网络后重试';

/** Each listener has its own CSRF cookie (cpe_csrf on the portal, cpe_staff_csrf on the console). */
let csrfCookieName = 'cpe_csrf';

/** Called when any request finds the session missing or ended, so the app can forget who was logged in. */
let onUnauthenticated: () => void = () => {};

export function configureApi(opts: { csrfCookie: string; onUnauthenticated?: () => void }): void {
  csrfCookieName = opts.csrfCookie;
  if (opts.onUnauthenticated) onUnauthenticated = opts.onUnauthenticated;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

let csrfPending: Promise<void> | null = null;

/** Any GET /api/... sets the CSRF cookie; /api/csrf is the cheapest one when it is missing. */
export function ensureCsrf(): Promise<void> {
  if (readCookie(csrfCookieName)) return Promise.resolve();
  csrfPending ??= fetch('/api/csrf', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(() => undefined)
    .catch(() => undefined)
    .finally(() => {
      csrfPending = null;
    });
  return csrfPending;
}

/** The CSRF header's value for a state-changing request made outside `request` (a POST answered with a file). */
export async function csrfToken(): Promise<string> {
  await ensureCsrf();
  return readCookie(csrfCookieName) ?? '';
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (method !== 'GET') {
    await ensureCsrf();
    headers['x-csrf-token'] = readCookie(csrfCookieName) ?? '';
  }
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }
  const text = await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const b = (data ?? {}) as Partial<ApiErrorBody>;
    const error = new ApiError(res.status, {
      ...(data && typeof data === 'object' ? (data as Record<string, unknown>) : {}),
      code: b.code ?? `HTTP_${res.status}`,
      message: b.message ?? `请求失败（${res.status}），请稍后再试`,
      fields: b.fields,
    });
    if (isUnauthenticated(error)) onUnauthenticated();
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, { code: 'CLIENT_ERROR', message: '操作失败，请稍后再试' });
}

/** Not logged in or the session ended; LOGIN_FAILED (also 401) is a wrong password, not this. */
export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'UNAUTHENTICATED' || err.code === 'SESSION_EXPIRED');
}

/** The server's error code for a page to show as a state of its own, or null for a network failure or an ended
 * session (handled elsewhere). */
export function errorCode(err: unknown): string | null {
  if (!(err instanceof ApiError) || isUnauthenticated(err)) return null;
  return err.code;
}

/** Query-string builder that drops empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
