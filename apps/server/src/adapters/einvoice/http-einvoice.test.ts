import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvoiceProviderError, type IssueInvoiceInput, type ReverseInvoiceInput } from './einvoice.js';
import { createHttpEInvoice } from './http-einvoice.js';

const APP_ID = 'cpe-app';
const SECRET = 'platform-secret';
const PDF = Buffer.from('%PDF-1.7\n% a stand-in invoice\n%%EOF\n');

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  signatureOk: boolean;
}

/** A platform of the documented shape: checks the signature with its own HMAC, then answers as `reply` says. */
describe('HTTP e-invoice platform client', () => {
  let server: http.Server;
  let url = '';
  let received: Received[] = [];
  let reply: (r: Received, res: http.ServerResponse) => void;

  const ok = (data: Record<string, unknown>) => (_: Received, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: '0000', message: '成功', data }));
  };
  const issued = {
    invoiceNo: '26502000000012345678',
    invoiceCode: '',
    checkCode: '12345678901234567890',
    issuedAt: '2026-04-21 10:05:00',
    pdfBase64: PDF.toString('base64'),
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => {
        raw += d;
      });
      req.on('end', () => {
        const h = req.headers;
        const expected = createHmac('sha256', SECRET)
          .update(`${h['x-app-id']}\n${h['x-timestamp']}\n${h['x-nonce']}\n${raw}`)
          .digest('hex');
        const r = {
          path: req.url ?? '',
          headers: h,
          body: JSON.parse(raw),
          signatureOk: h['x-signature'] === expected,
        };
        received.push(r);
        if (!r.signatureOk) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: '1001', message: '签名验证失败' }));
          return;
        }
        reply(r, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => {
    received = [];
    reply = ok(issued);
  });

  const client = (overrides: { appSecret?: string; timeoutMs?: number } = {}) =>
    createHttpEInvoice({ url, appId: APP_ID, appSecret: SECRET, ...overrides });

  const issueInput: IssueInvoiceInput = {
    requestNo: 'INVCPE0001B1',
    buyer: { type: 'unit', title: '重庆市智能制造产业研究院有限公司', taxNo: '91500000MA5U123456', email: 'a@b.cn' },
    lines: [{ name: '*教育服务*继续教育培训费', quantity: 2, unitPriceFen: 12_000, amountFen: 24_000 }],
    totalFen: 24_000,
    remark: '订单号：CPE0001',
  };

  it('issues through a signed POST and returns the platform invoice', async () => {
    const inv = await client().issue(issueInput);

    expect(inv).toEqual({
      invoiceNo: issued.invoiceNo,
      invoiceCode: '',
      checkCode: issued.checkCode,
      // The platform's local time is China's.
      issuedAt: new Date('2026-04-21T02:05:00Z'),
      pdf: PDF,
    });
    const [r] = received;
    expect(r?.path).toBe('/invoice/issue');
    expect(r?.signatureOk).toBe(true);
    expect(r?.headers['x-app-id']).toBe(APP_ID);
    expect(Math.abs(Number(r?.headers['x-timestamp']) - Date.now())).toBeLessThan(60_000);
    expect(r?.headers['x-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(r?.body).toEqual({
      requestNo: 'INVCPE0001B1',
      buyer: { type: 'unit', name: '重庆市智能制造产业研究院有限公司', taxNo: '91500000MA5U123456', email: 'a@b.cn' },
      items: [
        {
          name: '*教育服务*继续教育培训费',
          quantity: 2,
          unitPrice: '120.00',
          amount: '240.00',
          taxRate: '0',
          zeroRateFlag: '1',
        },
      ],
      totalAmount: '240.00',
      remark: '订单号：CPE0001',
    });
  });

  it('uses a fresh nonce for every call', async () => {
    await client().issue(issueInput);
    await client().issue(issueInput);
    expect(received[0]?.headers['x-nonce']).not.toBe(received[1]?.headers['x-nonce']);
  });

  it('reverses through /invoice/red with negative amounts and the blue invoice', async () => {
    reply = ok({ ...issued, invoiceNo: '26502000000012345679', invoiceCode: '050001900111' });
    const input: ReverseInvoiceInput = {
      requestNo: 'INVCPE0001R1',
      invoiceNo: issued.invoiceNo,
      invoiceCode: '',
      buyer: issueInput.buyer,
      lines: issueInput.lines,
      totalFen: 24_000,
      reason: '发票抬头修改',
    };
    const red = await client().reverse(input);
    expect(red.invoiceNo).toBe('26502000000012345679');
    expect(red.invoiceCode).toBe('050001900111');
    const [r] = received;
    expect(r?.path).toBe('/invoice/red');
    expect(r?.signatureOk).toBe(true);
    expect(r?.body).toMatchObject({
      requestNo: 'INVCPE0001R1',
      blueInvoiceNo: issued.invoiceNo,
      blueInvoiceCode: '',
      reason: '发票抬头修改',
      items: [{ quantity: -2, unitPrice: '120.00', amount: '-240.00' }],
      totalAmount: '-240.00',
    });
  });

  it('reads an ISO issue time with its zone as it is', async () => {
    reply = ok({ ...issued, issuedAt: '2026-04-21T02:05:00Z' });
    expect((await client().issue(issueInput)).issuedAt).toEqual(new Date('2026-04-21T02:05:00Z'));
  });

  it("turns a refusal into InvoiceProviderError with the platform's message", async () => {
    reply = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: '2003', message: '购买方纳税人识别号不存在' }));
    };
    const err = await client()
      .issue(issueInput)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceProviderError);
    expect((err as Error).message).toContain('2003');
    expect((err as Error).message).toContain('购买方纳税人识别号不存在');
  });

  it('is refused by the platform when signed with the wrong secret', async () => {
    await expect(client({ appSecret: 'wrong' }).issue(issueInput)).rejects.toThrow(/签名验证失败/);
    expect(received[0]?.signatureOk).toBe(false);
  });

  it('turns an HTTP error into InvoiceProviderError', async () => {
    reply = (_, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: '9999', message: '系统维护中' }));
    };
    await expect(client().issue(issueInput)).rejects.toThrow(/HTTP 503: 系统维护中/);
  });

  it('turns an answer that is not JSON into InvoiceProviderError', async () => {
    reply = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
    };
    const err = await client()
      .issue(issueInput)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceProviderError);
    expect((err as Error).message).toMatch(/no JSON answer: <html>502 Bad Gateway/);
  });

  it('refuses a success that lacks the invoice', async () => {
    reply = ok({ ...issued, invoiceNo: '', pdfBase64: 'bm90IGEgcGRm' });
    await expect(client().issue(issueInput)).rejects.toThrow(/lacks invoiceNo, pdfBase64/);
  });

  it('gives up on a platform that does not answer in time', async () => {
    reply = (_, res) => {
      setTimeout(() => ok(issued)(_, res), 1_000).unref();
    };
    const started = Date.now();
    await expect(client({ timeoutMs: 150 }).issue(issueInput)).rejects.toThrow(/did not answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('turns an unreachable platform into InvoiceProviderError', async () => {
    const down = createHttpEInvoice({ url: 'http://127.0.0.1:1', appId: APP_ID, appSecret: SECRET });
    await expect(down.issue(issueInput)).rejects.toThrow(/unreachable/);
  });
});
