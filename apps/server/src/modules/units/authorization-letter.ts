import { type IdType, idNumberLabel } from '@cpe/shared';
import { platformDateChinese } from '@cpe/shared/platform-zone';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  LineRuleType,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlignTable,
  WidthType,
} from 'docx';

export interface AuthorizationLetterData {
  platformName: string;
  /** 单位名称; '' leaves a line to fill in by hand. */
  unitName: string;
  /** 统一社会信用代码; may be ''. */
  uscc: string;
  /** 注册类别: 单位 / 主管部门. */
  category: 'unit' | 'department';
  /** 被授权人姓名. */
  adminName: string;
  /** The 被授权人's 证件类型: the number is printed under its name (身份证号码, 港澳居民居住证号码, …). */
  adminIdType: IdType;
  /**
   * The 被授权人's own number and phone, in full: the unit stamps this paper to say WHO it authorises, and a masked
   * number identifies no one (issue 21 §5). Only the signed-in person downloads their own letter; screens and lists
   * keep masking.
   */
  adminIdNumber: string;
  adminPhone: string;
  /** 申报地区（部门）, e.g. '渝中区人力资源和社会保障局'; may be ''. */
  reviewerName: string;
  /** Generation date, printed in the platform's time zone. */
  date: Date;
}

export const AUTHORIZATION_LETTER_FILENAME = '单位授权书模板.docx';

const BLANK = '________________';

// Word on Chinese Windows and WPS resolve both the English and the Chinese font names. The East Asian slot
// decides how Han characters render; Latin text (USCC, numbers) uses the same face so lines look even.
const BODY_FONT = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '宋体', cs: 'SimSun' };
const TITLE_FONT = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' };

// Sizes are in half-points: 二号 22pt for the title, 四号 14pt for the body, 五号 10.5pt for the note.
const TITLE_SIZE = 44;
const BODY_SIZE = 28;
const TABLE_SIZE = 28;
const NOTE_SIZE = 21;

// 1.5 lines (240 = single) keeps the letter airy yet lets title, table and signature fit one A4 page.
const BODY_LINE = 360;

// A4 in twips. Sides follow the GB/T 9704 official-document layout (28/26mm); top and bottom are trimmed to
// 25.4/28mm so a unit name wrapping over two or three table lines still leaves the signature on page one.
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1440, bottom: 1588, left: 1588, right: 1474 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
// Just wide enough for 统一社会信用代码 (8 characters) plus cell padding; the rest goes to the values.
const LABEL_COL = 2600;

// Two characters of 14pt text = 28pt = 560 twips; firstLineChars is what Word/WPS honour, firstLine is the
// fallback for readers that ignore character units.
const INDENT_2_CHARS = { firstLine: 560, firstLineChars: 200 };

/** A whole document number: 18 characters (身份证, 居住证, 2023 永居证) or an old 永居证's 3 letters and 12 digits. */
function orBlank(value: string): string {
  const trimmed = value.trim();
  return trimmed === '' ? BLANK : trimmed;
}

function text(value: string, options: { bold?: boolean; underline?: boolean } = {}): TextRun {
  return new TextRun({
    text: value,
    bold: options.bold,
    underline: options.underline ? { type: UnderlineType.SINGLE } : undefined,
  });
}

interface BodyOptions {
  indent?: boolean;
  before?: number;
  after?: number;
  keepNext?: boolean;
}

function bodyParagraph(children: TextRun[], options: BodyOptions = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.BOTH,
    indent: options.indent ? INDENT_2_CHARS : undefined,
    spacing: { line: BODY_LINE, lineRule: LineRuleType.AUTO, before: options.before ?? 0, after: options.after ?? 0 },
    keepNext: options.keepNext,
    children,
  });
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const CELL_BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER };

function cell(value: string, options: { label: boolean }): TableCell {
  return new TableCell({
    width: { size: options.label ? LABEL_COL : TEXT_WIDTH - LABEL_COL, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    borders: CELL_BORDERS,
    // A light tint separates the labels from the filled-in values and still prints fine in black and white.
    shading: options.label ? { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' } : undefined,
    margins: { left: 140, right: 140, top: 40, bottom: 40 },
    children: [
      new Paragraph({
        alignment: options.label ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 },
        children: [new TextRun({ text: value, size: TABLE_SIZE })],
      }),
    ],
  });
}

function infoTable(rows: [string, string][]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_COL, TEXT_WIDTH - LABEL_COL],
    // Fixed layout so a long unit name wraps inside its cell instead of widening the table past the margin.
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    rows: rows.map(
      ([label, value]) =>
        new TableRow({
          height: { value: 520, rule: HeightRule.ATLEAST },
          cantSplit: true,
          children: [cell(label, { label: true }), cell(value, { label: false })],
        }),
    ),
  });
}

// The signature lines start at the same x so the colons line up and leave room to the right for the stamp.
const SIGNATURE_INDENT = 4400;

function signatureLine(value: string, spacingBefore: number, keepNext: boolean): Paragraph {
  return new Paragraph({
    indent: { left: SIGNATURE_INDENT },
    // If the page ever overflows, the signature block moves as a whole rather than leaving the date alone.
    keepNext,
    spacing: { line: BODY_LINE, lineRule: LineRuleType.AUTO, before: spacingBefore, after: 0 },
    children: [text(value)],
  });
}

/** Builds 《单位授权书模板》 for 单位管理员注册, pre-filled with the unit's data, as .docx bytes. */
export async function renderAuthorizationLetter(data: AuthorizationLetterData): Promise<Buffer> {
  const platformName = data.platformName.trim();
  const adminName = orBlank(data.adminName);
  const idNumber = orBlank(data.adminIdNumber);
  const idLabel = idNumberLabel(data.adminIdType);
  const phone = orBlank(data.adminPhone);
  const dateText = platformDateChinese(data.date);

  const doc = new Document({
    creator: platformName,
    title: '单位授权书',
    description: '单位管理员注册 — 单位授权书模板',
    styles: {
      default: {
        document: {
          run: { font: BODY_FONT, size: BODY_SIZE, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: { size: PAGE, margin: { ...MARGIN, header: 851, footer: 680 } },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                spacing: { line: 300, lineRule: LineRuleType.AUTO },
                children: [
                  new TextRun({
                    text: '说明：请打印本授权书，加盖单位公章后拍照或扫描上传（支持JPG、PNG格式，大小不超过5M）。',
                    size: NOTE_SIZE,
                    color: '808080',
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 0, after: 360 },
            children: [
              new TextRun({
                text: '单位授权书',
                font: TITLE_FONT,
                size: TITLE_SIZE,
                bold: true,
                // Wide tracking is the usual look of a short formal title; the text itself stays unspaced.
                characterSpacing: 160,
              }),
            ],
          }),
          bodyParagraph([text(`${platformName}：`)]),
          bodyParagraph(
            [
              text('兹授权我单位'),
              text(` ${adminName} `, { underline: true }),
              text(
                `同志（${idLabel}：${idNumber}，手机号码：${phone}）作为我单位在${platformName}的单位管理员，` +
                  '负责办理单位注册、单位信息维护及继续教育相关业务申报等事宜。' +
                  '被授权人在上述授权范围内所办理的业务，我单位均予以认可，并承担相应责任。',
              ),
            ],
            { indent: true, after: 240 },
          ),
          infoTable([
            ['单位名称', orBlank(data.unitName)],
            ['统一社会信用代码', orBlank(data.uscc)],
            ['注册类别', data.category === 'department' ? '主管部门' : '单位'],
            ['申报地区（部门）', orBlank(data.reviewerName)],
            ['被授权人', adminName],
            [idLabel, idNumber],
            ['手机号码', phone],
          ]),
          bodyParagraph([text('本授权书自盖章之日起生效，有效期至单位管理员变更之日止。')], {
            indent: true,
            before: 240,
            keepNext: true,
          }),
          // Generous space above leaves room for the round 公章 (about 4.2cm) to be pressed over the lines.
          signatureLine('单位（盖章）：', 600, true),
          signatureLine('法定代表人（签字）：', 360, true),
          signatureLine(dateText, 360, false),
        ],
      },
    ],
  });

  return Packer.toBuffer(doc);
}
