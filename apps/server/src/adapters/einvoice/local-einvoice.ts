import { randomInt } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import {
  type EInvoiceProvider,
  type InvoiceBuyer,
  type InvoiceLine,
  InvoiceProviderError,
  type IssuedInvoice,
} from './einvoice.js';
import type { InvoiceSheet } from './local-einvoice-pdf.js';

/**
 * A stand-in for the provincial platform: numbers 数电票 the way the platform does, answers a repeated
 * requestNo with the invoice it already issued, refuses what the platform would refuse, and renders the PDF a
 * buyer downloads from it: 电子发票（普通发票）, its form printed in the platform's dark red.
 *
 * Training by a public institution (公需科目) is exempt from VAT, so every line prints 免税 and 税额 ***.
 * Reversals take the blue invoice's lines and total as they were (positive); the red invoice negates them.
 */
export function createLocalEInvoice(opts: {
  sellerName: string;
  sellerTaxNo: string;
  clock: Clock;
  /** The page a scanned QR code opens; it receives `no` and `code`. */
  verifyBaseUrl: string;
  /** Fails the next N calls with InvoiceProviderError, to show the retries of the invoicing job. */
  failNext?: number;
  /** 开票人. */
  drawer?: string;
}): EInvoiceProvider {
  const verifyUrl = new URL(opts.verifyBaseUrl);
  const nextNumber = invoiceNumbers(opts.clock, provinceOf(opts.sellerTaxNo));
  let failures = opts.failNext ?? 0;
  // Promises, so a retry racing the first attempt gets the same invoice instead of a second one.
  const byRequest = new Map<string, Promise<IssuedInvoice>>();
  // What this process issued, so a red invoice can be checked against its blue one as the platform does.
  // Blue invoices from before a restart are unknown here and accepted.
  const blues = new Map<string, { totalFen: number; reversed: boolean }>();

  const once = (requestNo: string, make: () => Promise<IssuedInvoice>): Promise<IssuedInvoice> => {
    if (failures > 0) {
      failures--;
      return Promise.reject(new InvoiceProviderError('local einvoice: simulated platform outage (failNext)'));
    }
    let result = byRequest.get(requestNo);
    if (!result) {
      result = make();
      byRequest.set(requestNo, result);
      // Retries come within minutes, so the most recent requests suffice, and memory stays bounded (PDFs are ~25 KB).
      if (byRequest.size > REMEMBERED_REQUESTS) byRequest.delete(byRequest.keys().next().value as string);
      // A refused or failed request may be retried with the same requestNo.
      result.catch(() => byRequest.delete(requestNo));
    }
    return result;
  };

  const render = async (sheet: Omit<InvoiceSheet, 'invoiceNo' | 'issuedAt' | 'qrText'>): Promise<IssuedInvoice> => {
    const invoiceNo = nextNumber();
    const checkCode = Array.from({ length: 20 }, () => randomInt(10)).join('');
    const issuedAt = opts.clock.now();
    const qr = new URL(verifyUrl);
    qr.searchParams.set('no', invoiceNo);
    qr.searchParams.set('code', checkCode);
    // The PDF (pdf-lib, fontkit, qrcode: ~200 ms to load) is drawn by a module loaded with the first invoice, not
    // at start (issue 22).
    const { renderInvoicePdf } = await import('./local-einvoice-pdf.js');
    const pdf = await renderInvoicePdf({ ...sheet, invoiceNo, issuedAt, qrText: qr.toString() });
    // 数电票 have no 发票代码: the 20-digit number identifies them alone.
    return { invoiceNo, invoiceCode: '', checkCode, issuedAt, pdf };
  };

  const seller = { name: opts.sellerName, taxNo: opts.sellerTaxNo };
  const drawer = opts.drawer ?? '系统';

  return {
    name: 'local',
    issue(input) {
      return once(input.requestNo, async () => {
        validate(input);
        const issued = await render({
          buyer: input.buyer,
          seller,
          lines: input.lines,
          totalFen: input.totalFen,
          remark: input.remark ?? '',
          drawer,
        });
        blues.set(issued.invoiceNo, { totalFen: input.totalFen, reversed: false });
        return issued;
      });
    },
    reverse(input) {
      return once(input.requestNo, async () => {
        validate(input);
        if (!/^\d{8,20}$/.test(input.invoiceNo)) refuse(`blue invoice number ${input.invoiceNo} is malformed`);
        if (!input.reason.trim()) refuse('a red invoice needs a reason');
        const blue = blues.get(input.invoiceNo);
        if (blue?.reversed) refuse(`blue invoice ${input.invoiceNo} has already been reversed`);
        if (blue && blue.totalFen !== input.totalFen)
          refuse(`red total ${input.totalFen} does not match blue invoice ${input.invoiceNo} (${blue.totalFen})`);
        if (blue) blue.reversed = true;
        const code = input.invoiceCode ? `代码：${input.invoiceCode}　` : '';
        try {
          return await render({
            buyer: input.buyer,
            seller,
            lines: input.lines.map((l) => ({ ...l, quantity: -l.quantity, amountFen: -l.amountFen })),
            totalFen: -input.totalFen,
            remark: `红字发票　被红冲蓝字发票${code}号码：${input.invoiceNo}\n红冲原因：${input.reason}`,
            drawer,
          });
        } catch (err) {
          if (blue) blue.reversed = false;
          throw err;
        }
      });
    },
  };
}

const REMEMBERED_REQUESTS = 1_000;

function refuse(why: string): never {
  throw new InvoiceProviderError(`local einvoice: ${why}`);
}

const isFen = (n: number) => Number.isSafeInteger(n);
/** 纳税人识别号: the 18-character USCC, or an older 15- or 20-character number. */
const TAX_NO = /^(?:[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20})$/;

/** What the platform refuses before issuing anything. */
function validate(input: { requestNo: string; buyer: InvoiceBuyer; lines: InvoiceLine[]; totalFen: number }): void {
  if (!input.requestNo.trim()) refuse('requestNo is empty');
  if (!input.buyer.title.trim()) refuse('the buyer (发票抬头) is empty');
  if (input.buyer.taxNo !== undefined && input.buyer.taxNo !== '' && !TAX_NO.test(input.buyer.taxNo))
    refuse(`纳税人识别号 ${input.buyer.taxNo} is malformed`);
  // Invoices to enterprises must carry the buyer's 纳税人识别号.
  if (input.buyer.type === 'unit' && !input.buyer.taxNo) refuse('a unit buyer needs its 纳税人识别号');
  if (input.lines.length === 0) refuse('an invoice needs at least one line');
  for (const line of input.lines) {
    if (!line.name.trim()) refuse('a line has no name');
    if (!(Number.isFinite(line.quantity) && line.quantity > 0)) refuse(`quantity ${line.quantity} is not positive`);
    if (!isFen(line.unitPriceFen) || line.unitPriceFen < 0) refuse(`unit price ${line.unitPriceFen} is invalid`);
    if (!isFen(line.amountFen) || line.amountFen <= 0) refuse(`line amount ${line.amountFen} is not positive`);
    // Platforms accept quantity × unit price differing from the amount by rounding, up to 1 分.
    if (Math.abs(line.quantity * line.unitPriceFen - line.amountFen) > 1)
      refuse(`line amount ${line.amountFen} ≠ ${line.quantity} × ${line.unitPriceFen}`);
  }
  const sum = input.lines.reduce((a, l) => a + l.amountFen, 0);
  if (!isFen(input.totalFen) || input.totalFen <= 0) refuse(`total ${input.totalFen} is not positive`);
  if (sum !== input.totalFen) refuse(`total ${input.totalFen} ≠ sum of the lines ${sum}`);
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The 2-digit province in a USCC (its 3rd–4th characters start the registering office's region code). */
function provinceOf(taxNo: string): string {
  const region = taxNo.length === 18 ? taxNo.slice(2, 4) : '';
  return /^\d\d$/.test(region) ? region : '00';
}

/**
 * 数电票 numbers: 2-digit year, 2-digit province, a channel digit, then a 15-digit sequence. The sequence is the
 * millisecond of the (Chinese) year × 10 000 plus a random offset, and only moves forward within a process. A
 * restarted process starts at a later millisecond, past all it issued before (the sequence only runs ahead of the
 * clock at more than 10 000 invoices a millisecond); the random offset makes two instances numbering in the same
 * millisecond unlikely to meet. The real platform's numbers are what is unique for good.
 */
export function invoiceNumbers(clock: Clock, province: string): () => string {
  let last = { year: '', seq: -1 };
  return () => {
    const china = clock.now().getTime() + CHINA_OFFSET_MS;
    const fullYear = new Date(china).getUTCFullYear();
    const year = String(fullYear % 100).padStart(2, '0');
    const candidate = (china - Date.UTC(fullYear, 0, 1)) * 10_000 + randomInt(10_000);
    const seq = year === last.year ? Math.max(last.seq + 1, candidate) : candidate;
    last = { year, seq };
    return `${year}${province}0${String(seq).padStart(15, '0')}`;
  };
}

const UPPER_DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UPPER_UNITS = ['', '拾', '佰', '仟'];
const UPPER_SECTIONS = ['', '万', '亿', '万亿'];

/**
 * 价税合计（大写）as banks and invoices write it: 壹拾元整, 壹仟零壹元整, 壹佰元零柒分, 伍角. One 零 stands
 * for any run of zeros between digits; 整 follows an amount that ends in 元 (after 角 it is optional and left
 * out, as the tax system prints it).
 */
export function amountInChineseUpper(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const yuan = String(Math.floor(fen / 100));
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let out = '';
  if (yuan !== '0') {
    let zero = false;
    for (let i = 0; i < yuan.length; i++) {
      const pos = yuan.length - 1 - i;
      const digit = Number(yuan[i]);
      const section = pos % 4 === 0 ? UPPER_SECTIONS[pos / 4] : '';
      if (digit === 0) {
        zero = out !== '';
        // A section's name stays when any of its four digits is not zero: 壹仟万, but 壹亿元 not 壹亿万元.
        if (section && Number(yuan.slice(Math.max(0, i - 3), i + 1)) > 0) out += section;
      } else {
        if (zero) out += '零';
        zero = false;
        out += `${UPPER_DIGITS[digit]}${UPPER_UNITS[pos % 4]}${section ?? ''}`;
      }
    }
    out += '元';
  }
  if (jiao === 0 && cents === 0) return out === '' ? '零元整' : `${out}整`;
  if (jiao > 0) out += `${UPPER_DIGITS[jiao]}角`;
  else if (out !== '') out += '零';
  if (cents > 0) out += `${UPPER_DIGITS[cents]}分`;
  return out;
}
