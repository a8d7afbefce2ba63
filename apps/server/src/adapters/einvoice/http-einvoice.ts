/**
 * The provincial 数电票 platform over HTTP. Provinces, and the intermediaries (服务商) that connect to them, differ
 * in field names and codes; what follows is the generic signed-JSON shape most of them use:
 *
 * - POST JSON to `${url}/invoice/issue` (blue) and `${url}/invoice/red` (红字, reversing a blue invoice);
 * - headers X-App-Id, X-Timestamp (ms), X-Nonce and X-Signature, the hex HMAC-SHA256 with the app secret of
 *   `${appId}\n${timestamp}\n${nonce}\n${body}`;
 * - answers `{ code: '0000', message, data: { invoiceNo, invoiceCode, checkCode, issuedAt, pdfBase64 } }`, any
 *   other code being a refusal whose message is the platform's.
 *
 * Connecting a given platform means adapting the field mapping (issueBody, redBody, toIssued) and nothing else.
 * Every failure is an InvoiceProviderError, which the invoicing job retries with the same requestNo: platforms
 * answer a repeated requestNo with the invoice already issued, so a lost answer never issues twice.
 */
import { createHmac, randomUUID } from 'node:crypto';
import {
  type EInvoiceProvider,
  type InvoiceBuyer,
  type InvoiceLine,
  InvoiceProviderError,
  type IssuedInvoice,
} from './einvoice.js';

export function createHttpEInvoice(cfg: {
  url: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
}): EInvoiceProvider {
  const base = cfg.url.replace(/\/+$/, '');
  const timeoutMs = cfg.timeoutMs ?? 15_000;

  async function call(path: string, payload: unknown): Promise<IssuedInvoice> {
    const body = JSON.stringify(payload);
    const timestamp = String(Date.now());
    const nonce = randomUUID().replaceAll('-', '');
    const signature = createHmac('sha256', cfg.appSecret)
      .update(`${cfg.appId}\n${timestamp}\n${nonce}\n${body}`)
      .digest('hex');
    let status: number;
    let text: string;
    try {
      // The timeout covers reading the body too: a platform that stalls mid-answer fails like one that never answers.
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-app-id': cfg.appId,
          'x-timestamp': timestamp,
          'x-nonce': nonce,
          'x-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      throw new InvoiceProviderError(
        e.name === 'TimeoutError'
          ? `einvoice platform did not answer within ${timeoutMs} ms`
          : `einvoice platform unreachable: ${e.message}`,
      );
    }
    let answer: { code?: unknown; message?: unknown; data?: unknown } | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) answer = parsed;
    } catch {
      // Reported below, with the HTTP status when that is the better explanation.
    }
    const message = typeof answer?.message === 'string' ? answer.message : '';
    if (status < 200 || status > 299)
      throw new InvoiceProviderError(`einvoice platform HTTP ${status}${message ? `: ${message}` : ''}`);
    if (!answer) throw new InvoiceProviderError(`einvoice platform sent no JSON answer: ${text.slice(0, 200)}`);
    if (answer.code !== '0000')
      throw new InvoiceProviderError(`einvoice platform refused (${String(answer.code)}): ${message}`);
    return toIssued(answer.data);
  }

  return {
    name: 'http',
    issue: (input) => call('/invoice/issue', issueBody(input)),
    reverse: (input) => call('/invoice/red', redBody(input)),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Amounts travel as yuan with two decimals, as the platforms take them. */
function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function buyerBody(b: InvoiceBuyer) {
  return { type: b.type, name: b.title, taxNo: b.taxNo ?? '', email: b.email ?? '' };
}

/** `sign` is -1 on a red invoice, whose quantities and amounts are negative; the unit price stays positive. */
function itemsBody(lines: InvoiceLine[], sign: 1 | -1) {
  return lines.map((l) => ({
    name: l.name,
    quantity: sign * l.quantity,
    unitPrice: yuan(l.unitPriceFen),
    amount: yuan(sign * l.amountFen),
    // 零税率标识 1 = 免税: training by a public institution is exempt from VAT (printed 免税, 税额 ***).
    taxRate: '0',
    zeroRateFlag: '1',
  }));
}

function issueBody(input: Parameters<EInvoiceProvider['issue']>[0]) {
  return {
    requestNo: input.requestNo,
    buyer: buyerBody(input.buyer),
    items: itemsBody(input.lines, 1),
    totalAmount: yuan(input.totalFen),
    remark: input.remark ?? '',
  };
}

/** The reversal carries the blue invoice's lines and total as they were; the red invoice negates them. */
function redBody(input: Parameters<EInvoiceProvider['reverse']>[0]) {
  return {
    requestNo: input.requestNo,
    blueInvoiceNo: input.invoiceNo,
    blueInvoiceCode: input.invoiceCode,
    reason: input.reason,
    buyer: buyerBody(input.buyer),
    items: itemsBody(input.lines, -1),
    totalAmount: yuan(-input.totalFen),
  };
}

/** Platforms give local time without a zone (2026-04-21 10:05:00), which is China's; ISO 8601 with one is read as is. */
function parseIssuedAt(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const local = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/.test(v);
  const d = new Date(local ? `${v.replace(' ', 'T')}+08:00` : v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function toIssued(data: unknown): IssuedInvoice {
  const d = isRecord(data) ? data : {};
  const issuedAt = parseIssuedAt(d.issuedAt);
  const pdf = typeof d.pdfBase64 === 'string' ? Buffer.from(d.pdfBase64, 'base64') : Buffer.alloc(0);
  const missing = [
    typeof d.invoiceNo === 'string' && d.invoiceNo !== '' ? null : 'invoiceNo',
    typeof d.checkCode === 'string' ? null : 'checkCode',
    issuedAt ? null : 'issuedAt',
    pdf.subarray(0, 5).toString('latin1') === '%PDF-' ? null : 'pdfBase64',
  ].filter((f) => f !== null);
  if (missing.length > 0 || !issuedAt)
    throw new InvoiceProviderError(`einvoice platform answer lacks ${missing.join(', ')}`);
  return {
    invoiceNo: d.invoiceNo as string,
    // 数电票 have no 发票代码; platforms leave it out or empty.
    invoiceCode: typeof d.invoiceCode === 'string' ? d.invoiceCode : '',
    checkCode: d.checkCode as string,
    issuedAt,
    pdf,
  };
}
