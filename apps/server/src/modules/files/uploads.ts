import { fieldError } from '../../lib/errors.js';
import { loadFileType } from '../../lib/lazy.js';
import { MAX_IMAGE_BYTES, sanitizeImage } from './images.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What each upload purpose accepts: decided by the file's bytes, never by its name or declared type. */
export const UPLOAD_PURPOSES = {
  licence: {
    label: '组织机构代码证或营业执照',
    types: ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes: 5 * 1024 * 1024,
  },
  authorization: { label: '单位授权书', types: ['image/jpeg', 'image/png'], maxBytes: MAX_IMAGE_BYTES },
  'application-attachment': {
    label: '附件',
    types: ['application/pdf', 'image/jpeg', 'image/png', DOCX],
    maxBytes: 10 * 1024 * 1024,
  },
  /** 补学: 缴费证明材料 (screenshots of the payment platform) and the signed 缴费承诺书. */
  'makeup-evidence': {
    label: '缴费证明材料',
    types: ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes: 5 * 1024 * 1024,
  },
  /** 学时登记: 证明材料 (a certificate, the notice, photos of the event); unit and bureau reviewers view them. */
  'credit-evidence': {
    label: '证明材料',
    types: ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes: 10 * 1024 * 1024,
  },
  /** 在线客服: screenshots a learner attaches to a ticket (images only: staff view them inline). */
  'ticket-screenshot': { label: '截图', types: ['image/jpeg', 'image/png'], maxBytes: MAX_IMAGE_BYTES },
  /** 通知公告: pictures in the body (shown inline on the portal, so images only, re-encoded). */
  'notice-image': { label: '图片', types: ['image/jpeg', 'image/png'], maxBytes: MAX_IMAGE_BYTES },
  /** 通知公告: files readers download (forms, lists, the plan itself). */
  'notice-attachment': {
    label: '附件',
    types: ['application/pdf', DOCX, XLSX, 'application/zip', 'image/jpeg', 'image/png'],
    maxBytes: 20 * 1024 * 1024,
  },
} as const;
export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'application/pdf': 'PDF',
  [DOCX]: 'DOCX',
  [XLSX]: 'XLSX',
  'application/zip': 'ZIP',
};

/** Checks type and size; images are re-encoded (metadata dropped), PDFs are kept as sent. */
export async function checkUpload(
  purpose: UploadPurpose,
  data: Buffer,
  field = 'file',
): Promise<{ data: Buffer; mime: string }> {
  const rule = UPLOAD_PURPOSES[purpose];
  const allowed = rule.types.map((t) => TYPE_NAMES[t]).join('、');
  if (data.length > rule.maxBytes) {
    throw fieldError('PAYLOAD_TOO_LARGE', field, `${rule.label}大小不能超过${Math.round(rule.maxBytes / 1048576)}M`);
  }
  const { fileTypeFromBuffer } = await loadFileType();
  const detected = (await fileTypeFromBuffer(data))?.mime;
  if (!detected || !(rule.types as readonly string[]).includes(detected)) {
    throw fieldError('UPLOAD_INVALID', field, `${rule.label}仅支持${allowed}格式（按文件内容识别）`);
  }
  // PDFs and Word files are kept as sent (they are only ever downloaded, never rendered inline by us).
  if (!detected.startsWith('image/')) return { data, mime: detected };
  return sanitizeImage(data, field);
}
