import { type IdType, idNumberLabel } from '@cpe/shared';
import { platformDateChinese } from '@cpe/shared/platform-zone';
import {
  type Color,
  degrees,
  PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
} from 'pdf-lib';
import { embedCjkFont, type FontkitFont, safeText, textWidth } from '../../lib/pdf-font.js';
import { drawQr } from '../../lib/pdf-qr.js';
import { addSignaturePlaceholder } from './pdf-signer.js';

/** What a 合格证书 prints. */
export interface CertificateSheet {
  certNo: string;
  holderName: string;
  /** The holder's 证件类型: the number is printed under its own name (身份证号码, 港澳居民居住证号码, …). */
  idType: IdType;
  idNumberMasked: string;
  planName: string;
  year: number;
  hours: number;
  issuedAt: Date;
  orgName: string;
  issuerName: string;
  /** The 证书查验 page the QR code opens. */
  verifyUrl: string;
}

// A4 landscape.
const W = 842;
const H = 595;
const RED = rgb(0.8, 0.08, 0.08);
const GOLD = rgb(0.72, 0.53, 0.2);
const DARK = rgb(0.55, 0.12, 0.1);
const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.35, 0.35, 0.35);
/** Noto Sans SC draws Han characters from about -0.12 em to 0.88 em around the baseline. */
const CJK_TOP = 0.88;

class Canvas {
  constructor(
    readonly page: PDFPage,
    readonly pdfFont: PDFFont,
    readonly font: FontkitFont,
  ) {}

  width(text: string, size: number): number {
    return textWidth(this.font, text, size);
  }

  /** Text whose vertical middle is `middle` (from the top), left at `x` or centred on it. */
  text(text: string, x: number, middle: number, o: { size: number; color?: Color; center?: boolean; bold?: boolean }) {
    const printable = safeText(this.font, text);
    if (!printable) return;
    const w = this.width(printable, o.size);
    const color = o.color ?? INK;
    if (o.bold) {
      // The font has no bold weight: stroking the outline too thickens it.
      this.page.pushOperators(
        pushGraphicsState(),
        setTextRenderingMode(TextRenderingMode.FillAndOutline),
        setLineWidth(o.size / 40),
        setStrokingColor(color),
      );
    }
    this.page.drawText(printable, {
      x: o.center ? x - w / 2 : x,
      y: H - middle - o.size * (CJK_TOP - 0.5),
      size: o.size,
      font: this.pdfFont,
      color,
    });
    if (o.bold) this.page.pushOperators(popGraphicsState());
  }

  /** Splits `text` into lines no wider than `width` (Chinese breaks between any two characters). */
  wrap(text: string, size: number, width: number, firstIndent = 0): string[] {
    const lines: string[] = [];
    let line = '';
    let room = width - firstIndent;
    for (const ch of safeText(this.font, text)) {
      if (line && this.width(line + ch, size) > room) {
        lines.push(line);
        line = '';
        room = width;
      }
      line += ch;
    }
    if (line) lines.push(line);
    return lines;
  }
}

/** A five-pointed star centred on (cx, cy) in PDF coordinates. */
function starPath(r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rad = i % 2 === 0 ? r : r * 0.382;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${(rad * Math.cos(a)).toFixed(2)} ${(rad * Math.sin(a)).toFixed(2)}`);
  }
  return `M ${pts.join(' L ')} Z`;
}

/**
 * The electronic seal drawn as vectors (no image to decode): a red ring, a star, the issuer's name along the upper
 * arc and 证书专用章 below the star, slightly transparent so the printed name under it shows through.
 */
function drawSeal(c: Canvas, issuer: string, cx: number, cy: number, r: number): void {
  const { page } = c;
  const opacity = 0.88;
  page.drawCircle({
    x: cx,
    y: cy,
    size: r,
    borderColor: RED,
    borderWidth: r * 0.055,
    opacity: 0,
    borderOpacity: opacity,
  });
  page.drawSvgPath(starPath(r * 0.3), { x: cx, y: cy, color: RED, opacity });
  const chars = [...safeText(c.font, issuer)];
  const size = Math.min(r * 0.26, (r * 3.4) / Math.max(chars.length, 1));
  const textR = r * 0.74;
  // The name spans up to about 240° of the ring, centred on the top.
  const span = Math.min(240, chars.length * ((size * 1.1) / textR) * (180 / Math.PI));
  chars.forEach((ch, i) => {
    const angle = 90 + span / 2 - (chars.length === 1 ? span / 2 : (i * span) / (chars.length - 1));
    const a = (angle * Math.PI) / 180;
    const w = c.width(ch, size);
    // The glyph stands on the radius pointing outwards; its baseline is moved so the glyph's middle sits on the arc.
    const tx = Math.cos(a - Math.PI / 2);
    const ty = Math.sin(a - Math.PI / 2);
    const mid = size * (CJK_TOP - 0.5);
    const x = cx + textR * Math.cos(a) - (w / 2) * tx - mid * Math.cos(a);
    const y = cy + textR * Math.sin(a) - (w / 2) * ty - mid * Math.sin(a);
    page.drawText(ch, { x, y, size, font: c.pdfFont, color: RED, rotate: degrees(angle - 90), opacity });
  });
  const label = '证书专用章';
  const lsize = r * 0.17;
  page.drawText(label, {
    x: cx - c.width(label, lsize) / 2,
    y: cy - r * 0.58,
    size: lsize,
    font: c.pdfFont,
    color: RED,
    opacity,
  });
}

/** Double frame with corner marks, in the certificate's gold. */
function drawFrame(page: PDFPage): void {
  page.drawRectangle({ x: 0, y: 0, width: W, height: H, color: rgb(1, 0.992, 0.965) });
  page.drawRectangle({ x: 22, y: 22, width: W - 44, height: H - 44, borderColor: GOLD, borderWidth: 5 });
  page.drawRectangle({ x: 33, y: 33, width: W - 66, height: H - 66, borderColor: GOLD, borderWidth: 1.2 });
  const corner = 26;
  for (const [x, y, sx, sy] of [
    [33, 33, 1, 1],
    [W - 33, 33, -1, 1],
    [33, H - 33, 1, -1],
    [W - 33, H - 33, -1, -1],
  ] as const) {
    page.drawSvgPath(`M 0 0 L ${corner * sx} 0 L 0 ${-corner * sy} Z`, { x, y, color: GOLD });
  }
}

/** What every certificate prints, in one layout: the kind's words, the holder, one particular, the issuer. */
interface CertificateLayout {
  /** Font subset tag (one per kind keeps the files' fonts apart). */
  fontTag: string;
  title: string;
  subtitle: string;
  holderName: string;
  /** The holder's 证件类型: the number is printed under its own name (身份证号码, 港澳居民居住证号码, …). */
  idType: IdType;
  idNumberMasked: string;
  /** The sentence after the holder's name. */
  body: string;
  /** The particular printed above the number, e.g. 组织机构：… or 承办单位：… */
  particular: string;
  certNo: string;
  issuedAt: Date;
  issuerName: string;
  verifyUrl: string;
  documentTitle: string;
  subject: string;
}

/**
 * A certificate (A4 landscape) with a signature field ready for `PdfSigner.sign`: saved without object
 * streams, as @signpdf requires. `seal` replaces the vector seal with a configured PNG.
 */
async function renderCertificateLayout(
  sheet: CertificateLayout,
  opts: { seal?: Uint8Array; signingTime?: Date },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const { pdfFont, font } = await embedCjkFont(doc, sheet.fontTag);
  const page = doc.addPage([W, H]);
  const c = new Canvas(page, pdfFont, font);
  drawFrame(page);

  c.text(sheet.title, W / 2, 100, { size: 44, color: DARK, center: true, bold: true });
  c.text(sheet.subtitle, W / 2, 150, { size: 17, color: GREY, center: true });

  const left = 110;
  const bodyW = W - 2 * left;
  const size = 17;
  const leading = size * 2;
  // A long foreign name with a long document name (外国人永久居留身份证号码) is set smaller rather than cut off.
  const holder = `${sheet.holderName}（${idNumberLabel(sheet.idType)}：${sheet.idNumberMasked}）：`;
  c.text(holder, left, 210, { size: Math.min(size, (size * bodyW) / c.width(holder, size)), bold: true });
  const indent = c.width('　　', size);
  const lines = c.wrap(sheet.body, size, bodyW, indent);
  lines.forEach((line, i) => {
    c.text(line, left + (i === 0 ? indent : 0), 210 + leading * (i + 1), { size });
  });

  // Particulars on the left, issuer with the seal on the right, QR in between.
  const fieldsTop = Math.max(390, 210 + leading * (lines.length + 1) + 10);
  const small = 13;
  const particularLines = c.wrap(sheet.particular, small, 330);
  particularLines.forEach((line, i) => {
    c.text(line, left, fieldsTop + i * small * 1.6, { size: small });
  });
  const after = fieldsTop + particularLines.length * small * 1.6;
  c.text(`证书编号：${sheet.certNo}`, left, after + 6, { size: small });
  c.text(`发证日期：${platformDateChinese(sheet.issuedAt)}`, left, after + 6 + small * 1.9, { size: small });

  const qrSize = 78;
  const qrX = 470;
  const qrTop = 392;
  drawQr(page, sheet.verifyUrl, qrX, H - qrTop - qrSize, qrSize);
  c.text('扫码查验证书', qrX + qrSize / 2, qrTop + qrSize + 12, { size: 9, color: GREY, center: true });

  const issuerX = W - 170;
  c.text(sheet.issuerName, issuerX, 440, { size: 15, center: true });
  c.text(platformDateChinese(sheet.issuedAt), issuerX, 470, { size: 14, center: true });
  if (opts.seal) {
    const png: PDFImage = await doc.embedPng(opts.seal);
    const d = 130;
    page.drawImage(png, { x: issuerX - d / 2, y: H - 450 - d / 2, width: d, height: d, opacity: 0.9 });
  } else {
    drawSeal(c, sheet.issuerName, issuerX, H - 450, 62);
  }
  c.text('本证书采用电子印章及数字签名，无需加盖鲜章；可在证书查验页面输入证书编号核验真伪。', W / 2, H - 50, {
    size: 9,
    color: GREY,
    center: true,
  });

  doc.setTitle(sheet.documentTitle, { showInWindowTitleBar: true });
  doc.setAuthor(sheet.issuerName);
  doc.setSubject(sheet.subject);
  doc.setProducer('CPE');
  doc.setCreator('CPE');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(sheet.issuedAt);
  doc.setModificationDate(sheet.issuedAt);
  addSignaturePlaceholder(doc, opts.signingTime ?? new Date());
  return doc.save({ useObjectStreams: false });
}

/**
 * The 合格证书's sentence. Plan names usually carry their year (重庆市2026年…公需科目培训): then the year is not said a
 * second time (于2026年度参加重庆市2026年…) — it is only when the name lacks it.
 */
export function certificateSentence(sheet: Pick<CertificateSheet, 'year' | 'planName' | 'hours'>): string {
  const when = sheet.planName.includes(String(sheet.year)) ? '' : `于${sheet.year}年度`;
  return `${when}参加${sheet.planName}学习，完成${sheet.hours}学时，成绩合格，特发此证。`;
}

/** Renders a 公需科目 合格证书. */
export function renderCertificatePdf(
  sheet: CertificateSheet,
  opts: { seal?: Uint8Array; signingTime?: Date } = {},
): Promise<Uint8Array> {
  return renderCertificateLayout(
    {
      ...sheet,
      fontTag: 'CPECRT',
      title: '合格证书',
      subtitle: '重庆市专业技术人员继续教育公需科目',
      body: certificateSentence(sheet),
      particular: `组织机构：${sheet.orgName}`,
      documentTitle: `合格证书 ${sheet.certNo}`,
      subject: `${sheet.year}年度公需科目合格证书`,
    },
    opts,
  );
}

/** What a 高研班结业证书 prints. */
export interface SeminarCertificateSheet {
  certNo: string;
  holderName: string;
  /** The holder's 证件类型: the number is printed under its own name (身份证号码, 港澳居民居住证号码, …). */
  idType: IdType;
  idNumberMasked: string;
  projectName: string;
  hostUnit: string;
  /** 开班日期 and 结业日期, YYYY-MM-DD. */
  heldFrom: string;
  heldTo: string;
  hours: number;
  issuedAt: Date;
  issuerName: string;
  verifyUrl: string;
}

/** 2026-05-11 → 2026年5月11日 */
const dateLong = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return y && m && d ? `${y}年${m}月${d}日` : ymd;
};

/** Renders a 高研班结业证书: the 高级研修项目 with its 承办单位 and dates, its 学时, the 市人社局 number. */
export function renderSeminarCertificatePdf(
  sheet: SeminarCertificateSheet,
  opts: { seal?: Uint8Array; signingTime?: Date } = {},
): Promise<Uint8Array> {
  return renderCertificateLayout(
    {
      ...sheet,
      fontTag: 'CPEGYB',
      title: '结业证书',
      subtitle: '重庆市专业技术人才知识更新工程高级研修班',
      body:
        // Project names usually end in 研修班 already: never "…研修班”高级研修班".
        `于${dateLong(sheet.heldFrom)}至${dateLong(sheet.heldTo)}参加“${sheet.projectName}”` +
        `${/(班|研修)$/.test(sheet.projectName) ? '' : '高级研修班'}，` +
        `完成研修任务，成绩合格，计专业科目${sheet.hours}学时，准予结业，特发此证。`,
      particular: `承办单位：${sheet.hostUnit}`,
      documentTitle: `高研班结业证书 ${sheet.certNo}`,
      subject: '高级研修班结业证书',
    },
    opts,
  );
}

/** What a 学时证明 prints: the 已认定 totals of a year range, per year. */
export interface CreditProofSheet {
  certNo: string;
  holderName: string;
  idType: IdType;
  idNumberMasked: string;
  yearFrom: number;
  yearTo: number;
  years: Array<{ year: number; hours: number; publicHours: number; professionalHours: number; met: boolean }>;
  issuedAt: Date;
  issuerName: string;
  verifyUrl: string;
}

/**
 * The 学时证明's sentence: the range's totals and, for a range, each year in short. At most 3 years (ZCreditProofQuery)
 * so the text stays above the QR code of the landscape layout.
 */
export function creditProofSentence(sheet: Pick<CreditProofSheet, 'yearFrom' | 'yearTo' | 'years'>): string {
  const single = sheet.yearFrom === sheet.yearTo;
  const range = single ? `${sheet.yearTo}年度` : `${sheet.yearFrom}年度至${sheet.yearTo}年度`;
  const sum = (k: 'hours' | 'publicHours' | 'professionalHours') => sheet.years.reduce((a, y) => a + y[k], 0);
  const totals = `${range}已认定继续教育学时共${sum('hours')}学时，其中公需科目${sum('publicHours')}学时、专业科目${sum('professionalHours')}学时`;
  if (single) {
    const met = sheet.years[0]?.met === true;
    return `经核查本平台继续教育学时档案，${totals}，${met ? '达到' : '未达到'}每年不少于90学时（专业科目不少于60学时）的要求。特此证明。`;
  }
  const perYear = sheet.years
    .map(
      (y) =>
        `${y.year}年度${y.hours}学时（公需${y.publicHours}、专业${y.professionalHours}，${y.met ? '达标' : '未达标'}）`,
    )
    .join('；');
  return `经核查本平台继续教育学时档案，${totals}。分年度为：${perYear}。特此证明。`;
}

/** Renders a 学时证明 (signed like the 合格证书; verifiable by its number). */
export function renderCreditProofPdf(
  sheet: CreditProofSheet,
  opts: { seal?: Uint8Array; signingTime?: Date } = {},
): Promise<Uint8Array> {
  const range = sheet.yearFrom === sheet.yearTo ? `${sheet.yearTo}年度` : `${sheet.yearFrom}—${sheet.yearTo}年度`;
  return renderCertificateLayout(
    {
      ...sheet,
      fontTag: 'CPEXSZ',
      title: '学时证明',
      subtitle: '重庆市专业技术人员继续教育',
      body: creditProofSentence(sheet),
      particular: `证明范围：${range}已认定学时（依据《专业技术人员继续教育规定》）`,
      documentTitle: `学时证明 ${sheet.certNo}`,
      subject: `${range}继续教育学时证明`,
    },
    opts,
  );
}
