import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpRealname } from './http-realname.js';
import { createLocalRealname } from './local-realname.js';
import { RealnameUnavailableError } from './realname.js';

describe('local 实名认证', () => {
  const ok = '11010519491231002X';
  it('passes a valid number, refuses a bad checksum and the deny list (number or name:number)', async () => {
    const v = createLocalRealname({ denyList: ['110105194912310011', `王五:${ok}`], failMode: 'none' });
    expect(await v.verify({ realName: '张三', idType: 'idCard', idNumber: ok })).toEqual({ ok: true });
    expect((await v.verify({ realName: '张三', idType: 'idCard', idNumber: '110105194912310021' })).ok).toBe(false);
    expect((await v.verify({ realName: '张三', idType: 'idCard', idNumber: '110105194912310011' })).ok).toBe(false);
    expect((await v.verify({ realName: '王五', idType: 'idCard', idNumber: ok })).ok).toBe(false);
  });
  it('can be made to fail for demos and tests', async () => {
    expect(
      (
        await createLocalRealname({ denyList: [], failMode: 'mismatch' }).verify({
          realName: '张三',
          idType: 'idCard',
          idNumber: ok,
        })
      ).ok,
    ).toBe(false);
    await expect(
      createLocalRealname({ denyList: [], failMode: 'unavailable' }).verify({
        realName: '张三',
        idType: 'idCard',
        idNumber: ok,
      }),
    ).rejects.toBeInstanceOf(RealnameUnavailableError);
  });
});

describe('http 实名认证 against a local provider', () => {
  let server: http.Server;
  let url = '';
  let lastAuth = '';
  let answer: { status: number; body: unknown } = { status: 200, body: { code: 0, result: { res: '1' } } };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      lastAuth = String(req.headers.authorization);
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idcard`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('maps 一致 / 不一致 / errors', async () => {
    const v = createHttpRealname({ url, appCode: 'abc' });
    expect(await v.verify({ realName: '张三', idType: 'idCard', idNumber: '11010519491231002X' })).toEqual({
      ok: true,
    });
    expect(lastAuth).toBe('APPCODE abc');
    answer = { status: 200, body: { code: 0, result: { res: '2' } } };
    expect(await v.verify({ realName: '张三', idType: 'idCard', idNumber: '11010519491231002X' })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    answer = { status: 200, body: { code: 14, message: '余额不足' } };
    await expect(
      v.verify({ realName: '张三', idType: 'idCard', idNumber: '11010519491231002X' }),
    ).rejects.toBeInstanceOf(RealnameUnavailableError);
    answer = { status: 502, body: 'bad gateway' };
    await expect(
      v.verify({ realName: '张三', idType: 'idCard', idNumber: '11010519491231002X' }),
    ).rejects.toBeInstanceOf(RealnameUnavailableError);
  });
});
