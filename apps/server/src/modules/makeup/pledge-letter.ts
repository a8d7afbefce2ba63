import { type IdType, idNumberLabel } from '@cpe/shared';
import { AlignmentType, Document, LineRuleType, Packer, Paragraph, TextRun, UnderlineType } from 'docx';

/**
 * 缴费承诺书 (附件3) for a 补学 without 缴费凭证, built the way units/authorization-letter.ts builds 单位授权书
 * (same fonts, sizes, A4 layout). Unlike that letter it goes only to the person it describes, so their own full
 * 身份证号码 (or the number of their other 证件类型, named as such) and phone number are printed; date of payment, reason
 * and signature stay blank to fill in by hand.
 */
export interface PledgeLetterData {
  realName: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  username: string;
  year: number;
}

export const pledgeLetterFilename = (year: number) => `${year}年度公需科目补学缴费承诺书.docx`;

const BODY_FONT = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '宋体', cs: 'SimSun' };
const TITLE_FONT = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' };
const TITLE_SIZE = 44;
const BODY_SIZE = 28;
const BODY_LINE = 360;
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1440, bottom: 1588, left: 1588, right: 1474 };
const INDENT_2_CHARS = { firstLine: 560, firstLineChars: 200 };
const SIGNATURE_INDENT = 4400;

const SHORT_BLANK = '______';
const LONG_BLANK = '____________________';

const plain = (value: string) => new TextRun({ text: value });
/** A filled-in blank: underlined like the line it replaces. */
const filled = (value: string) => new TextRun({ text: ` ${value} `, underline: { type: UnderlineType.SINGLE } });

function body(children: TextRun[], opts: { indent?: boolean; before?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.BOTH,
    indent: opts.indent === false ? undefined : INDENT_2_CHARS,
    spacing: { line: BODY_LINE, lineRule: LineRuleType.AUTO, before: opts.before ?? 0, after: 0 },
    children,
  });
}

function signature(value: string, before: number, keepNext: boolean): Paragraph {
  return new Paragraph({
    indent: { left: SIGNATURE_INDENT },
    keepNext,
    spacing: { line: BODY_LINE, lineRule: LineRuleType.AUTO, before, after: 0 },
    children: [plain(value)],
  });
}

/** Builds 《缴费承诺书》 pre-filled with the signed-in person's data and the 补学 year, as .docx bytes. */
export async function renderPledgeLetter(data: PledgeLetterData): Promise<Buffer> {
  const course = `${data.year}年度`;
  const doc = new Document({
    creator: '重庆人社培训网',
    title: '缴费承诺书',
    description: `${course}专业技术人员继续教育公需科目补学 — 缴费承诺书`,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: BODY_SIZE, language: { value: 'zh-CN', eastAsia: 'zh-CN' } } },
      },
    },
    sections: [
      {
        properties: { page: { size: PAGE, margin: { ...MARGIN, header: 851, footer: 680 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 0, after: 360 },
            children: [
              new TextRun({
                text: '缴费承诺书',
                font: TITLE_FONT,
                size: TITLE_SIZE,
                bold: true,
                characterSpacing: 160,
              }),
            ],
          }),
          body([
            plain('本人'),
            filled(data.realName),
            plain(`，${idNumberLabel(data.idType)}：`),
            filled(data.idNumber),
            plain('，手机号码：'),
            filled(data.phone || SHORT_BLANK),
            plain(`，已于${SHORT_BLANK}年${SHORT_BLANK}月${SHORT_BLANK}日缴费报名参加`),
            filled(course),
            plain(
              `公需科目学习。因${LONG_BLANK}原因，无法提供缴费凭证。本人现已在重庆人社培训网网络学习服务平台注册，用户名为`,
            ),
            filled(data.username),
            plain('，现申请免费参加'),
            filled(course),
            plain('继续教育公需科目的学习，并承诺如下：'),
          ]),
          body([
            plain(
              '1、本人在参与专业技术人员继续教育公需科目补学过程中提供的相关资料，本人均予以认可，自愿提供。' +
                '本人所提供的缴费信息真实有效，如系伪造，本人愿依法承担相应法律责任。',
            ),
          ]),
          body([
            plain(
              '2、本人知晓并理解提供不实信息对个人诚信记录的风险，如给专业技术人员继续教育公需科目培训主管单位、' +
                '承训单位造成损失的，愿意承担赔偿及相应的法律责任。',
            ),
          ]),
          signature('承诺人：', 720, true),
          signature('时间：', 360, false),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
