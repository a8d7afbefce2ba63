import crypto from 'node:crypto';
import { idNumberCheckChar } from '@cpe/shared';
import type { Page } from 'playwright-core';
import { outboxCode, publicUrl, solveSlider, staffUrl } from './browser.js';

/** fetch with a cookie jar and the double-submit CSRF header, as the web apps talk to one listener. */
export class Api {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string) {}

  private absorb(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      if (i <= 0) continue;
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      this.cookies.set(name, value);
      // The CSRF token follows the session (a new one at login and logout), as the web apps read it per request.
      if (name === 'cpe_csrf' || name === 'cpe_staff_csrf') this.csrf = decodeURIComponent(value);
    }
  }

  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...extra, cookie, 'x-csrf-token': this.csrf };
  }

  async init(): Promise<this> {
    const res = await fetch(`${this.base}/api/csrf`);
    this.absorb(res);
    this.csrf = ((await res.json()) as { token: string }).token;
    return this;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.absorb(res);
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  /** The call must succeed: its JSON, or the server's answer in the error. */
  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, json } = await this.request(method, path, body);
    if (status !== 200) throw new Error(`${method} ${path} → ${status} ${JSON.stringify(json)}`);
    return json as T;
  }

  async upload(purpose: 'licence' | 'authorization', name: string, data: Buffer): Promise<string> {
    return this.uploadTo('/api/files', name, data, 'image/png', { purpose });
  }

  /** A file sent as a form's `file` field (with other fields) to any upload route; the stored file's id. */
  async uploadTo(
    path: string,
    name: string,
    data: Buffer,
    mime: string,
    fields: Record<string, string> = {},
  ): Promise<string> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set('file', new Blob([new Uint8Array(data)], { type: mime }), name);
    const res = await fetch(`${this.base}${path}`, { method: 'POST', headers: this.headers(), body: form });
    this.absorb(res);
    const json = (await res.json()) as { id: string };
    if (res.status !== 200) throw new Error(`upload ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json.id;
  }

  /** 向右滑动完成验证, answered from the demo outbox of the portal at `portal` (the platform under test by default). */
  async sliderToken(portal = publicUrl()): Promise<string> {
    const { id } = await this.ok<{ id: string }>('POST', '/api/captchas/slider');
    const x = Number(await outboxCode('slider-captcha', id, portal));
    return (await this.ok<{ token: string }>('POST', `/api/captchas/slider/${id}/verify`, { x })).token;
  }
}

/** 个人用户 login through the API (slider answered from the demo outbox), on the platform under test or at `base`. */
export async function portalLoginByApi(identifier: string, password: string, base = publicUrl()): Promise<Api> {
  const api = await new Api(base).init();
  const sliderToken = await api.sliderToken(base);
  await api.ok('POST', '/api/sessions', { loginType: 'person', identifier, password, sliderToken });
  return api;
}

export async function staffLoginByApi(username: string, password: string): Promise<Api> {
  const api = await new Api(staffUrl()).init();
  const sliderToken = await api.sliderToken();
  await api.ok('POST', '/api/sessions', { username, password, sliderToken });
  return api;
}

/** Where a login without a `redirect` lands: 首页. */
export const landedHome = (u: URL) => u.pathname === '/';

/** Signs in on the portal's login page at `base` (another of PUBLIC_URL's addresses, for return-host.spec). */
export async function portalLogin(page: Page, identifier: string, password: string, base = publicUrl()) {
  await page.goto(`${base}/login`);
  await page.getByRole('tab', { name: '个人用户' }).click();
  await page.getByPlaceholder('用户名/手机号码/身份证号').fill(identifier);
  await page.getByPlaceholder('请输入密码').first().fill(password);
  await solveSlider(page, base);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.waitForURL(landedHome);
}

/** Signs in on the staff console of the platform under test, or of another one (`at`, e.g. a second server). */
export async function staffLogin(
  page: Page,
  username: string,
  password: string,
  at: { staffUrl: string; publicUrl: string } = { staffUrl: staffUrl(), publicUrl: publicUrl() },
) {
  await page.goto(`${at.staffUrl}/login`);
  await page.getByPlaceholder(/用户名/).fill(username);
  await page.getByPlaceholder(/密码/).fill(password);
  await solveSlider(page, at.publicUrl);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const hex = (n: number) => crypto.randomBytes(n).toString('hex');

/** A person no run has used (valid 身份证号码, a 137 phone). */
export function newPerson(realName: string) {
  const first17 = `500103${1970 + crypto.randomInt(0, 30)}0${crypto.randomInt(1, 10)}1${crypto.randomInt(0, 10)}${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return {
    username: `e2eu${hex(4)}`,
    password: 'E2e-Passw0rd',
    realName,
    idNumber: first17 + idNumberCheckChar(first17),
    phone: `137${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`,
  };
}
export type Person = ReturnType<typeof newPerson>;

/** 新用户注册 through the API (image captcha → SMS → basic info → 实名认证). */
export async function registerByApi(p: Person): Promise<void> {
  const api = await new Api(publicUrl()).init();
  const { id: captchaId } = await api.ok<{ id: string }>('POST', '/api/captchas/image');
  const captchaCode = await outboxCode('image-captcha', captchaId);
  await api.ok('POST', '/api/sms-codes', { phone: p.phone, purpose: 'register', captchaId, captchaCode });
  const smsCode = await outboxCode('sms', p.phone);
  const { token } = await api.ok<{ token: string }>('POST', '/api/registrations', {
    username: p.username,
    password: p.password,
    confirmPassword: p.password,
    realName: p.realName,
    idType: 'idCard',
    idNumber: p.idNumber,
    phone: p.phone,
    smsCode,
    agree: true,
  });
  await api.ok('POST', '/api/registrations/complete', { token });
}
