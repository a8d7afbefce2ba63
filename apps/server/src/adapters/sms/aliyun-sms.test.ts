import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAliyunSms, signAliyunRpc } from './aliyun-sms.js';
import { SmsSendError } from './sms.js';

describe('Alibaba Cloud RPC signature', () => {
  it('matches the documented example (DescribeRegions, secret "testsecret")', () => {
    const sig = signAliyunRpc(
      {
        AccessKeyId: 'testid',
        Action: 'DescribeRegions',
        Format: 'XML',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
        SignatureVersion: '1.0',
        Timestamp: '2016-02-23T12:46:24Z',
        Version: '2014-05-26',
      },
      'testsecret',
      'GET',
    );
    expect(sig).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });
});

describe('Aliyun SMS adapter against a local gateway', () => {
  let server: http.Server;
  let endpoint = '';
  const received: URLSearchParams[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { Code: 'OK', Message: 'OK' } };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        received.push(new URLSearchParams(raw));
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

  it('sends a signed SendSms call with the code as template parameter', async () => {
    await sms().send('13800138000', { purpose: 'register', code: '123456' });
    const params = received.at(-1) as URLSearchParams;
    expect(params.get('Action')).toBe('SendSms');
    expect(params.get('PhoneNumbers')).toBe('13800138000');
    expect(params.get('SignName')).toBe('重庆人社');
    expect(JSON.parse(params.get('TemplateParam') as string)).toEqual({ code: '123456' });
    const signature = params.get('Signature');
    const unsigned = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'Signature'));
    expect(signature).toBe(signAliyunRpc(unsigned, 'secret'));
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
