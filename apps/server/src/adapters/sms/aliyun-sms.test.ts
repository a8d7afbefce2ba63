import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalQuery, createAliyunSms, signAcs3 } from './aliyun-sms.js';
import { SmsSendError } from './sms.js';

describe('Alibaba Cloud V3 signature (ACS3-HMAC-SHA256)', () => {
  it('matches the documented example (RunInstances on ecs.cn-shanghai, secret "YourAccessKeySecret")', () => {
    const signed = signAcs3(
      {
        method: 'POST',
        host: 'ecs.cn-shanghai.aliyuncs.com',
        query: { RegionId: 'cn-shanghai', ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd' },
        headers: {
          'x-acs-action': 'RunInstances',
          'x-acs-version': '2014-05-26',
          'x-acs-date': '2023-10-26T10:22:32Z',
          'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
        },
      },
      'YourAccessKeyId',
      'YourAccessKeySecret',
    );
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action:RunInstances',
        'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-acs-date:2023-10-26T10:22:32Z',
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
        'x-acs-version:2014-05-26',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
    );
    expect(signed.headers.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
        'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('encodes the query as RFC 3986 (space, *, ~, Chinese, JSON)', () => {
    expect(canonicalQuery({ b: 'a b*~', a: '重庆', c: '{"code":"1"}' })).toBe(
      'a=%E9%87%8D%E5%BA%86&b=a%20b%2A~&c=%7B%22code%22%3A%221%22%7D',
    );
  });
});

describe('Aliyun SMS adapter against a local gateway', () => {
  let server: http.Server;
  let endpoint = '';
  const received: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    headers: http.IncomingHttpHeaders;
    body: string;
  }> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { Code: 'OK', Message: 'OK' } };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://gateway');
        received.push({
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: raw,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const sms = () =>
    createAliyunSms({
      accessKeyId: 'kid',
      accessKeySecret: 'secret',
      signName: '重庆人社',
      templateCode: 'SMS_1',
      endpoint,
    });

  it('sends a V3-signed SendSms call with the code as template parameter', async () => {
    await sms().send('13800138000', { purpose: 'register', code: '123456' });
    const got = received.at(-1) as (typeof received)[number];
    expect(got.method).toBe('POST');
    expect(got.headers['x-acs-action']).toBe('SendSms');
    expect(got.headers['x-acs-version']).toBe('2017-05-25');
    expect(got.headers['x-acs-date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(got.query.get('PhoneNumbers')).toBe('13800138000');
    expect(got.query.get('SignName')).toBe('重庆人社');
    expect(got.query.get('TemplateCode')).toBe('SMS_1');
    expect(JSON.parse(got.query.get('TemplateParam') as string)).toEqual({ code: '123456' });
    expect(got.body).toBe('');
    // The gateway's side of the check: recompute from what arrived (its Host, its query, its x-acs-* headers).
    const acs = Object.fromEntries(
      Object.entries(got.headers).filter(([k]) => k.startsWith('x-acs-') && k !== 'x-acs-content-sha256'),
    ) as Record<string, string>;
    const expected = signAcs3(
      {
        method: got.method,
        host: got.headers.host as string,
        path: got.path,
        query: Object.fromEntries(got.query),
        headers: acs,
        body: got.body,
      },
      'kid',
      'secret',
    );
    expect(got.headers['x-acs-content-sha256']).toBe(expected.headers['x-acs-content-sha256']);
    expect(got.headers.authorization).toBe(expected.headers.authorization);
    expect(got.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=kid,SignedHeaders=host;x-acs-action;/);
  });

  it('sends a notice with its own template and parameters', async () => {
    const withNotices = createAliyunSms({
      accessKeyId: 'kid',
      accessKeySecret: 'secret',
      signName: '重庆人社',
      templateCode: 'SMS_1',
      noticeTemplates: { 'roster-account-created': 'SMS_2' },
      endpoint,
    });
    await withNotices.notify('13800138000', { template: 'roster-account-created', params: { name: '张三' } });
    const got = received.at(-1) as (typeof received)[number];
    expect(got.query.get('TemplateCode')).toBe('SMS_2');
    expect(JSON.parse(got.query.get('TemplateParam') as string)).toEqual({ name: '张三' });
  });

  it('turns a refusal into SmsSendError', async () => {
    answer = { status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' } };
    await expect(sms().send('13800138000', { purpose: 'register', code: '1' })).rejects.toBeInstanceOf(SmsSendError);
    answer = { status: 500, body: {} };
    await expect(sms().send('13800138000', { purpose: 'register', code: '1' })).rejects.toBeInstanceOf(SmsSendError);
  });

  it('turns an unreachable gateway into SmsSendError', async () => {
    const down = createAliyunSms({
      accessKeyId: 'k',
      accessKeySecret: 's',
      signName: 'x',
      templateCode: 't',
      endpoint: 'http://127.0.0.1:1/',
    });
    await expect(down.send('13800138000', { purpose: 'register', code: '1' })).rejects.toBeInstanceOf(SmsSendError);
  });
});
