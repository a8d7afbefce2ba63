/**
 * UnionPay's published test certificate comes as a password-protected .pfx, which node:crypto cannot open, so these
 * tests generate their own keys and play UnionPay: they sign notifications and answers with "UnionPay's" key and
 * check our requests with the merchant public key, implementing signMethod 01 independently of the adapter.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FORGED_MIDDLE_CERT,
  FORGED_SIGN_CERT,
  FORGED_SIGN_KEY,
  MIDDLE_CERT,
  OTHER_CERT,
  OTHER_KEY,
  ROOT_CERT,
  SIGN_CERT,
  SIGN_KEY,
} from '../../../test/fixtures/unionpay-chain.js';
import { type CreatePaymentInput, type PaymentNotice, PaymentProviderError, PaymentSignatureError } from './payment.js';
import { createUnionpayProvider, parseUnionpayAnswer, type UnionpayConfig, unionpaySignString } from './unionpay.js';

const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: crypto.KeyObject) =>
  k.export(k.type === 'private' ? { type: 'pkcs8', format: 'pem' } : { type: 'spki', format: 'pem' }).toString();

const merchant = rsa();
const unionpay = rsa();
const stranger = rsa();
const MER_ID = '777290058110048';
const CERT_ID = '69629715588';
const TXN_TIME = new Date('2024-03-01T04:20:00Z');
/** What UnionPay puts in signPubKeyCert: a PEM with line breaks, which is part of the signed string. */
const SIGN_PUB_KEY_CERT =
  '-----BEGIN CERTIFICATE-----\r\nMIIEQzCCAyugAwIBAgIFEBJJZVgwDQYJ\r\n-----END CERTIFICATE-----';

/** signMethod 01 of 5.1.0: sorted k=v&… without signature → SHA-256 hex → RSA-SHA256 → base64. */
const hexDigest = (fields: Record<string, string>) =>
  crypto
    .createHash('sha256')
    .update(
      Object.keys(fields)
        .filter((k) => k !== 'signature')
        .sort()
        .map((k) => `${k}=${fields[k]}`)
        .join('&'),
    )
    .digest('hex');
const signAs = (fields: Record<string, string>, key: crypto.KeyObject) => ({
  ...fields,
  signature: crypto.sign('sha256', Buffer.from(hexDigest(fields)), key).toString('base64'),
});
const signedByMerchant = (fields: Record<string, string>) =>
  crypto.verify(
    'sha256',
    Buffer.from(hexDigest(fields)),
    merchant.publicKey,
    Buffer.from(fields.signature ?? '', 'base64'),
  );

const provider = (over: Partial<UnionpayConfig> = {}) =>
  createUnionpayProvider({
    merId: MER_ID,
    signCertId: CERT_ID,
    privateKey: pem(merchant.privateKey),
    unionpayCert: pem(unionpay.publicKey),
    txnTimeOf: async () => TXN_TIME,
    refundNotifyUrl: 'https://px.example.cn/api/pay/refund-notify/unionpay',
    ...over,
  });

const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  outTradeNo: 'P20240301000001',
  amountFen: 123450,
  subject: '重庆市2023年专技人员继续教育公需科目培训',
  device: 'desktop',
  notifyUrl: 'https://px.example.cn/api/pay/notify/unionpay',
  returnUrl: 'https://px.example.cn/pay/return?o=1&c=unionpay',
  expiresAt: new Date('2024-03-01T04:30:00Z'),
  ...over,
});

describe('signature and answer format', () => {
  it('signs every field but signature, sorted by name', () => {
    expect(unionpaySignString({ txnAmt: '1', signature: 'x', bizType: '000201', accessType: '0' })).toBe(
      'accessType=0&bizType=000201&txnAmt=1',
    );
  });

  it('reads an answer whose values are not URL-encoded and may nest & inside braces', () => {
    expect(parseUnionpayAnswer('a=1&signature=ab+c/d==&reqReserved={x=1&y=[2&3]}&empty=&pem=-----B\r\nQ==')).toEqual({
      a: '1',
      signature: 'ab+c/d==',
      reqReserved: '{x=1&y=[2&3]}',
      empty: '',
      pem: '-----B\r\nQ==',
    });
  });
});

describe('create', () => {
  const formFields = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(([, k, v]) => [
        k,
        (v as string)
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&'),
      ]),
    ) as Record<string, string>;

  it('desktop: an auto-posting 网关支付 form signed with the merchant key', async () => {
    const start = await provider().create(input());
    if (start.kind !== 'form') throw new Error(`expected a form, got ${start.kind}`);
    expect(start.html).toContain('action="https://gateway.95516.com/gateway/api/frontTransReq.do"');
    expect(start.html).toMatch(/\.submit\(\)/);
    expect(start.html).toContain('value="https://px.example.cn/pay/return?o=1&amp;c=unionpay"');
    const fields = formFields(start.html);
    expect(signedByMerchant(fields)).toBe(true);
    expect(fields).toEqual({
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      accessType: '0',
      merId: MER_ID,
      certId: CERT_ID,
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType: '07',
      currencyCode: '156',
      txnAmt: '123450',
      orderId: 'P20240301000001',
      txnTime: '20240301122000',
      payTimeout: '20240301123000',
      frontUrl: 'https://px.example.cn/pay/return?o=1&c=unionpay',
      backUrl: 'https://px.example.cn/api/pay/notify/unionpay',
      signature: fields.signature,
    });
    expect(signedByMerchant({ ...fields, txnAmt: '1' })).toBe(false);
  });

  it('mobile: channelType 08', async () => {
    const start = await provider().create(input({ device: 'mobile', amountFen: 1 }));
    if (start.kind !== 'form') throw new Error(`expected a form, got ${start.kind}`);
    const fields = formFields(start.html);
    expect(signedByMerchant(fields)).toBe(true);
    expect(fields).toMatchObject({ channelType: '08', txnAmt: '1' });
  });

  it('stamps the current time as txnTime when the caller keeps none', async () => {
    const start = await provider({ txnTimeOf: undefined }).create(input());
    if (start.kind !== 'form') throw new Error(`expected a form, got ${start.kind}`);
    const stamped = /name="txnTime" value="(\d{14})"/.exec(start.html)?.[1] as string;
    const [y, mo, d, h, mi, sec] = stamped.match(/^(\d{4})|\d{2}/g) as string[];
    const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}+08:00`);
    expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('refuses an orderId UnionPay would refuse', async () => {
    await expect(provider().create(input({ outTradeNo: 'P12345' }))).rejects.toThrow(RangeError);
  });
});

describe('parseNotify', () => {
  /** A 后台通知 of a 消费 as UnionPay posts it. */
  const notification = (over: Record<string, string> = {}, key = unionpay.privateKey) =>
    signAs(
      {
        accessType: '0',
        bizType: '000201',
        currencyCode: '156',
        encoding: 'UTF-8',
        merId: MER_ID,
        orderId: 'P20240301000001',
        queryId: '772403011221055012438',
        respCode: '00',
        respMsg: '成功[0000000]',
        settleAmt: '29',
        settleCurrencyCode: '156',
        settleDate: '0301',
        signMethod: '01',
        signPubKeyCert: SIGN_PUB_KEY_CERT,
        traceNo: '501243',
        traceTime: '0301122105',
        txnAmt: '29',
        txnSubType: '01',
        txnTime: '20240301122000',
        txnType: '01',
        version: '5.1.0',
        ...over,
      },
      key,
    );
  const body = (fields: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: Buffer.from(new URLSearchParams(fields).toString()),
  });

  it('reads a verified payment, amount exact in fen, paid at traceTime', async () => {
    expect(await provider().parseNotify(body(notification()))).toEqual({
      outTradeNo: 'P20240301000001',
      tradeNo: '772403011221055012438',
      amountFen: 29,
      status: 'paid',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    const big = await provider().parseNotify(body(notification({ txnAmt: '123450', respCode: 'A6' })));
    expect(big).toMatchObject({ amountFen: 123450, status: 'paid' });
  });

  it('gives traceTime the next year when the order was sent on New Year’s Eve', async () => {
    const notice = (await provider().parseNotify(
      body(notification({ txnTime: '20231231235900', traceTime: '0101000130' })),
    )) as PaymentNotice;
    expect(notice.paidAt).toEqual(new Date('2023-12-31T16:01:30Z'));
  });

  it('reads a failed payment as closed', async () => {
    const notice = await provider().parseNotify(body(notification({ respCode: '61', respMsg: '余额不足' })));
    expect(notice).toMatchObject({ status: 'closed', paidAt: null });
  });

  it('refuses what UnionPay did not sign or that is not a payment of ours', async () => {
    const good = notification();
    const refused = [
      { ...good, txnAmt: '1' },
      { ...good, signature: `${good.signature.slice(0, -6)}AAAAA=` },
      { ...good, signature: '' },
      notification({}, stranger.privateKey),
      notification({ merId: '777290058110097' }),
      notification({ txnType: '31' }),
    ];
    for (const fields of refused) {
      await expect(provider().parseNotify(body(fields))).rejects.toBeInstanceOf(PaymentSignatureError);
    }
    const twice = `${new URLSearchParams(good).toString()}&txnAmt=1`;
    await expect(provider().parseNotify({ headers: {}, rawBody: Buffer.from(twice) })).rejects.toBeInstanceOf(
      PaymentSignatureError,
    );
  });

  it('reads a 退货 notice (txnType 04) as a refund notice, never as a payment', async () => {
    const refund = { txnType: '04', txnSubType: '00', orderId: 'RP20240301000001', queryId: '772403021221055012999' };
    expect(await provider().parseNotify(body(notification(refund)))).toEqual({
      type: 'refund',
      outRefundNo: 'RP20240301000001',
      refundId: '772403021221055012999',
      amountFen: 29,
      status: 'success',
    });
    expect(await provider().parseNotify(body(notification({ ...refund, respCode: '01' })))).toMatchObject({
      type: 'refund',
      status: 'failed',
    });
    await expect(provider().parseNotify(body(notification(refund, stranger.privateKey)))).rejects.toBeInstanceOf(
      PaymentSignatureError,
    );
  });

  describe('signPubKeyCert verified against the configured root and middle certificates', () => {
    const AT = new Date('2030-01-01T00:00:00Z');
    const chained = (over: Partial<UnionpayConfig> = {}) =>
      provider({ unionpayCert: undefined, rootCert: ROOT_CERT, middleCert: MIDDLE_CERT, now: () => AT, ...over });
    const carrying = (cert: string, key: string, over: Record<string, string> = {}) =>
      notification({ signPubKeyCert: cert, ...over }, crypto.createPrivateKey(key));

    it('accepts a message signed by the certificate it carries when the chain and owner check out', async () => {
      expect(await chained().parseNotify(body(carrying(SIGN_CERT, SIGN_KEY)))).toMatchObject({
        outTradeNo: 'P20240301000001',
        status: 'paid',
      });
      // The pinned key is not consulted: a rotated certificate needs no configuration change.
      await expect(chained().parseNotify(body(notification()))).rejects.toBeInstanceOf(PaymentSignatureError);
    });

    it('refuses a certificate outside the chain, of another owner, out of its validity, or a mismatched signature', async () => {
      const refused = [
        carrying(FORGED_SIGN_CERT, FORGED_SIGN_KEY),
        carrying(OTHER_CERT, OTHER_KEY),
        carrying(SIGN_CERT, OTHER_KEY),
        carrying(MIDDLE_CERT, SIGN_KEY),
        carrying('-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----', SIGN_KEY),
      ];
      for (const fields of refused)
        await expect(chained().parseNotify(body(fields))).rejects.toBeInstanceOf(PaymentSignatureError);
      const expired = chained({ now: () => new Date('2123-01-01T00:00:00Z') });
      await expect(expired.parseNotify(body(carrying(SIGN_CERT, SIGN_KEY)))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
    });

    it('refuses a configuration whose middle certificate the root did not issue', () => {
      expect(() => chained({ middleCert: FORGED_MIDDLE_CERT })).toThrow(RangeError);
      expect(() => provider({ unionpayCert: undefined })).toThrow(RangeError);
    });
  });

  it('acks in the words UnionPay expects', () => {
    expect(provider().ack(true)).toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
    expect(provider().ack(false)).toEqual({ status: 500, contentType: 'text/plain', body: 'fail' });
  });
});

describe('query and refund against a local UnionPay', () => {
  let server: http.Server;
  let base = '';
  const requests: { path: string; fields: Record<string, string>; signed: boolean }[] = [];
  /** Answer fields per "path txnType"; signed with `signer`, sent raw (not URL-encoded) as UnionPay does. */
  let answers: Record<string, Record<string, string>> = {};
  let signer = unionpay.privateKey;
  let httpStatus = 200;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const fields = Object.fromEntries(new URLSearchParams(raw));
        const path = req.url ?? '';
        requests.push({ path, fields, signed: signedByMerchant(fields) });
        const answer = signAs(
          {
            version: '5.1.0',
            encoding: 'UTF-8',
            signMethod: '01',
            merId: MER_ID,
            orderId: fields.orderId ?? '',
            txnType: fields.txnType ?? '',
            signPubKeyCert: SIGN_PUB_KEY_CERT,
            reqReserved: '{a=1&b=2}',
            ...(answers[`${path} ${fields.txnType}`] ?? { respCode: '12', respMsg: '重复交易' }),
          },
          signer,
        );
        res.writeHead(httpStatus, { 'content-type': 'text/plain;charset=UTF-8' });
        res.end(
          Object.entries(answer)
            .map(([k, v]) => `${k}=${v}`)
            .join('&'),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const local = (over: Partial<UnionpayConfig> = {}) =>
    provider({ queryUrl: `${base}/queryTrans.do`, backUrl: `${base}/backTransReq.do`, ...over });
  const paid = {
    respCode: '00',
    respMsg: '成功[0000000]',
    origRespCode: '00',
    origRespMsg: '成功[0000000]',
    queryId: '772403011221055012438',
    txnAmt: '123450',
    traceTime: '0301122105',
    txnTime: '20240301122000',
  };

  it('queries with a signed request naming the trade by orderId and txnTime, and trusts the signed answer', async () => {
    answers = { '/queryTrans.do 00': paid };
    expect(await local().query('P20240301000001')).toEqual({
      status: 'paid',
      amountFen: 123450,
      tradeNo: '772403011221055012438',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    expect(requests.at(-1)).toMatchObject({
      path: '/queryTrans.do',
      signed: true,
      fields: { txnType: '00', txnSubType: '00', orderId: 'P20240301000001', txnTime: '20240301122000', merId: MER_ID },
    });
  });

  it('maps the other outcomes', async () => {
    const status = async (answer: Record<string, string>) => {
      answers = { '/queryTrans.do 00': answer };
      return (await local().query('P20240301000001')).status;
    };
    expect(await status({ ...paid, origRespCode: 'A6' })).toBe('paid');
    expect(await status({ ...paid, origRespCode: '05' })).toBe('unpaid');
    expect(await status({ respCode: '34', respMsg: '查无此交易' })).toBe('unpaid');
    expect(await status({ ...paid, origRespCode: '61' })).toBe('closed');
  });

  it('turns refusals, forged answers and HTTP errors into PaymentProviderError', async () => {
    answers = { '/queryTrans.do 00': { respCode: '05', respMsg: '系统繁忙' } };
    await expect(local().query('P20240301000001')).rejects.toBeInstanceOf(PaymentProviderError);
    answers = { '/queryTrans.do 00': paid };
    signer = stranger.privateKey;
    try {
      await expect(local().query('P20240301000001')).rejects.toBeInstanceOf(PaymentProviderError);
    } finally {
      signer = unionpay.privateKey;
    }
    httpStatus = 500;
    try {
      await expect(local().query('P20240301000001')).rejects.toBeInstanceOf(PaymentProviderError);
    } finally {
      httpStatus = 200;
    }
    await expect(local({ queryUrl: 'http://127.0.0.1:1/' }).query('P20240301000001')).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });

  const refund = {
    outTradeNo: 'P20240301000001',
    outRefundNo: 'R20240301000001',
    amountFen: 123450,
    totalFen: 123450,
    reason: '订单已过期',
  };

  it('refunds (退货) the queried payment by its queryId', async () => {
    answers = {
      '/queryTrans.do 00': paid,
      '/backTransReq.do 04': { respCode: '00', respMsg: '成功[0000000]', queryId: '782403021002345678901' },
    };
    expect(await local().refund(refund)).toEqual({ status: 'processing', refundId: '782403021002345678901' });
    expect(requests.at(-1)).toMatchObject({
      path: '/backTransReq.do',
      signed: true,
      fields: {
        txnType: '04',
        txnSubType: '00',
        bizType: '000201',
        orderId: 'R20240301000001',
        origQryId: '772403011221055012438',
        txnAmt: '123450',
        currencyCode: '156',
        backUrl: 'https://px.example.cn/api/pay/refund-notify/unionpay',
      },
    });
  });

  it('cannot name the trade without txnTimeOf, nor refund without a 退货 backUrl', async () => {
    answers = { '/queryTrans.do 00': paid, '/backTransReq.do 04': { respCode: '00', queryId: '7824' } };
    const before = requests.length;
    await expect(local({ txnTimeOf: undefined }).query('P20240301000001')).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(local({ refundNotifyUrl: undefined }).refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
    expect(requests.length).toBe(before);
  });

  it('does not refund a trade that is not paid, and reports a refused refund', async () => {
    answers = { '/queryTrans.do 00': { ...paid, origRespCode: '05' } };
    const before = requests.length;
    await expect(local().refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
    expect(requests.slice(before).map((r) => r.path)).toEqual(['/queryTrans.do']);
    answers = { '/queryTrans.do 00': paid, '/backTransReq.do 04': { respCode: '12', respMsg: '重复交易' } };
    await expect(local().refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
  });
});
