import crypto from 'node:crypto';
import { idNumberCheckChar } from '@cpe/shared';
import { expect } from 'vitest';
import type { Client } from './harness.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明'];
const pick = <T>(xs: readonly T[]) => xs[crypto.randomInt(0, xs.length)] as T;

/** A valid 身份证号码 with a random birth date and sequence (unique per call with overwhelming probability). */
export function randomIdNumber(opts: { region?: string; birth?: string } = {}): string {
  const region = opts.region ?? pick(['500103', '500112', '110105', '510104', '440305']);
  const y = 1960 + crypto.randomInt(0, 45);
  const m = String(crypto.randomInt(1, 13)).padStart(2, '0');
  const d = String(crypto.randomInt(1, 29)).padStart(2, '0');
  const birth = opts.birth ?? `${y}${m}${d}`;
  const first17 = `${region}${birth}${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

export function randomPhone(): string {
  return `1${pick(['3', '5', '7', '8', '9'])}${String(crypto.randomInt(0, 1e9)).padStart(9, '0')}`;
}

export interface Person {
  username: string;
  password: string;
  realName: string;
  idNumber: string;
  phone: string;
}

export function buildPerson(overrides: Partial<Person> = {}): Person {
  return {
    username: `u${crypto.randomBytes(5).toString('hex')}`,
    password: 'Passw0rd!x',
    realName: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
    idNumber: randomIdNumber(),
    phone: randomPhone(),
    ...overrides,
  };
}

interface OutboxItem {
  kind: string;
  to: string;
  purpose: string | null;
  code: string;
}

export async function outbox(client: Client, query: string): Promise<OutboxItem[]> {
  const res = await client.get(`/api/dev/outbox?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

/** Draws an image captcha and reads its answer from the demo outbox, as a person would read the picture. */
export async function imageCaptcha(client: Client): Promise<{ captchaId: string; captchaCode: string }> {
  const res = await client.post('/api/captchas/image');
  expect(res.statusCode).toBe(200);
  const { id } = res.json();
  const [item] = await outbox(client, `kind=image-captcha&to=${encodeURIComponent(id)}`);
  return { captchaId: id, captchaCode: (item as OutboxItem).code };
}

/** Solves the slider with the x offset from the outbox (the public outbox serves both listeners' captchas). */
export async function sliderToken(client: Client, outboxClient: Client = client, offset = 0): Promise<string> {
  const res = await client.post('/api/captchas/slider');
  expect(res.statusCode).toBe(200);
  const { id } = res.json();
  const [item] = await outbox(outboxClient, `kind=slider-captcha&to=${encodeURIComponent(id)}`);
  const verify = await client.post(`/api/captchas/slider/${id}/verify`, {
    x: Number((item as OutboxItem).code) + offset,
  });
  expect(verify.statusCode, verify.body).toBe(200);
  return verify.json().token;
}

export async function lastSmsCode(client: Client, phone: string): Promise<string> {
  const [item] = await outbox(client, `kind=sms&to=${phone}`);
  return (item as OutboxItem).code;
}

export async function sendSms(client: Client, phone: string, purpose = 'register') {
  return client.post('/api/sms-codes', { phone, purpose, ...(await imageCaptcha(client)) });
}

export function basicBody(p: Person, smsCode: string) {
  return {
    username: p.username,
    password: p.password,
    confirmPassword: p.password,
    realName: p.realName,
    idType: 'idCard',
    idNumber: p.idNumber,
    phone: p.phone,
    smsCode,
    agree: true,
  };
}

/** The whole registration through the API: SMS code, step 1, 实名认证. */
export async function register(client: Client, p: Person = buildPerson()): Promise<Person> {
  expect((await sendSms(client, p.phone)).statusCode).toBe(200);
  const start = await client.post('/api/registrations', basicBody(p, await lastSmsCode(client, p.phone)));
  expect(start.statusCode, start.body).toBe(200);
  const done = await client.post('/api/registrations/complete', { token: start.json().token });
  expect(done.statusCode, done.body).toBe(200);
  return p;
}

export async function login(client: Client, identifier: string, password: string) {
  return client.post('/api/sessions', {
    loginType: 'person',
    identifier,
    password,
    sliderToken: await sliderToken(client),
  });
}

/** A multipart/form-data body as a browser sends it: text fields and at most one file. */
export function multipartFile(
  fields: Record<string, string>,
  file?: { data: Buffer; filename: string; type: string; name?: string },
) {
  const boundary = `----cpe${crypto.randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
