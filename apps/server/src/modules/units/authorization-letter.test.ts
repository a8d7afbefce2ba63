// fflate is what docx itself zips with, so reading the package back needs no extra dependency.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION_LETTER_FILENAME,
  type AuthorizationLetterData,
  renderAuthorizationLetter,
} from './authorization-letter.js';

function sample(overrides: Partial<AuthorizationLetterData> = {}): AuthorizationLetterData {
  return {
    platformName: '重庆市专业技术人员服务平台',
    unitName: '重庆市渝中区示例科技有限公司',
    uscc: '91500103MA5U123456',
    category: 'unit',
    adminName: '张三',
    adminIdType: 'idCard',
    adminIdNumber: '500103199001011232',
    adminPhone: '13800138000',
    reviewerName: '渝中区人力资源和社会保障局',
    // 16:30 UTC is already the next day in Chongqing, so this also pins the Asia/Shanghai date.
    date: new Date('2026-11-22T16:30:00Z'),
    ...overrides,
  };
}

async function render(overrides: Partial<AuthorizationLetterData> = {}) {
  const bytes = await renderAuthorizationLetter(sample(overrides));
  const files = unzipSync(new Uint8Array(bytes));
  const read = (name: string): string => {
    const file = files[name];
    if (!file) throw new Error(`${name} missing from the .docx`);
    return strFromU8(file);
  };
  const footerName = Object.keys(files).find((name) => /^word\/footer\d*\.xml$/.test(name));
  return { bytes, names: Object.keys(files), document: read('word/document.xml'), footer: read(footerName ?? '') };
}

describe('renderAuthorizationLetter', () => {
  it('produces a .docx (a ZIP package) with the filled-in letter', async () => {
    const { bytes, names, document } = await render();
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(names).toContain('[Content_Types].xml');
    expect(document).toContain('单位授权书');
    expect(document).toContain('重庆市专业技术人员服务平台');
    expect(document).toContain('重庆市渝中区示例科技有限公司');
    expect(document).toContain('91500103MA5U123456');
    // The person's own number and phone in full: the stamped paper must say whom it authorises.
    expect(document).toContain('身份证号码：500103199001011232');
    expect(document).toContain('13800138000');
    expect(document).toContain('渝中区人力资源和社会保障局');
    expect(document).toContain('张三');
    expect(document).toContain('2026年11月23日');
    expect(document).toContain('本授权书自盖章之日起生效，有效期至单位管理员变更之日止。');
    expect(document).toContain('单位（盖章）：');
    expect(document).toContain('法定代表人（签字）：');
  });

  it('names the number of every 证件类型 and prints it in full', async () => {
    const hk = await render({ adminIdType: 'hkMacaoResidence', adminIdNumber: '810000199001011232' });
    expect(hk.document).toContain('港澳居民居住证号码：810000199001011232');
    const old = await render({ adminIdType: 'foreignPermanent', adminIdNumber: 'USA123456789012' });
    expect(old.document).toContain('外国人永久居留身份证号码：USA123456789012');
    expect(old.document).toMatch(/>外国人永久居留身份证号码</);
  });

  it('leaves underscores to fill in by hand when optional fields are empty', async () => {
    const { document } = await render({ unitName: '', uscc: '', reviewerName: '' });
    expect(document).toContain('________________');
    expect(document).not.toContain('重庆市渝中区示例科技有限公司');
    expect(document).not.toContain('渝中区人力资源和社会保障局');
  });

  it('prints the registration category', async () => {
    expect((await render({ category: 'unit' })).document).toMatch(/注册类别.*>单位</);
    const department = (await render({ category: 'department' })).document;
    expect(department).toContain('主管部门');
    expect(department).not.toMatch(/>单位</);
  });

  it('dates the letter in Asia/Shanghai', async () => {
    // Both sides of midnight in Chongqing (UTC+8): 15:59 UTC is 23:59 the same day, 16:00 UTC is the next day.
    const { document } = await render({ date: new Date('2026-11-23T15:59:00Z') });
    expect(document).toContain('2026年11月23日');
    const early = await render({ date: new Date('2026-01-05T16:00:00Z') });
    expect(early.document).toContain('2026年1月6日');
  });

  it('escapes XML-significant characters in user-supplied names', async () => {
    const { document } = await render({ unitName: '重庆A&B<科技>有限公司' });
    expect(document).toContain('重庆A&amp;B&lt;科技&gt;有限公司');
  });

  it('puts the upload instructions in the footer', async () => {
    const { footer } = await render();
    expect(footer).toContain('说明：请打印本授权书，加盖单位公章后拍照或扫描上传（支持JPG、PNG格式，大小不超过5M）。');
  });

  it('names the download as the template', () => {
    expect(AUTHORIZATION_LETTER_FILENAME).toBe('单位授权书模板.docx');
  });
});
